package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.dataset.SliceInfo;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceSelection;
import dev.coin.data.slice.Slicer;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole data path on the phantom: generate → NIfTI on disk → read back → fingerprint → slices → split. */
class SyntheticDatasetTest {

    static final PhantomConfig SMALL = PhantomConfig.builder().seed(5).matrixSize(96).tumourFraction(0.5).build();

    static SliceConfig tuh64(CtWindow w) {
        return SliceConfig.tuh(w).toBuilder().kidneyThreshold(20).tumourThreshold(30).outputSize(64, 64).build();
    }

    @Test
    void buildsOnceAndReusesTheBuild(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("synth");
        DatasetLayout layout = SyntheticDataset.ensure(root, SMALL, 4);
        assertThat(layout.scans()).hasSize(4);
        long stamp = Files.getLastModifiedTime(layout.scans().get(0).image()).toMillis();
        Thread.sleep(20);
        long t0 = System.nanoTime();
        SyntheticDataset.ensure(root, SMALL, 4);
        assertThat((System.nanoTime() - t0) / 1e6).as("second call must not regenerate").isLessThan(500);
        assertThat(Files.getLastModifiedTime(layout.scans().get(0).image()).toMillis()).isEqualTo(stamp);
        // Another configuration in the same folder is refused, not overwritten.
        assertThatThrownBy(() -> SyntheticDataset.ensure(root, SMALL.toBuilder().seed(6).build(), 4))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another configuration");
    }

    @Test
    void sameSeedWritesByteIdenticalFiles(@TempDir Path dir) throws Exception {
        DatasetLayout a = SyntheticDataset.ensure(dir.resolve("a"), SMALL, 2);
        DatasetLayout b = SyntheticDataset.ensure(dir.resolve("b"), SMALL, 2);
        DatasetLayout c = SyntheticDataset.ensure(dir.resolve("c"), SMALL.toBuilder().seed(99).build(), 2);
        for (int i = 0; i < 2; i++) {
            var fa = a.scans().get(i);
            assertThat(Files.readAllBytes(fa.image())).isEqualTo(Files.readAllBytes(b.scans().get(i).image()));
            assertThat(Files.readAllBytes(fa.label())).isEqualTo(Files.readAllBytes(b.scans().get(i).label()));
        }
        assertThat(Files.readAllBytes(a.scans().get(0).image())).isNotEqualTo(Files.readAllBytes(c.scans().get(0).image()));
    }

    @Test
    void readsBackThroughNiftiWithTheGeneratedValues(@TempDir Path dir) throws Exception {
        PhantomScan scan = PhantomGenerator.of(SMALL).generate(1);
        DatasetLayout layout = SyntheticDataset.ensure(dir, SMALL, 2);
        Volume image = NiftiVolumes.read(layout.imageFile(scan.id()));
        Volume label = NiftiVolumes.read(layout.labelFile(scan.id()));
        assertThat(image.shape()).isEqualTo(scan.image().shape());
        // HU are integers, so int16 storage is exact; labels are exact.
        assertThat(image.copyVoxels()).isEqualTo(scan.image().copyVoxels());
        assertThat(label.copyVoxels()).isEqualTo(scan.label().copyVoxels());
        for (int r = 0; r < 3; r++) {
            assertThat(image.affine()[r]).containsExactly(scan.image().affine()[r], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void datasetSlicesSplitsAndCachesTheScans(@TempDir Path dir) {
        Path root = dir.resolve("synth");
        SyntheticDataset.ensure(root, SMALL, 5);
        CtDataset ds = CtDataset.builder(root).sliceConfig(SyntheticDatasetTest::tuh64).fingerprintSamples(200_000)
                .build();
        assertThat(ds.split().train().size() + ds.split().validation().size()).isEqualTo(5);
        assertThat(ds.split().validation()).hasSize(1);
        // The window spans soft tissue: the fingerprint is over kidney/tumour/cyst voxels.
        assertThat(ds.fingerprint().percentile00_5()).isBetween(-200.0, 150.0);
        assertThat(ds.fingerprint().percentile99_5()).isBetween(100.0, 400.0);
        SliceSource train = ds.train();
        assertThat(train.size()).isGreaterThan(10);
        for (int i = 0; i < train.size(); i++) {
            Slice s = train.get(i);
            assertThat(s.image().min()).isGreaterThanOrEqualTo(-1f);
            assertThat(s.image().max()).isLessThanOrEqualTo(1f);
            assertThat(s.height()).isEqualTo(64);
            assertThat(s.maskNames()).containsExactly("background", "kidney", "tumour", "cyst");
            assertThat(ds.split().train()).contains(s.scanId());
        }
        long computed = ds.cache().computedScans();
        assertThat(computed).isEqualTo(4);
        // Reopening: split and fingerprint come from disk, slices from the cache files; nothing is re-sliced.
        CtDataset again = CtDataset.builder(root).sliceConfig(SyntheticDatasetTest::tuh64).build();
        assertThat(again.split()).isEqualTo(ds.split());
        assertThat(again.fingerprint()).isEqualTo(ds.fingerprint());
        SliceSource train2 = again.train();
        assertThat(again.cache().computedScans()).isZero();
        assertThat(train2.get(3)).isEqualTo(train.get(3));
    }

    /** The kidney slices must be the same whichever voxel layout the scan is stored in. */
    @Test
    void kidneySlicesAreFoundInRasLpsAndAxialFirstLayouts() {
        PhantomScan scan = PhantomGenerator.of(SMALL).generate(0);
        CtWindow w = CtWindow.of(-200, 300);
        Slicer slicer = new Slicer(tuh64(w));
        SliceSelection ref = slicer.select(new LabelledScan(scan.image(), scan.label()));
        assertThat(ref.size()).isGreaterThan(3);
        // Flip both in-plane axes (LPS <-> RAS): same slice indices, same counts.
        SliceSelection flipped = slicer.select(new LabelledScan(flipInPlane(scan.image()), flipInPlane(scan.label())));
        assertThat(flipped.kept()).isEqualTo(ref.kept());
        assertThat(flipped.labels()).isEqualTo(ref.labels());
        assertThat(flipped.kidneyCounts()).isEqualTo(ref.kidneyCounts());
        // Axial axis first, as KiTS19 stores it: the affine says so and the slicer follows.
        SliceSelection first = slicer.select(new LabelledScan(axialFirst(scan.image()), axialFirst(scan.label())));
        assertThat(first.axis().axis()).isEqualTo(0);
        assertThat(first.kept()).isEqualTo(ref.kept());
        assertThat(first.labels()).isEqualTo(ref.labels());
        assertThat(first.kidneyCounts()).isEqualTo(ref.kidneyCounts());
        // And the kept slices are exactly those with more kidney voxels than the threshold.
        int[] counts = countPerSlice(scan.label(), LabeledVolume.KIDNEY);
        List<Integer> expected = new java.util.ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] > 20) {
                expected.add(k);
            }
        }
        assertThat(ref.kept()).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void anomalyInsertionLabelsExactlyTheInsertedSlicesAndStaysInTheKidney(@TempDir Path dir) {
        Path root = dir.resolve("synth");
        // Anomalies are drawn at (near-)native resolution, as in the reference: a 256 matrix sliced at 256².
        SyntheticDataset.ensure(root, PhantomConfig.builder().seed(3).matrixSize(256).tumourFraction(0).build(), 3);
        CtDataset ds = CtDataset.builder(root).fingerprintSamples(100_000)
                .sliceConfig(w -> SliceConfig.synthetic(w).toBuilder().outputSize(256, 256).build()).build();
        SliceSource val = AnomalyInsertion.fixedSet(ds.train(), GaussianBlobAnomaly.coin(), 42);
        SliceSource again = AnomalyInsertion.fixedSet(ds.train(), GaussianBlobAnomaly.coin(), 42);
        int inserted = 0;
        for (int i = 0; i < val.size(); i++) {
            Slice s = val.get(i);
            assertThat(s).isEqualTo(again.get(i));
            int area = s.mask(AnomalyInsertion.MASK).countPositive();
            assertThat(s.label()).isEqualTo(area > 0 ? 1 : 0);
            inserted += s.label();
        }
        assertThat(inserted).isGreaterThan(0);
        List<SliceInfo> infos = val.infos();
        assertThat(infos.stream().filter(x -> x.label() == 1).count()).isEqualTo(inserted);
        assertThat(ds.sliceConfig().labelMap()).isEqualTo(LabelMap.KIDNEY_ONLY);
    }

    static int[] countPerSlice(Volume label, int value) {
        int[] c = new int[label.nz()];
        for (int k = 0; k < label.nz(); k++) {
            for (int j = 0; j < label.ny(); j++) {
                for (int i = 0; i < label.nx(); i++) {
                    if (label.get(i, j, k) == value) {
                        c[k]++;
                    }
                }
            }
        }
        return c;
    }

    static Volume flipInPlane(Volume v) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        float[] out = new float[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    out[i + nx * (j + ny * k)] = v.get(nx - 1 - i, ny - 1 - j, k);
                }
            }
        }
        double[][] a = v.affine();
        for (int r = 0; r < 3; r++) {
            a[r][3] += a[r][0] * (nx - 1) + a[r][1] * (ny - 1);
            a[r][0] = -a[r][0];
            a[r][1] = -a[r][1];
        }
        return Volume.of(v.id(), v.shape(), out, v.spacing(), a);
    }

    static Volume axialFirst(Volume v) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        float[] out = new float[nx * ny * nz];
        // New axes (k, i, j): new index = k + nz * (i + nx * j).
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    out[k + nz * (i + nx * j)] = v.get(i, j, k);
                }
            }
        }
        double[][] a = v.affine();
        double[][] b = new double[4][4];
        for (int r = 0; r < 4; r++) {
            b[r][0] = a[r][2];
            b[r][1] = a[r][0];
            b[r][2] = a[r][1];
            b[r][3] = a[r][3];
        }
        double[] s = v.spacing();
        return Volume.of(v.id(), new int[] {nz, nx, ny}, out, new double[] {s[2], s[0], s[1]}, b);
    }
}
