package dev.coin.data.dataset;

import static dev.coin.data.dataset.LayoutFixtures.countPerSlice;
import static dev.coin.data.dataset.LayoutFixtures.scan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceOrientation;
import dev.coin.data.slice.Slicer;
import dev.coin.data.synth.LabeledVolume;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.PhantomScan;
import dev.coin.data.volume.AxialAxis;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phantom datasets written in the TotalSegmentator, KiTS19 and KiTS21/23 layouts load through the public API
 * ({@link DatasetLayout} → {@link CtDataset}) into kidney-filtered slices whose masks match the phantom; folders in
 * the wrong layout get errors that name the expected files.
 */
class DatasetLayoutsTest {
    private static final int SIZE = 64; // = the phantom's matrix: resizing is the identity, masks keep their counts

    private static CtDataset open(DatasetLayout layout, int kidneyThreshold) {
        return CtDataset.builder(layout).fingerprintSamples(100_000)
                .sliceConfig(w -> {
                    SliceConfig.Builder b = layout.sliceConfig(w).toBuilder().outputSize(SIZE, SIZE)
                            .kidneyThreshold(kidneyThreshold);
                    return layout.sliceConfig(w).tumourClass().isPresent() ? b.tumourThreshold(30).build() : b.build();
                })
                .build();
    }

    private static List<Integer> keptWhere(int[] counts, int threshold) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] > threshold) {
                out.add(k);
            }
        }
        assertThat(out).as("the fixture keeps some slices").isNotEmpty();
        return out;
    }

    private static int sum(FloatImage m) {
        int n = 0;
        for (float v : m.toArray()) {
            n += (int) v;
        }
        return n;
    }

    private static void writeTotalSegmentator(DatasetLayout layout, List<String> ids) throws IOException {
        for (int s = 0; s < ids.size(); s++) {
            LayoutFixtures.writeTotalSegmentator(layout, ids.get(s), scan(LayoutFixtures.HEALTHY, s));
        }
    }

    private static void writeKits(DatasetLayout layout, PhantomConfig config, List<String> ids) throws IOException {
        for (int s = 0; s < ids.size(); s++) {
            LayoutFixtures.writeKits(layout, ids.get(s), scan(config, s));
        }
    }

    @Test
    void totalSegmentatorKidneyMaskIsTheUnionOfTheStructureFiles(@TempDir Path dir) throws IOException {
        DatasetLayout layout = DatasetLayout.totalSegmentator(dir);
        List<String> ids = List.of("s0001", "s0002");
        writeTotalSegmentator(layout, ids);

        CtDataset ds = open(layout, 32);
        SliceConfig cfg = ds.sliceConfig();
        assertThat(ds.scanIds()).containsExactlyElementsOf(ids);
        assertThat(cfg.orientation()).isEqualTo(SliceOrientation.CANONICAL);
        assertThat(cfg.labelMap()).isEqualTo(LabelMap.TOTALSEGMENTATOR_KIDNEYS);
        assertThat(cfg.tumourClass()).isEmpty();
        assertThat(layout.sliceConfig(cfg.window()).kidneyThreshold()).isEqualTo(32);

        for (int s = 0; s < ids.size(); s++) {
            String id = ids.get(s);
            PhantomScan scan = scan(LayoutFixtures.HEALTHY, s);
            // the merged label volume: left kidney 1, right kidney 2, the spleen file not read
            Volume merged = layout.readLabel(layout.scans().get(s));
            int[] kidney = countPerSlice(scan.label(), LabeledVolume.KIDNEY);
            int[] left = countPerSlice(merged, 1);
            int[] right = countPerSlice(merged, 2);
            int[] total = countPerSlice(merged, 0);
            int both = 0;
            for (int k = 0; k < kidney.length; k++) {
                assertThat(left[k] + right[k]).as("slice %d", k).isEqualTo(kidney[k]);
                assertThat(total[k] + kidney[k]).isEqualTo(SIZE * SIZE); // nothing but 0, 1, 2
                both += left[k] > 0 && right[k] > 0 ? 1 : 0;
            }
            assertThat(both).as("slices with both kidneys").isPositive();

            List<Slice> slices = ds.slicesOf(id);
            assertThat(slices).extracting(Slice::sliceIndex).containsExactlyElementsOf(keptWhere(kidney, 32));
            for (Slice sl : slices) {
                assertThat(sl.maskNames()).containsExactly("background", "kidney");
                assertThat(sl.label()).isZero();
                assertThat(sum(sl.mask("kidney"))).as("kidney pixels of slice %d", sl.sliceIndex())
                        .isEqualTo(kidney[sl.sliceIndex()]);
            }
            // exactly the slices of the phantom's own single-valued kidney label, pixel for pixel
            float[] kidneyOnly = scan.label().copyVoxels();
            for (int i = 0; i < kidneyOnly.length; i++) {
                kidneyOnly[i] = kidneyOnly[i] == LabeledVolume.KIDNEY ? 1 : 0;
            }
            Volume image = NiftiVolumes.read(layout.imageFile(id)).withId(id);
            Volume label = Volume.of(id, image.shape(), kidneyOnly, image.spacing(), image.affine());
            List<Slice> ref = new Slicer(cfg.toBuilder().labelMap(LabelMap.KIDNEY_ONLY).build())
                    .slice(new LabelledScan(image, label));
            assertThat(slices).hasSameSizeAs(ref);
            for (int n = 0; n < ref.size(); n++) {
                assertThat(slices.get(n).mask("kidney").toArray()).isEqualTo(ref.get(n).mask("kidney").toArray());
                assertThat(slices.get(n).image().toArray()).isEqualTo(ref.get(n).image().toArray());
                assertThat(slices.get(n).relativeHeight()).isEqualTo(ref.get(n).relativeHeight());
            }
        }
    }

    @Test
    void kits19LoadsAxialFirstScansWithTheirKidneyAndTumourMasks(@TempDir Path dir) throws IOException {
        DatasetLayout layout = DatasetLayout.kits19(dir);
        List<String> ids = List.of("case_00000", "case_00001");
        writeKits(layout, LayoutFixtures.TUMOURS, ids);
        Volume stored = NiftiVolumes.read(layout.imageFile(ids.get(0)));
        PhantomScan first = scan(LayoutFixtures.TUMOURS, 0);
        assertThat(stored.shape()).containsExactly(first.image().nz(), SIZE, SIZE);
        assertThat(AxialAxis.detect(stored).axis()).as("the fixture's affine says axial first").isZero();

        CtDataset ds = open(layout, 20);
        SliceConfig cfg = ds.sliceConfig();
        assertThat(cfg.axialAxis()).isEqualTo(OptionalInt.of(0));
        assertThat(cfg.orientation()).isEqualTo(SliceOrientation.VOXEL);
        assertThat(cfg.labelMap()).isEqualTo(LabelMap.KITS19);
        int abnormal = 0;
        for (int s = 0; s < ids.size(); s++) {
            PhantomScan scan = scan(LayoutFixtures.TUMOURS, s);
            int[] kidney = countPerSlice(scan.label(), LabeledVolume.KIDNEY);
            int[] tumour = countPerSlice(scan.label(), LabeledVolume.TUMOUR);
            List<Slice> slices = ds.slicesOf(ids.get(s));
            assertThat(slices).extracting(Slice::sliceIndex).containsExactlyElementsOf(keptWhere(kidney, 20));
            for (Slice sl : slices) {
                int k = sl.sliceIndex();
                assertThat(sl.maskNames()).containsExactly("background", "kidney", "tumour");
                assertThat(sum(sl.mask("kidney"))).as("kidney pixels of slice %d", k).isEqualTo(kidney[k]);
                assertThat(sum(sl.mask("tumour"))).as("tumour pixels of slice %d", k).isEqualTo(tumour[k]);
                assertThat(sl.label()).as("label of slice %d", k).isEqualTo(tumour[k] > 30 ? 1 : 0);
                abnormal += sl.label();
            }
        }
        assertThat(abnormal).as("slices labelled 1").isPositive();
    }

    @Test
    void kits23LoadsCystsAndShowsTheSameAnatomyAsTheOriginalStorage(@TempDir Path dir) throws IOException {
        DatasetLayout layout = DatasetLayout.kits23(dir);
        List<String> ids = List.of("case_00000", "case_00001");
        writeKits(layout, LayoutFixtures.LESIONS, ids);

        CtDataset ds = open(layout, 20);
        SliceConfig cfg = ds.sliceConfig();
        assertThat(cfg.orientation()).isEqualTo(SliceOrientation.CANONICAL);
        assertThat(cfg.axialAxis()).isEmpty();
        assertThat(cfg.labelMap()).isEqualTo(LabelMap.KITS23);
        int cystPixels = 0;
        for (int s = 0; s < ids.size(); s++) {
            String id = ids.get(s);
            PhantomScan scan = scan(LayoutFixtures.LESIONS, s);
            int[] kidney = countPerSlice(scan.label(), LabeledVolume.KIDNEY);
            int[] cyst = countPerSlice(scan.label(), LabeledVolume.CYST);
            List<Slice> slices = ds.slicesOf(id);
            assertThat(slices).extracting(Slice::sliceIndex).containsExactlyElementsOf(keptWhere(kidney, 20));
            // the axial-first file in the canonical frame = the phantom's own (i, j, k) storage in that frame
            List<Slice> ref = new Slicer(cfg).slice(new LabelledScan(scan.image().withId(id), scan.label().withId(id)));
            assertThat(slices).hasSameSizeAs(ref);
            for (int n = 0; n < ref.size(); n++) {
                Slice a = slices.get(n);
                Slice b = ref.get(n);
                int k = a.sliceIndex();
                assertThat(a.maskNames()).containsExactly("background", "kidney", "tumour", "cyst");
                assertThat(sum(a.mask("cyst"))).as("cyst pixels of slice %d", k).isEqualTo(cyst[k]);
                assertThat(sum(a.mask("kidney"))).isEqualTo(kidney[k]);
                cystPixels += cyst[k];
                for (String m : a.maskNames()) {
                    assertThat(a.mask(m).toArray()).as("%s mask of slice %d", m, k).isEqualTo(b.mask(m).toArray());
                }
                float[] ia = a.image().toArray();
                float[] ib = b.image().toArray();
                for (int i = 0; i < ia.length; i++) {
                    assertThat(ia[i]).isCloseTo(ib[i], within(1e-6f));
                }
                assertThat(a.label()).isEqualTo(b.label());
                assertThat(a.relativeHeight()).isEqualTo(b.relativeHeight());
            }
        }
        assertThat(cystPixels).as("cyst pixels in kept slices").isPositive();
    }

    @Test
    void kitsCaseWithoutSegmentationNamesTheExpectedFiles(@TempDir Path dir) throws IOException {
        DatasetLayout kits19 = DatasetLayout.kits19(dir);
        writeKits(kits19, LayoutFixtures.TUMOURS, List.of("case_00000"));
        Files.createDirectories(dir.resolve("case_00003"));
        Files.copy(kits19.imageFile("case_00000"), kits19.imageFile("case_00003"));

        assertThatThrownBy(kits19::scans).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("case_00003 has imaging.nii.gz but no segmentation.nii.gz; KiTS19 layout "
                        + "expects case_XXXXX/{imaging,segmentation}.nii.gz")
                .hasMessageNotContaining("case_00000");
        assertThatThrownBy(() -> CtDataset.builder(DatasetLayout.kits23(dir)).build())
                .isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("KiTS21/23 layout expects case_XXXXX/{imaging,segmentation}.nii.gz");
        Files.delete(kits19.imageFile("case_00003"));
        assertThatThrownBy(kits19::scans).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("case_00003 has neither imaging.nii.gz nor segmentation.nii.gz");
    }

    @Test
    void totalSegmentatorSubjectWithoutAKidneyFileNamesIt(@TempDir Path dir) throws IOException {
        DatasetLayout layout = DatasetLayout.totalSegmentator(dir);
        writeTotalSegmentator(layout, List.of("s0001", "s0002"));
        Files.delete(layout.structureFile("s0002", "kidney_right"));
        assertThatThrownBy(layout::scans).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("s0002 has ct.nii.gz but no segmentations/kidney_right.nii.gz")
                .hasMessageContaining("TotalSegmentator layout expects sXXXX/ct.nii.gz and "
                        + "sXXXX/segmentations/{kidney_left,kidney_right}.nii.gz");

        Files.createDirectories(dir.resolve("s0003"));
        Files.copy(layout.imageFile("s0001"), layout.imageFile("s0003"));
        assertThatThrownBy(layout::scans).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("s0003 has ct.nii.gz but no segmentations/ folder");
    }

    @Test
    void aFolderInAnotherLayoutIsNamed(@TempDir Path dir) throws IOException {
        writeKits(DatasetLayout.kits19(dir), LayoutFixtures.TUMOURS, List.of("case_00000"));
        assertThatThrownBy(() -> DatasetLayout.totalSegmentator(dir).scans())
                .isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("no sXXXX subject folders in " + dir)
                .hasMessageContaining("looks like the KiTS layout: use DatasetLayout.kits19(root) or "
                        + "DatasetLayout.kits23(root)");
        assertThatThrownBy(() -> CtDataset.builder(dir).build()).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("must contain imagesTr/ and labelsTr/").hasMessageContaining("KiTS layout");
        assertThatThrownBy(() -> DatasetLayout.kits19(dir).imagesDir())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("nnU-Net layout");
    }

    @Test
    void detectPicksTheLayoutOrSaysWhichCallToMake(@TempDir Path dir) throws IOException {
        Path ts = dir.resolve("ts");
        writeTotalSegmentator(DatasetLayout.totalSegmentator(ts), List.of("s0001"));
        assertThat(DatasetLayout.detect(ts).format()).isEqualTo(DatasetLayout.Format.TOTAL_SEGMENTATOR);
        assertThat(DatasetLayout.detect(ts).kidneyStructures()).containsExactly("kidney_left", "kidney_right");

        Path nn = dir.resolve("nn");
        Files.createDirectories(nn.resolve(DatasetLayout.IMAGES));
        Files.createDirectories(nn.resolve(DatasetLayout.LABELS));
        assertThat(DatasetLayout.detect(nn).format()).isEqualTo(DatasetLayout.Format.NNUNET);
        assertThat(DatasetLayout.detect(nn).toString()).isEqualTo(DatasetLayout.of(nn).toString());

        Path kits = dir.resolve("kits");
        writeKits(DatasetLayout.kits23(kits), LayoutFixtures.LESIONS, List.of("case_00000"));
        assertThatThrownBy(() -> DatasetLayout.detect(kits)).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("KiTS19 (labels 1 kidney, 2 tumour) and KiTS21/23 (also 3 cyst)")
                .hasMessageContaining("use DatasetLayout.kits19(root) or DatasetLayout.kits23(root)");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> DatasetLayout.detect(empty)).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining("matches no known layout")
                .hasMessageContaining("case_XXXXX/{imaging,segmentation}.nii.gz (KiTS)")
                .hasMessageContaining("sXXXX/ct.nii.gz");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> DatasetLayout.detect(file)).isInstanceOf(DatasetLayoutException.class)
                .hasMessageContaining(file + " is not a folder");
    }

    @Test
    void aNonBinaryStructureMaskIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        DatasetLayout layout = DatasetLayout.totalSegmentator(dir);
        writeTotalSegmentator(layout, List.of("s0001"));
        Path left = layout.structureFile("s0001", "kidney_left");
        Volume v = NiftiVolumes.read(left);
        float[] voxels = v.copyVoxels();
        voxels[7] = 2;
        NiftiVolumes.write(Volume.of("x", v.shape(), voxels, v.spacing(), v.affine()), left, NiftiDataType.UINT8);
        assertThatThrownBy(() -> layout.read(layout.scans().get(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(left.toString()).hasMessageContaining("holds 2.0 at flat voxel 7")
                .hasMessageContaining("binary (0/1)");
    }

    @Test
    void layoutArgumentsAndLayoutSpecificFilesAreChecked(@TempDir Path dir) {
        assertThatThrownBy(() -> DatasetLayout.totalSegmentator(dir, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kidneyStructures");
        assertThatThrownBy(() -> DatasetLayout.totalSegmentator(dir, List.of("kidney_left.nii.gz")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kidney_left.nii.gz'");
        assertThatThrownBy(() -> DatasetLayout.totalSegmentator(dir, List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThat(DatasetLayout.totalSegmentator(dir, List.of("kidney_left", "kidney_right", "kidney_cyst_left"))
                .labelMap().values(LabelMap.KIDNEY)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> DatasetLayout.totalSegmentator(dir).labelFile("s0001"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("structureFile(\"s0001\"");
        assertThatThrownBy(() -> DatasetLayout.kits19(dir).structureFile("case_00000", "kidney_left"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("labelFile(id)");
        assertThat(DatasetLayout.kits19(dir).imageFile("case_00007"))
                .isEqualTo(dir.resolve("case_00007").resolve("imaging.nii.gz"));
        assertThat(DatasetLayout.kits21(dir).format()).isEqualTo(DatasetLayout.Format.KITS23);
    }
}
