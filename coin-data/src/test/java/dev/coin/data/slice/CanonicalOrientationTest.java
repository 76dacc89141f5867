package dev.coin.data.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.dataset.EpochPlan;
import dev.coin.data.dataset.PairedHealthySampler;
import dev.coin.data.dataset.SliceInfo;
import dev.coin.data.image.FloatImage;
import dev.coin.data.synth.PhantomScan;
import dev.coin.data.volume.AxialAxis;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: the same anatomy gives the same slices whatever the storage layout; the reference stays available. */
class CanonicalOrientationTest {
    private static final CtWindow WINDOW = CtWindow.of(-100, 300);

    private static SliceConfig.Builder small(SliceConfig preset) {
        return preset.toBuilder().kidneyThreshold(20).tumourThreshold(4).outputSize(48, 40);
    }

    /** Slices by anatomical index. */
    private static Map<Integer, Slice> byAnatomy(List<Slice> slices) {
        Map<Integer, Slice> m = new TreeMap<>();
        slices.forEach(s -> m.put(s.anatomicalIndex(), s));
        return m;
    }

    private static double maxAbsDiff(FloatImage a, FloatImage b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }

    @Test
    void sixStorageLayoutsOfOnePhantomGiveIdenticalCanonicalSlices(@TempDir Path dir) throws Exception {
        PhantomScan scan = PhantomLayouts.scan();
        Slicer slicer = new Slicer(small(SliceConfig.canonical(WINDOW)).build());
        Map<PhantomLayouts.Layout, List<Slice>> out = new EnumMap<>(PhantomLayouts.Layout.class);
        for (PhantomLayouts.Layout layout : PhantomLayouts.Layout.values()) {
            Path[] files = layout.write(scan, dir);
            out.put(layout, slicer.slice(NiftiVolumes.read(files[0]), NiftiVolumes.read(files[1])));
        }
        Map<Integer, Slice> ref = byAnatomy(out.get(PhantomLayouts.Layout.RAS));
        assertThat(ref).hasSizeGreaterThan(20);
        assertThat(ref.values().stream().filter(s -> s.label() == 1).count()).isBetween(3L, (long) ref.size() - 3);

        for (PhantomLayouts.Layout layout : PhantomLayouts.Layout.values()) {
            Map<Integer, Slice> got = byAnatomy(out.get(layout));
            assertThat(got.keySet()).as(layout.name()).isEqualTo(ref.keySet());
            for (Slice r : ref.values()) {
                Slice s = got.get(r.anatomicalIndex());
                String what = layout + " slice " + r.anatomicalIndex();
                assertThat(maxAbsDiff(s.image(), r.image())).as(what + " image").isLessThanOrEqualTo(1e-6);
                assertThat(s.maskNames()).as(what).isEqualTo(r.maskNames());
                for (int c = 0; c < r.masks().size(); c++) {
                    assertThat(s.masks().get(c).toArray()).as(what + " mask " + r.maskNames().get(c))
                            .isEqualTo(r.masks().get(c).toArray());
                }
                assertThat(s.label()).as(what + " label").isEqualTo(r.label());
                assertThat(s.relativeHeight()).as(what + " height").isEqualTo(r.relativeHeight());
            }
        }
        // storage indices stay reported: head first, storage index k is anatomical index nz - 1 - k
        int nz = scan.image().nz();
        for (Slice s : out.get(PhantomLayouts.Layout.HEAD_FIRST)) {
            assertThat(s.sliceIndex()).isEqualTo(nz - 1 - s.anatomicalIndex());
        }
        for (Slice s : out.get(PhantomLayouts.Layout.RAS)) {
            assertThat(s.sliceIndex()).isEqualTo(s.anatomicalIndex());
        }
    }

    @Test
    void theFixedOrientationsDifferBetweenLayoutsWhichIsWhyCanonicalExists(@TempDir Path dir) throws Exception {
        PhantomScan scan = PhantomLayouts.scan();
        Slicer tuh = new Slicer(small(SliceConfig.tuh(WINDOW)).build());
        Path[] ras = PhantomLayouts.Layout.RAS.write(scan, dir);
        Path[] lps = PhantomLayouts.Layout.LPS.write(scan, dir);
        Slice a = tuh.slice(NiftiVolumes.read(ras[0]), NiftiVolumes.read(ras[1])).get(10);
        Slice b = tuh.slice(NiftiVolumes.read(lps[0]), NiftiVolumes.read(lps[1])).get(10);
        assertThat(a.anatomicalIndex()).isEqualTo(b.anatomicalIndex());
        assertThat(maxAbsDiff(a.image(), b.image())).isGreaterThan(0.1);
    }

    @Test
    void canonicalIsTheRadiologicalViewTheTransposedOrientationGivesForLpsStorage() {
        PhantomScan scan = PhantomLayouts.scan(); // stored i -> left, j -> posterior
        SliceConfig square = small(SliceConfig.canonical(WINDOW)).outputSize(40, 40).build();
        List<Slice> canonical = new Slicer(square).slice(scan.image(), scan.label());
        List<Slice> transposed = new Slicer(square.toBuilder().orientation(SliceOrientation.TRANSPOSED).build())
                .slice(scan.image(), scan.label());
        assertThat(canonical).hasSameSizeAs(transposed);
        for (int n = 0; n < canonical.size(); n++) {
            assertThat(maxAbsDiff(canonical.get(n).image(), transposed.get(n).image())).isLessThanOrEqualTo(1e-6);
            assertThat(canonical.get(n).mask("kidney").toArray()).isEqualTo(transposed.get(n).mask("kidney").toArray());
        }
        DisplayFrame f = new Slicer(square).displayFrameOf(scan.image());
        assertThat(f.rowAxis()).isEqualTo(1);
        assertThat(f.columnAxis()).isEqualTo(0);
        assertThat(f.rowsReversed()).isFalse();
        assertThat(f.columnsReversed()).isFalse();
    }

    /** Digests of the code before issue 13 (commit fe834d2) on {@link GoldenScan}, 48x40 output. */
    private static final Map<String, String> BEFORE = Map.of(
            "ras ANTI_TRANSPOSED", "4803b0187b612632a4986cc0fc4d07e4413e8f42032498700353c6ef4b1f6e31",
            "ras VOXEL", "a311769f651e427c7648374fb952021c231bc497beab90a901cd635f6e8359b7",
            "ras TRANSPOSED", "975ffe18f1bf0b79a74830dc057509ac0371ac99ff79a6616ce74281432086ed",
            "headFirst ANTI_TRANSPOSED", "f583c347d1516567a7bc8e03bec654185cf24da14f73f2f9cc05a1a66e46805c",
            "headFirst VOXEL", "76bc8242c4f26b71932c33e2aef752594520ec6752a2d67759d8ba264909ed89",
            "headFirst TRANSPOSED", "2bc3f3bdfe008069ad45409911f64f3d66fdd6eb2633127711aaf0a80c2ff395");

    @Test
    void theReferenceOrientationsWithStorageHeightsReproduceTheOldOutputBitForBit() {
        Map<String, LabelledScan> scans = Map.of("ras", GoldenScan.ras(), "headFirst", GoldenScan.headFirst());
        SliceConfig[] presets = {small(SliceConfig.tuh(WINDOW)).build(),
            SliceConfig.synthetic(WINDOW).toBuilder().outputSize(48, 40).build(), // its own threshold 32
            small(SliceConfig.tuh(WINDOW)).orientation(SliceOrientation.TRANSPOSED).build()};
        for (var e : scans.entrySet()) {
            for (SliceConfig c : presets) {
                String key = e.getKey() + " " + c.orientation();
                List<Slice> reference = new Slicer(c.toBuilder().heightOrder(HeightOrder.STORAGE).build())
                        .slice(e.getValue());
                assertThat(PhantomLayouts.digest(reference)).as(key).isEqualTo(BEFORE.get(key));
                // the presets' own (anatomical) heights change nothing for a scan stored feet to head
                if (e.getKey().equals("ras")) {
                    assertThat(PhantomLayouts.digest(new Slicer(c).slice(e.getValue()))).as(key)
                            .isEqualTo(BEFORE.get(key));
                }
            }
        }
    }

    @Test
    void headFirstScansGetTheSameHeightsAndThePairedSamplerPairsTheSameAnatomy() {
        SliceConfig anatomical = small(SliceConfig.tuh(WINDOW)).build();
        List<Slice> feetFirst = new Slicer(anatomical).slice(GoldenScan.ras());
        List<Slice> headFirst = new Slicer(anatomical).slice(GoldenScan.headFirst());
        Map<Integer, Double> height = new HashMap<>();
        feetFirst.forEach(s -> height.put(s.anatomicalIndex(), s.relativeHeight()));
        for (Slice s : headFirst) {
            assertThat(s.relativeHeight()).as("slice k=%d", s.sliceIndex()).isEqualTo(height.get(s.anatomicalIndex()));
        }
        assertThat(headFirst.get(0).relativeHeight()).isEqualTo(1.0); // storage index 0 is the top

        // pairs drawn from the head-first scan share the height bin of the feet-first scan: same anatomy
        int bins = 4;
        List<SliceInfo> infos = headFirst.stream().map(SliceInfo::of).toList();
        PairedHealthySampler sampler = PairedHealthySampler.builder(infos).bins(bins).skipUnpairable().build();
        for (int epoch = 0; epoch < 3; epoch++) {
            EpochPlan plan = sampler.plan(epoch);
            for (int i = 0; i < plan.size(); i++) {
                SliceInfo item = infos.get(plan.item(i));
                SliceInfo partner = infos.get(plan.partner(i));
                assertThat(bin(height.get(partner.anatomicalIndex()), bins))
                        .isEqualTo(bin(height.get(item.anatomicalIndex()), bins));
            }
        }
        // the reference's storage-order heights are mirrored for this scan
        List<Slice> mirrored = new Slicer(anatomical.toBuilder().heightOrder(HeightOrder.STORAGE).build())
                .slice(GoldenScan.headFirst());
        assertThat(mirrored.get(0).relativeHeight()).isEqualTo(0.0);
        assertThat(mirrored.get(0).anatomicalIndex()).isEqualTo(headFirst.get(0).anatomicalIndex());
    }

    private static int bin(double h, int bins) {
        return (int) Math.floor(bins * h);
    }

    // --- DisplayFrame from affines -------------------------------------------------------------------------------

    private static Volume withAffine(double[][] affine) {
        return Volume.of("v", new int[] {4, 5, 6}, new float[120], new double[] {1, 1, 1}, affine);
    }

    private static DisplayFrame frame(double[][] affine) {
        Volume v = withAffine(affine);
        return DisplayFrame.of(v, AxialAxis.detect(v));
    }

    @Test
    void displayFrameFollowsTheSignsAndOrderOfTheInPlaneColumns() {
        DisplayFrame ras = frame(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        assertThat(ras).hasToString("DisplayFrame[rows = voxel axis 1 reversed, columns = voxel axis 0 reversed, "
                + "obliquity 0.0°]");
        DisplayFrame lps = frame(new double[][] {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        assertThat(lps.rowsReversed() || lps.columnsReversed()).isFalse();
        // axial axis first, j -> anterior, k -> left: rows from j reversed, columns from k
        DisplayFrame first = frame(new double[][] {{0, 0, -2, 0}, {0, 0.8, 0, 0}, {3, 0, 0, 0}, {0, 0, 0, 1}});
        assertThat(first.rowAxis()).isEqualTo(1);
        assertThat(first.rowsReversed()).isTrue();
        assertThat(first.columnAxis()).isEqualTo(2);
        assertThat(first.columnsReversed()).isFalse();
        // in-plane rows along world x: j -> right is the column axis
        DisplayFrame swapped = frame(new double[][] {{0, 1, 0, 0}, {-1, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        assertThat(swapped.columnAxis()).isEqualTo(1);
        assertThat(swapped.columnsReversed()).isTrue();
        assertThat(swapped.rowAxis()).isEqualTo(0);
        assertThat(swapped.rowsReversed()).isFalse();
    }

    @Test
    void obliqueAffinesUseTheNearestFrameAndRefuseAt45Degrees() {
        double t = Math.toRadians(10);
        DisplayFrame tilted = frame(new double[][] {{Math.cos(t), -Math.sin(t), 0, 0}, {Math.sin(t), Math.cos(t), 0, 0},
            {0, 0, 1, 0}, {0, 0, 0, 1}});
        assertThat(tilted.obliquityDegrees()).isCloseTo(10, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(tilted.rowAxis()).isEqualTo(1);
        assertThat(tilted.columnAxis()).isEqualTo(0);
        assertThat(DisplayFrame.OBLIQUITY_WARNING_DEGREES).isEqualTo(5);

        double q = Math.toRadians(45);
        assertThatThrownBy(() -> frame(new double[][] {{Math.cos(q), -Math.sin(q), 0, 0},
            {Math.sin(q), Math.cos(q), 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume v")
                .hasMessageContaining("45.0°").hasMessageContaining("SliceOrientation.VOXEL");
    }

    @Test
    void anAxialAxisFixedOverAMisleadingAffineGetsNoCanonicalFrame() {
        // KiTS19-style: axial axis 0 by hand, but the affine is diagonal (it says axis 2 is axial)
        Volume v = withAffine(new double[][] {{0.8, 0, 0, 0}, {0, 0.8, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 1}});
        assertThatThrownBy(() -> DisplayFrame.of(v, AxialAxis.fixed(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed by hand");
        SliceConfig kits = SliceConfig.kits19(WINDOW);
        assertThat(kits.orientation()).isEqualTo(SliceOrientation.VOXEL);
        assertThat(SliceConfig.canonical(WINDOW).orientation()).isEqualTo(SliceOrientation.CANONICAL);
        assertThat(SliceConfig.tuh(WINDOW).heightOrder()).isEqualTo(HeightOrder.ANATOMICAL);
    }
}
