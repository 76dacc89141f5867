package dev.coin.data.slice;

import static dev.coin.data.slice.LayoutFixture.C;
import static dev.coin.data.slice.LayoutFixture.R;
import static dev.coin.data.slice.LayoutFixture.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.LayoutFixture.Layout;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicerTest {
    private static final CtWindow WINDOW = CtWindow.of(-100, 200);
    private static final int[] KEPT = {3, 4, 5, 6};
    private static final int[] LABELS = {0, 0, 1, 1};
    private static final double[] HEIGHTS = {0, 1 / 3.0, 2 / 3.0, 1};

    private final LayoutFixture fx = new LayoutFixture();

    private static SliceConfig.Builder config() {
        return SliceConfig.builder().window(WINDOW).labelMap(LabelMap.TUH).kidneyThreshold(5).tumourThreshold(4);
    }

    /** Expected windowed + resized image of canonical slice k, by the naive resizer in ResizeTest. */
    private static double[] expectedImage(int k, int outH, int outW) {
        float[] native_ = new float[R * C];
        for (int r = 0; r < R; r++) {
            for (int c = 0; c < C; c++) {
                double x = Math.min(Math.max(LayoutFixture.hu(r, c, k), -100), 200);
                native_[r * C + c] = (float) (2 * (x + 100) / 300 - 1);
            }
        }
        return ResizeTest.naiveBilinear(native_, R, C, outH, outW);
    }

    /** Expected mask of value v: nearest neighbour src = floor(dst * native/out) (integer ratios only). */
    private float[] expectedMask(int k, int value, int outH, int outW) {
        float[] m = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                m[y * outW + x] = fx.label[k][y * R / outH][x * C / outW] == value ? 1 : 0;
            }
        }
        return m;
    }

    private void assertExpected(List<Slice> slices, String scanId, int outH, int outW) {
        assertThat(slices).extracting(Slice::sliceIndex).containsExactly(3, 4, 5, 6);
        for (int n = 0; n < KEPT.length; n++) {
            Slice s = slices.get(n);
            int k = KEPT[n];
            assertThat(s.scanId()).isEqualTo(scanId);
            assertThat(s.label()).as("label of slice %d", k).isEqualTo(LABELS[n]);
            assertThat(s.relativeHeight()).isCloseTo(HEIGHTS[n], within(1e-12));
            assertThat(s.maskNames()).containsExactly("background", "kidney", "tumour", "cyst");
            double[] img = expectedImage(k, outH, outW);
            float[] got = s.image().toArray();
            for (int i = 0; i < img.length; i++) {
                assertThat((double) got[i]).as("slice %d pixel %d", k, i).isCloseTo(img[i], within(1e-5));
            }
            for (int value = 0; value <= 3; value++) {
                assertThat(s.masks().get(value).toArray()).as("slice %d mask %d", k, value)
                        .containsExactly(expectedMask(k, value, outH, outW));
            }
        }
    }

    @Test
    void axialLastRasLayoutGivesTheHandDesignedSlices() {
        List<Slice> slices = new Slicer(config().outputSize(4, 3).build())
                .slice(fx.scan("case_ras", Layout.AXIAL_LAST_RAS));
        assertExpected(slices, "case_ras", 4, 3);
        // slice 4: kidney 20, tumour 4 at native size; at 4x3 (rows 0,2,4,6 x cols 0,2,4) by hand:
        Slice s4 = slices.get(1);
        assertThat(s4.mask("kidney").countPositive()).isEqualTo(5);  // rows 0,2 x cols 0,2 + row 4 col 0
        assertThat(s4.mask("tumour").countPositive()).isEqualTo(1);  // (4, 2)
        assertThat(s4.mask("cyst").countPositive()).isEqualTo(1);    // (6, 4)
        assertThat(s4.toString())
                .isEqualTo("Slice[scan=case_ras, k=4, label=0, h=0.33, 4x3, kidney 5 px, tumour 1 px, cyst 1 px]");
    }

    /** The slices with the anatomical index set to the storage index, to compare everything else. */
    private static List<Slice> withoutAnatomicalIndex(List<Slice> slices) {
        return slices.stream().map(s -> new Slice(s.scanId(), s.sliceIndex(), s.label(), s.relativeHeight(),
                s.image(), s.maskNames(), s.masks())).toList();
    }

    @Test
    void everyLayoutGivesIdenticalSlices() {
        // voxel order ignores the in-plane affine columns; storage-order heights ignore the superior direction
        SliceConfig cfg = config().outputSize(4, 3).heightOrder(HeightOrder.STORAGE).build();
        List<Slice> reference = new Slicer(cfg).slice(fx.scan("s", Layout.AXIAL_LAST_RAS));
        for (Layout layout : new Layout[] {Layout.AXIAL_LAST_LPS, Layout.AXIAL_LAST_HEAD_FIRST,
            Layout.AXIAL_FIRST_PERMUTED, Layout.AXIAL_MIDDLE}) {
            assertThat(withoutAnatomicalIndex(new Slicer(cfg).slice(fx.scan("s", layout)))).as(layout.name())
                    .isEqualTo(reference);
        }
        List<Slice> overridden = new Slicer(cfg.toBuilder().axialAxis(0).build())
                .slice(fx.scan("s", Layout.AXIAL_FIRST_MISLEADING));
        assertThat(overridden).isEqualTo(reference);
        // without the override the misleading affine slices along the wrong axis
        List<Slice> misled = new Slicer(cfg).slice(fx.scan("s", Layout.AXIAL_FIRST_MISLEADING));
        assertThat(misled).isNotEqualTo(reference);
        // anatomical heights (the default) honour the superior direction: these two layouts store head first
        for (Layout layout : new Layout[] {Layout.AXIAL_LAST_HEAD_FIRST, Layout.AXIAL_MIDDLE}) {
            List<Slice> anatomical = new Slicer(cfg.toBuilder().heightOrder(HeightOrder.ANATOMICAL).build())
                    .slice(fx.scan("s", layout));
            for (int n = 0; n < reference.size(); n++) {
                Slice a = anatomical.get(n);
                assertThat(a.sliceIndex()).isEqualTo(reference.get(n).sliceIndex());
                assertThat(a.anatomicalIndex()).as(layout.name()).isEqualTo(S - 1 - a.sliceIndex());
                assertThat(a.relativeHeight()).as(layout.name())
                        .isCloseTo(1 - reference.get(n).relativeHeight(), within(1e-12));
                assertThat(a.image()).isEqualTo(reference.get(n).image());
            }
        }
    }

    @Test
    void selectionReportsNativeCountsAndTheDetectedAxis() {
        Slicer slicer = new Slicer(config().build());
        SliceSelection sel = slicer.select(fx.scan("s", Layout.AXIAL_MIDDLE));
        assertThat(sel.axis().axis()).isEqualTo(1);
        assertThat(sel.axis().superiorSign()).isEqualTo(-1);
        assertThat(sel.kidneyCounts()).containsExactly(0, 0, 5, 6, 20, 31, 8, 5, 0);
        assertThat(sel.tumourCounts()).containsExactly(0, 0, 0, 0, 4, 5, 12, 42, 0);
        assertThat(sel.kept()).containsExactly(KEPT);
        assertThat(sel.labels()).containsExactly(LABELS);
        assertThat(sel.abnormalCount()).isEqualTo(2);
    }

    @Test
    void thresholdsAreStrictlyGreater() {
        // kidney threshold 6 drops slice 3 (6 voxels); tumour threshold 5 makes slice 5 (5 voxels) normal
        SliceSelection sel = new Slicer(config().kidneyThreshold(6).tumourThreshold(5).build())
                .select(fx.scan("s", Layout.AXIAL_LAST_RAS));
        assertThat(sel.kept()).containsExactly(4, 5, 6);
        assertThat(sel.labels()).containsExactly(0, 0, 1);
        // threshold 4 for the kidney brings back slices 2 and 7 (5 voxels each)
        SliceSelection low = new Slicer(config().kidneyThreshold(4).build()).select(fx.scan("s", Layout.AXIAL_LAST_RAS));
        assertThat(low.kept()).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(low.labels()).containsExactly(0, 0, 0, 1, 1, 1);
    }

    @Test
    void upscalingUsesBilinearForTheImageAndNearestForMasks() {
        List<Slice> slices = new Slicer(config().outputSize(16, 12).build())
                .slice(fx.scan("s", Layout.AXIAL_FIRST_PERMUTED));
        assertExpected(slices, "s", 16, 12);
    }

    @Test
    void unknownLabelValuesBelongToNoChannel() {
        Slice s3 = new Slicer(config().outputSize(4, 3).build()).slice(fx.scan("s", Layout.AXIAL_LAST_RAS)).get(0);
        // native (6, 4) holds class 9 and is sampled by output pixel (3, 2)
        for (FloatImage m : s3.masks()) {
            assertThat(m.get(3, 2)).isZero();
        }
        assertThat(s3.mask("background").get(3, 1)).isEqualTo(1f);
    }

    @Test
    void aKidneyClassWithTwoValuesCountsAndMasksTheirUnion() {
        // value 9 joins the kidney: slice 3 has 6 + 1 kidney voxels, slice 8 (9 only, 3 x 3) is now kept
        LabelMap twoValues = LabelMap.builder("kidney+9").put("background", 0).put("kidney", 1, 9).put("tumour", 2)
                .put("cyst", 3).build();
        Slicer slicer = new Slicer(config().labelMap(twoValues).outputSize(R, C).build());
        LabelledScan scan = fx.scan("s", Layout.AXIAL_LAST_RAS);
        SliceSelection sel = slicer.select(scan);
        assertThat(sel.kidneyCounts()).containsExactly(0, 0, 5, 7, 20, 31, 8, 5, 9);
        assertThat(sel.kept()).containsExactly(3, 4, 5, 6, 8);
        List<Slice> slices = slicer.slice(scan);
        for (Slice s : slices) {
            float[] kidney = s.mask("kidney").toArray();
            int k = s.sliceIndex();
            for (int r = 0; r < R; r++) {
                for (int c = 0; c < C; c++) {
                    int v = fx.label[k][r][c];
                    assertThat(kidney[r * C + c]).as("slice %d (%d, %d) value %d", k, r, c, v)
                            .isEqualTo(v == 1 || v == 9 ? 1f : 0f);
                }
            }
        }
        // the single-valued map is unchanged: 9 belongs to no channel and slice 8 is dropped
        assertThat(new Slicer(config().build()).select(scan).kept()).containsExactly(KEPT);
    }

    @Test
    void antiTransposedOrientationReflectsTheResizedSliceAboutTheAntiDiagonal() {
        // H x W = 3 x 4: the voxel-index image is resized to 4 x 3 (exact halving) and then reflected
        List<Slice> anti = new Slicer(config().outputSize(3, 4).orientation(SliceOrientation.ANTI_TRANSPOSED).build())
                .slice(fx.scan("s", Layout.AXIAL_LAST_LPS));
        List<Slice> voxel = new Slicer(config().outputSize(4, 3).build()).slice(fx.scan("s", Layout.AXIAL_LAST_LPS));
        for (int n = 0; n < KEPT.length; n++) {
            Slice a = anti.get(n);
            Slice v = voxel.get(n);
            assertThat(a.height()).isEqualTo(3);
            assertThat(a.width()).isEqualTo(4);
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 4; col++) {
                    // out[a][b] = in[R'-1-b][C'-1-a] with R' = 4, C' = 3
                    assertThat(a.image().get(row, col)).isEqualTo(v.image().get(3 - col, 2 - row));
                    int k = KEPT[n];
                    int expectedTumour = fx.label[k][(3 - col) * 2][(2 - row) * 2] == LayoutFixture.TUMOUR ? 1 : 0;
                    assertThat(a.mask("tumour").get(row, col)).isEqualTo((float) expectedTumour);
                }
            }
        }
    }

    @Test
    void transposedOrientationSwapsRowsAndColumns() {
        List<Slice> t = new Slicer(config().outputSize(3, 4).orientation(SliceOrientation.TRANSPOSED).build())
                .slice(fx.scan("s", Layout.AXIAL_LAST_LPS));
        List<Slice> voxel = new Slicer(config().outputSize(4, 3).build()).slice(fx.scan("s", Layout.AXIAL_LAST_LPS));
        for (int n = 0; n < KEPT.length; n++) {
            assertThat(t.get(n).height()).isEqualTo(3);
            assertThat(t.get(n).width()).isEqualTo(4);
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 4; col++) {
                    assertThat(t.get(n).image().get(row, col)).isEqualTo(voxel.get(n).image().get(col, row));
                    assertThat(t.get(n).mask("kidney").get(row, col)).isEqualTo(voxel.get(n).mask("kidney").get(col, row));
                }
            }
        }
    }

    @Test
    void tuhPresetIsTheReferenceSetting() {
        SliceConfig tuh = SliceConfig.tuh(WINDOW);
        assertThat(tuh.kidneyThreshold()).isEqualTo(100);
        assertThat(tuh.tumourThreshold()).isEqualTo(1000);
        assertThat(tuh.outputHeight()).isEqualTo(256);
        assertThat(tuh.orientation()).isEqualTo(SliceOrientation.ANTI_TRANSPOSED);
        assertThat(tuh.tumourClass()).contains("tumour");
        assertThat(SliceConfig.synthetic(WINDOW).kidneyThreshold()).isEqualTo(32);
        assertThat(SliceConfig.kits19(WINDOW).axialAxis()).hasValue(0);
        // the derived tumour class follows a new label map; an explicit one is kept
        assertThat(tuh.toBuilder().labelMap(LabelMap.KIDNEY_ONLY).build().tumourClass()).isEmpty();
        SliceConfig explicit = tuh.toBuilder().tumourClass("cyst").build();
        assertThat(explicit.toBuilder().build().tumourClass()).contains("cyst");
    }

    @Test
    void kidneyOnlyMapLabelsEverySliceNormal() {
        SliceConfig cfg = SliceConfig.builder().window(WINDOW).labelMap(LabelMap.KIDNEY_ONLY).kidneyThreshold(5)
                .outputSize(4, 3).build();
        assertThat(cfg.tumourClass()).isEmpty();
        List<Slice> slices = new Slicer(cfg).slice(fx.scan("s", Layout.AXIAL_LAST_RAS));
        assertThat(slices).extracting(Slice::sliceIndex).containsExactly(3, 4, 5, 6);
        assertThat(slices).extracting(Slice::label).containsOnly(0);
        assertThat(slices.get(0).maskNames()).containsExactly("background", "kidney");
    }

    @Test
    void singleKeptSliceHasHeightOneHalfAndNoKeptSliceGivesNothing() {
        List<Slice> one = new Slicer(config().kidneyThreshold(30).outputSize(4, 3).build())
                .slice(fx.scan("s", Layout.AXIAL_LAST_RAS));
        assertThat(one).hasSize(1);
        assertThat(one.get(0).sliceIndex()).isEqualTo(5);
        assertThat(one.get(0).relativeHeight()).isEqualTo(0.5);
        assertThat(new Slicer(config().kidneyThreshold(31).build()).slice(fx.scan("s", Layout.AXIAL_LAST_RAS)))
                .isEmpty();
    }

    @Test
    void nanIsRejectedOnlyInKeptSlices() {
        Slicer slicer = new Slicer(config().outputSize(4, 3).build());
        assertThat(slicer.slice(fx.scan("s", Layout.AXIAL_LAST_RAS, Float.NaN, 8))).hasSize(4);
        assertThatThrownBy(() -> slicer.slice(fx.scan("bad", Layout.AXIAL_LAST_RAS, Float.NaN, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad")
                .hasMessageContaining("slice 5");
    }

    @Test
    void mismatchedShapesAndBadLabelsAreRejected() {
        Volume img = Volume.of("a", new int[] {2, 2, 2}, new float[8], new double[] {1, 1, 1});
        Volume lab = Volume.of("b", new int[] {2, 2, 3}, new float[12], new double[] {1, 1, 1});
        Slicer slicer = new Slicer(config().build());
        assertThatThrownBy(() -> slicer.slice(img, lab)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 2, 3]").hasMessageContaining("[2, 2, 2]");
        float[] frac = new float[8];
        frac[5] = 0.5f;
        assertThatThrownBy(() -> slicer.slice(img, img.withVoxels("b", frac)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(1, 0, 1)");
    }

    @Test
    void configRejectsMissingWindowAndUnknownClasses() {
        assertThatThrownBy(() -> SliceConfig.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window is required");
        assertThatThrownBy(() -> SliceConfig.builder().window(WINDOW).labelMap(LabelMap.KIDNEY_ONLY)
                .tumourClass("tumour").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no class 'tumour'");
        assertThatThrownBy(() -> SliceConfig.builder().kidneyThreshold(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
        assertThatThrownBy(() -> SliceConfig.builder().axialAxis(3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
    }

    @Test
    void scanWithLabelledScanRecordUsesTheImageId() {
        LabelledScan scan = fx.scan("case_00012", Layout.AXIAL_LAST_RAS);
        assertThat(new Slicer(config().outputSize(4, 3).build()).slice(scan))
                .extracting(Slice::scanId).containsOnly("case_00012");
    }
}
