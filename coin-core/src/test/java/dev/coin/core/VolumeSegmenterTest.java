package dev.coin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.mask.MaskPolicy;
import dev.coin.data.ct.CtWindow;
import dev.coin.data.image.FloatImage;
import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.nifti.NiftiHeader;
import dev.coin.data.nifti.NiftiImage;
import dev.coin.data.nifti.NiftiReader;
import dev.coin.data.nifti.NiftiWriter;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceOrientation;
import dev.coin.data.slice.Slicer;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.PhantomGenerator;
import dev.coin.data.synth.PhantomScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Volume in, volume out, on a phantom scan with a known pasted anomaly. The explainer is a stand-in whose
 * counterfactual is the same slice of the scan before the anomaly was pasted (so its difference map is the known
 * anomaly's difference); everything else is the real path: NIfTI files in, the slicer, the masks at the model's
 * size, {@code SliceInverse} back to native resolution and orientation, NIfTI files out.
 *
 * <p>The scan is stored RAS (both in-plane axes reversed against the phantom's LPS), cropped to a non-square
 * 64 × 48 in-plane grid, and sliced to 32 × 32 (factors 2 and 1.5): the mask comes back through a non-trivial
 * orientation and a non-integer resize.
 */
class VolumeSegmenterTest {
    /** An abdominal window: the anomaly (−400 HU) sits at its floor, kidney tissue well above it. */
    private static final CtWindow WINDOW = CtWindow.of(-160, 240);
    private static final float ANOMALY_HU = -400;
    private static final int SIZE = 32;

    private static Volume clean;      // RAS, 64 x 48 x nz
    private static Volume kidneys;    // labels of the clean scan
    private static Volume withAnomaly;
    private static Volume truth;      // 1 inside the pasted anomaly

    @TempDir
    Path dir;

    @BeforeAll
    static void scan() {
        PhantomScan p = PhantomGenerator.of(PhantomConfig.builder().seed(11).matrixSize(64).tumourFraction(0)
                .cystFraction(0).build()).generate(0);
        clean = rasCropped(p.image());
        kidneys = rasCropped(p.label());
        // an ellipsoid (radii 6 x 5 voxels in plane, 2 slices) centred 5 voxels inside the kidney edge in the slice
        // with most kidney, partly outside the kidney (an exophytic lesion)
        int nx = clean.nx();
        int ny = clean.ny();
        int nz = clean.nz();
        int bestK = 0;
        int bestCount = -1;
        for (int k = 0; k < nz; k++) {
            int c = 0;
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    c += kidneys.get(i, j, k) == 1 ? 1 : 0;
                }
            }
            if (c > bestCount) {
                bestCount = c;
                bestK = k;
            }
        }
        int ci = -1;
        int cj = -1;
        // the first kidney voxel along i at the middle of its j range, on the kidney with the smaller i
        outer:
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                if (kidneys.get(i, j, bestK) == 1) {
                    ci = i + 5;
                    cj = j;
                    break outer;
                }
            }
        }
        float[] img = clean.copyVoxels();
        float[] t = new float[img.length];
        for (int k = Math.max(0, bestK - 2); k <= Math.min(nz - 1, bestK + 2); k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double d = sq((i - ci) / 6.0) + sq((j - cj) / 5.0) + sq((k - bestK) / 2.0);
                    int idx = i + nx * (j + ny * k);
                    if (d <= 1) {
                        img[idx] = ANOMALY_HU;
                        t[idx] = 1;
                    }
                }
            }
        }
        withAnomaly = clean.withVoxels(clean.id(), img);
        truth = clean.withVoxels("truth", t);
    }

    private static double sq(double x) {
        return x * x;
    }

    /** The phantom (i → L, j → P) re-stored RAS (i → R, j → A) and cropped to j in [8, 56): 64 × 48 in plane. */
    private static Volume rasCropped(Volume v) {
        int nx = v.nx();
        int ny = 48;
        int nz = v.nz();
        int j0 = 8;
        float[] out = new float[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    // new (i, j) = old (nx - 1 - i, j0 + ny - 1 - j)
                    out[i + nx * (j + ny * k)] = v.get(nx - 1 - i, j0 + ny - 1 - j, k);
                }
            }
        }
        double[][] a = v.affine();
        double[][] b = new double[4][4];
        double oi = nx - 1;
        double oj = j0 + ny - 1;
        for (int r = 0; r < 3; r++) {
            b[r][0] = -a[r][0];
            b[r][1] = -a[r][1];
            b[r][2] = a[r][2];
            b[r][3] = a[r][3] + a[r][0] * oi + a[r][1] * oj;
        }
        b[3][3] = 1;
        return Volume.of(v.id(), new int[] {nx, ny, nz}, out, v.spacing(), b);
    }

    private static SliceConfig config(SliceOrientation o) {
        return SliceConfig.builder().window(WINDOW).labelMap(LabelMap.TUH).kidneyThreshold(32).orientation(o)
                .outputSize(SIZE, SIZE).build();
    }

    /** The stand-in: the counterfactual of each slice is the same slice of the clean scan. */
    private static VolumeSegmenter.SliceExplainer knownDifference(SliceConfig cfg) {
        Map<Integer, Slice> cleanSlices = new HashMap<>();
        for (Slice s : new Slicer(cfg).slice(clean, kidneys)) {
            cleanSlices.put(s.sliceIndex(), s);
        }
        return slices -> {
            List<Explanation> out = new ArrayList<>();
            for (Slice s : slices) {
                FloatImage cf = cleanSlices.get(s.sliceIndex()).image();
                boolean changed = !cf.equals(s.image());
                out.add(Explanation.of(s.image(), cf, changed ? 0.9 : 0.1, 0.1));
            }
            return out;
        };
    }

    /** Writes the scan as int16 (sform code 2, qform code 1) and the labels as uint8; returns {ct, labels}. */
    private Path[] writeScan(Volume ct) throws Exception {
        Path ctPath = dir.resolve("scan.nii.gz");
        NiftiImage img = NiftiImage.builder().shape(ct.shape()).float32(ct.copyVoxels()).affine(ct.affine(), 1)
                .build();
        img = img.withHeader(img.header().toBuilder().sformCode(2).build());
        NiftiWriter.builder().dataType(NiftiDataType.INT16).build().write(img, ctPath);
        Path segPath = dir.resolve("scan_kidneys.nii.gz");
        NiftiVolumes.write(kidneys, segPath, NiftiDataType.UINT8);
        return new Path[] {ctPath, segPath};
    }

    @ParameterizedTest
    @EnumSource(value = SliceOrientation.class, names = {"CANONICAL", "TRANSPOSED"})
    void roundTripRecoversThePastedAnomalyInTheSourceGeometry(SliceOrientation orientation) throws Exception {
        SliceConfig cfg = config(orientation);
        Path[] in = writeScan(withAnomaly);
        VolumeSegmentation s = VolumeSegmenter.of(knownDifference(cfg), cfg, MaskPolicy.DEFAULT).segment(in[0], in[1]);
        Path maskPath = s.writeMask(dir.resolve("scan_mask.nii.gz"));
        Path diffPath = s.writeDifferenceMap(dir.resolve("scan_diff.nii.gz"));

        // geometry: the output headers carry the source's affine, codes and pixdim
        NiftiHeader src = NiftiReader.readHeader(in[0]);
        for (Path out : List.of(maskPath, diffPath)) {
            NiftiHeader h = NiftiReader.readHeader(out);
            assertThat(h.affine()).as(out.toString()).isDeepEqualTo(src.affine());
            assertThat(h.sformAffine()).isDeepEqualTo(src.sformAffine());
            assertThat(h.qformAffine()).isDeepEqualTo(src.qformAffine());
            assertThat(h.sformCode()).isEqualTo(2);
            assertThat(h.qformCode()).isEqualTo(1);
            assertThat(h.pixdim()).containsExactly(src.pixdim());
            assertThat(h.shape()).containsExactly(src.shape());
        }
        assertThat(NiftiReader.readHeader(maskPath).dataType()).isEqualTo(NiftiDataType.UINT8);
        assertThat(NiftiReader.readHeader(diffPath).dataType()).isEqualTo(NiftiDataType.FLOAT32);
        // and the project's reader gives the same Volume geometry as for the source
        Volume source = NiftiVolumes.read(in[0]);
        Volume mask = NiftiVolumes.read(maskPath);
        assertThat(mask.shape()).containsExactly(source.shape());
        assertThat(mask.spacing()).containsExactly(source.spacing());
        assertThat(mask.affine()).isDeepEqualTo(source.affine());
        for (int r = 0; r < 4; r++) {   // NIfTI-1 stores the affine in float32
            assertThat(mask.affine()[r]).containsExactly(withAnomaly.affine()[r], org.assertj.core.data.Offset.offset(1e-5));
        }

        // slices outside the kidney range are zero; every truth voxel lies in an explained slice
        int[] explained = s.explainedSlices();
        boolean[] isExplained = new boolean[mask.nz()];
        for (int k : explained) {
            isExplained[k] = true;
        }
        Volume diff = NiftiVolumes.read(diffPath);
        long outside = 0;
        long inter = 0;
        long union = 0;
        double diffInside = 0;
        long truthVoxels = 0;
        for (int k = 0; k < mask.nz(); k++) {
            for (int j = 0; j < mask.ny(); j++) {
                for (int i = 0; i < mask.nx(); i++) {
                    float m = mask.get(i, j, k);
                    float t = truth.get(i, j, k);
                    assertThat(m == 0 || m == 1).isTrue();
                    if (!isExplained[k]) {
                        outside += (m != 0 ? 1 : 0) + (diff.get(i, j, k) != 0 ? 1 : 0) + (t != 0 ? 1 : 0);
                    }
                    inter += m == 1 && t == 1 ? 1 : 0;
                    union += m == 1 || t == 1 ? 1 : 0;
                    if (t == 1) {
                        diffInside += diff.get(i, j, k);
                        truthVoxels++;
                    }
                }
            }
        }
        assertThat(outside).isZero();
        assertThat(explained.length).isLessThan(mask.nz());   // the kidney filter dropped slices
        double iou = (double) inter / union;
        System.out.printf(Locale.ROOT, "VolumeSegmenterTest %s: %d of %d slices explained, truth %d voxels, mask %d "
                        + "voxels (%.2f ml), IoU %.3f, mean difference in the anomaly %.3f%n", orientation,
                explained.length, mask.nz(), truthVoxels, s.maskVoxels(), s.maskMillilitres(), iou,
                diffInside / truthVoxels);
        assertThat(truthVoxels).isGreaterThan(100);
        // the explainer is exact at slice resolution, so what is lost is the resampling: 64 x 48 → 32 x 32 by
        // bilinear (edge pixels mix anomaly and tissue and may fall below the threshold) and back by nearest
        // (32 → 48 rows repeats every other row). That costs at most a rim of about one native voxel around a lesion
        // with in-plane radii 6 x 5 voxels (area ≈ 94 voxels, rim ≈ 35): losing or gaining half of it on every slice
        // gives IoU ≈ (94 − 17) / (94 + 17) ≈ 0.69, so 0.65 is the bound. A mask in the wrong orientation fails it:
        // the same mask mirrored along either in-plane axis is checked to overlap the truth far less.
        assertThat(iou).isGreaterThan(0.65);
        for (int axis = 0; axis < 2; axis++) {
            double mirrored = mirroredIou(mask, truth, axis);
            System.out.printf(Locale.ROOT, "VolumeSegmenterTest %s: IoU of the mask mirrored along voxel axis %d: "
                    + "%.3f%n", orientation, axis, mirrored);
            assertThat(mirrored).isLessThan(0.4);
        }
        assertThat(diffInside / truthVoxels).isGreaterThan(0.25);
        assertThat(s.abnormalSlices()).isBetween(1, 5);
        assertThat(s.toString()).startsWith("VolumeSegmentation[scan, 64x48x" + mask.nz() + ", " + explained.length
                + " slices explained");
    }

    /**
     * nibabel (Debian's python3-nibabel, unpacked by scripts/fetch-nifti-testdata.sh) reads the mask and the
     * difference map with the CT's geometry: shape, sform/qform codes and matrices, pixdim; and the mask has as many
     * non-zero voxels as the segmentation says. Skipped with a message where nibabel cannot be imported.
     */
    @Test
    void nibabelReadsTheOutputsWithTheSourceGeometry() throws Exception {
        Path script = repositoryRoot().resolve("scripts/nifti_geometry.py");
        String data = System.getProperty("coin.nifti.testdata", "");
        Path python = Path.of(data, "python");
        String interpreter = null;
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (runs(python, candidate, "-c", "import nibabel, numpy")) {
                interpreter = candidate;
                break;
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(interpreter != null, "no python3 imports nibabel and numpy with "
                + "PYTHONPATH=" + python + "; run scripts/fetch-nifti-testdata.sh (and apt-get install python3-numpy)");
        SliceConfig cfg = config(SliceOrientation.CANONICAL);
        Path[] in = writeScan(withAnomaly);
        VolumeSegmentation s = VolumeSegmenter.of(knownDifference(cfg), cfg, MaskPolicy.DEFAULT).segment(in[0], in[1]);
        Path mask = s.writeMask(dir.resolve("scan_mask.nii.gz"));
        Path diff = s.writeDifferenceMap(dir.resolve("scan_diff.nii"));
        ProcessBuilder pb = new ProcessBuilder(interpreter, script.toString(), in[0].toString(), mask.toString(),
                diff.toString()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", python.toString());
        Process proc = pb.start();
        String output = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = proc.waitFor();
        System.out.println("VolumeSegmenterTest nibabel check:\n" + output);
        assertThat(rc).as(output).isZero();
        assertThat(output).contains(": same geometry").contains("\"datatype\": \"uint8\"")
                .contains("\"datatype\": \"float32\"").contains("\"nonzero\": " + s.maskVoxels() + "}");
    }

    private static boolean runs(Path pythonPath, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PYTHONPATH", pythonPath.toString());
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isRegularFile(p.resolve("scripts/nifti_geometry.py"))) {
                return p;
            }
        }
        throw new IllegalStateException("no scripts/nifti_geometry.py above " + System.getProperty("user.dir"));
    }

    @Test
    void inMemoryVolumesWithoutAKidneyMaskExplainEverySlice() {
        SliceConfig cfg = config(SliceOrientation.CANONICAL);
        List<Integer> seen = new ArrayList<>();
        VolumeSegmenter.SliceExplainer identity = slices -> {
            slices.forEach(sl -> seen.add(sl.sliceIndex()));
            return slices.stream().map(sl -> Explanation.of(sl.image(), sl.image(), 0.1, 0.1)).toList();
        };
        VolumeSegmentation s = VolumeSegmenter.of(identity, cfg, MaskPolicy.DEFAULT).segment(clean);
        assertThat(s.explainedSlices()).hasSize(clean.nz());
        assertThat(seen).hasSize(clean.nz());
        assertThat(s.maskVoxels()).isZero();
        assertThat(s.sourceHeader()).isEmpty();
        assertThat(s.mask().affine()).isDeepEqualTo(clean.affine());
    }

    @Test
    void badInputNamesTheArgumentTheValueAndTheFix() throws Exception {
        SliceConfig cfg = config(SliceOrientation.CANONICAL);
        VolumeSegmenter seg = VolumeSegmenter.of(knownDifference(cfg), cfg, MaskPolicy.DEFAULT);
        Volume small = Volume.of("small", new int[] {4, 4, 4}, new float[64], new double[] {1, 1, 1});
        assertThatThrownBy(() -> seg.segment(clean, small)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kidneyMask small has shape [4, 4, 4]")
                .hasMessageContaining("[64, 48, " + clean.nz() + "]").hasMessageContaining("pass the label volume");

        VolumeSegmenter dropsOne = VolumeSegmenter.of(slices -> List.of(), cfg, MaskPolicy.DEFAULT);
        assertThatThrownBy(() -> dropsOne.segment(clean, kidneys)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 0 explanations").hasMessageContaining("explain every slice");

        // a model that explains at another size than the config cuts: refused, not silently resampled
        VolumeSegmenter otherSize = VolumeSegmenter.of(slices -> slices.stream().map(sl -> sl.resized(16, 16))
                .map(sl -> Explanation.of(sl.image(), sl.image(), 0.1, 0.1)).toList(), cfg, MaskPolicy.DEFAULT);
        assertThatThrownBy(() -> otherSize.segment(clean, kidneys)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image is 16x16 but the slice config cuts 32x32");

        assertThatThrownBy(() -> VolumeSegmenter.of(knownDifference(cfg), cfg, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("maskPolicy");
    }

    private static double mirroredIou(Volume mask, Volume truth, int axis) {
        long inter = 0;
        long union = 0;
        for (int k = 0; k < mask.nz(); k++) {
            for (int j = 0; j < mask.ny(); j++) {
                for (int i = 0; i < mask.nx(); i++) {
                    float m = axis == 0 ? mask.get(mask.nx() - 1 - i, j, k) : mask.get(i, mask.ny() - 1 - j, k);
                    float t = truth.get(i, j, k);
                    inter += m == 1 && t == 1 ? 1 : 0;
                    union += m == 1 || t == 1 ? 1 : 0;
                }
            }
        }
        return (double) inter / union;
    }
}
