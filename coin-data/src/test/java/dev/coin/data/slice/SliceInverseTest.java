package dev.coin.data.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.image.FloatImage;
import dev.coin.data.volume.AxialAxis;
import dev.coin.data.volume.Volume;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * {@link SliceInverse} undoes the {@link Slicer}: slice → canonical (or fixed) frame → native voxels, for every
 * stored layout of {@link PhantomLayouts.Layout} (LPS, RAS, LAS, axial axis first, head first) and every
 * orientation, on non-square in-plane sizes.
 */
class SliceInverseTest {
    private static final CtWindow WINDOW = CtWindow.of(-1000, 1000);
    /** Native LPS-stored volume (i → L, j → P, k → S, as the phantom): 10 × 6 in plane, 4 slices. */
    private static final int[] SHAPE = {10, 6, 4};

    static Stream<Arguments> layoutsAndOrientations() {
        return Stream.of(PhantomLayouts.Layout.values())
                .flatMap(l -> Stream.of(SliceOrientation.values()).map(o -> Arguments.of(l, o)));
    }

    private static Volume lps(float[] voxels) {
        double[][] a = {{-1.5, 0, 0, 40}, {0, -2.0, 0, 30}, {0, 0, 3.0, -20}, {0, 0, 0, 1}};
        return Volume.of("v", SHAPE, voxels, new double[] {1.5, 2.0, 3.0}, a);
    }

    private static float[] randomHu(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(-900, 900);
        }
        return v;
    }

    /** Output size at which the slicer's resize is the identity for {@code v} in orientation {@code o}. */
    private static int[] nativeOutputSize(Volume v, SliceOrientation o, int divisor) {
        AxialAxis axis = AxialAxis.detect(v);
        int p = v.size(axis.firstInPlaneAxis()) / divisor;
        int q = v.size(axis.secondInPlaneAxis()) / divisor;
        return switch (o) {
            case CANONICAL -> {
                DisplayFrame f = DisplayFrame.of(v, axis);
                yield new int[] {v.size(f.rowAxis()) / divisor, v.size(f.columnAxis()) / divisor};
            }
            case VOXEL -> new int[] {p, q};
            case TRANSPOSED, ANTI_TRANSPOSED -> new int[] {q, p};
        };
    }

    private static SliceConfig config(SliceOrientation o, int[] out) {
        return SliceConfig.builder().window(WINDOW).labelMap(LabelMap.KIDNEY_ONLY).kidneyThreshold(0)
                .orientation(o).outputSize(out[0], out[1]).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layoutsAndOrientations")
    void imagesGoBackToTheirVoxelsExactlyAtNativeSize(PhantomLayouts.Layout layout, SliceOrientation o) {
        Volume ct = layout.restore(lps(randomHu(1)));
        Volume all = ct.withVoxels("seg", filled(ct, 1));
        SliceConfig cfg = config(o, nativeOutputSize(ct, o, 1));
        Slicer slicer = new Slicer(cfg);
        List<Slice> slices = slicer.slice(ct, all);
        assertThat(slices).hasSize(slicer.axialAxisOf(ct).sliceCount(ct));
        SliceInverse back = slicer.inverse(ct);
        float[] got = new float[(int) ct.voxelCount()];
        for (Slice s : slices) {
            back.paste(s.image(), s.sliceIndex(), got, SliceInverse.Interpolation.NEAREST);
        }
        float[] want = ct.copyVoxels();
        WINDOW.applyInPlace(want);
        assertThat(got).as("windowed voxels back in place, %s %s", layout, o).containsExactly(want);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layoutsAndOrientations")
    void blockMasksSurviveHalvingAndTheWayBack(PhantomLayouts.Layout layout, SliceOrientation o) {
        // a 2x2-block kidney mask in plane (blocks on even indices), so nearest down by 2 and back is exact
        SplittableRandom r = new SplittableRandom(7);
        float[] m = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int k = 0; k < SHAPE[2]; k++) {
            for (int bj = 0; bj < SHAPE[1] / 2; bj++) {
                for (int bi = 0; bi < SHAPE[0] / 2; bi++) {
                    if (r.nextBoolean()) {
                        for (int d = 0; d < 4; d++) {
                            m[2 * bi + d % 2 + SHAPE[0] * (2 * bj + d / 2 + SHAPE[1] * k)] = 1;
                        }
                    }
                }
            }
        }
        Volume native0 = lps(randomHu(2));
        Volume ct = layout.restore(native0);
        Volume seg = layout.restore(native0.withVoxels("seg", m));
        SliceConfig cfg = config(o, nativeOutputSize(ct, o, 2));
        Slicer slicer = new Slicer(cfg);
        SliceInverse back = slicer.inverse(ct);
        float[] got = new float[(int) ct.voxelCount()];
        List<Slice> slices = slicer.slice(ct, seg);
        for (Slice s : slices) {
            assertThat(s.height()).isEqualTo(cfg.outputHeight());
            back.paste(s.mask(LabelMap.KIDNEY), s.sliceIndex(), got, SliceInverse.Interpolation.NEAREST);
        }
        float[] want = seg.copyVoxels();
        for (int k = 0; k < back.sliceCount(); k++) {
            final int kk = k;
            if (slices.stream().noneMatch(s -> s.sliceIndex() == kk)) {
                // a slice with no kidney is not kept: its voxels stay 0, as they are in the mask
                assertThat(countInSlice(seg, back.axis().axis(), k)).isZero();
            }
        }
        assertThat(got).as("kidney mask back in place, %s %s", layout, o).containsExactly(want);
    }

    @Test
    void rasAndLpsPutTheSamePixelOnTheSameAnatomy() {
        // one marked pixel in the canonical slice (row 1 = one step posterior of the most anterior row, column 2 =
        // two steps to the patient's left of the rightmost column) lands on the voxel that holds that anatomy in
        // each storage
        float[] px = new float[6 * 10];
        px[10 + 2] = 1;
        FloatImage oneHot = FloatImage.of(6, 10, px);
        SliceConfig cfg = config(SliceOrientation.CANONICAL, new int[] {6, 10});

        Volume lps = lps(new float[60 * 4]);
        float[] a = new float[60 * 4];
        new Slicer(cfg).inverse(lps).paste(oneHot, 3, a, SliceInverse.Interpolation.NEAREST);
        // LPS: rows = j (towards posterior, not reversed), columns = i (towards left, not reversed)
        assertThat(a[2 + 10 * (1 + 6 * 3)]).isEqualTo(1f);

        Volume ras = PhantomLayouts.Layout.RAS.restore(lps);
        float[] b = new float[60 * 4];
        new Slicer(cfg).inverse(ras).paste(oneHot, 3, b, SliceInverse.Interpolation.NEAREST);
        // RAS: i runs to the right and j anterior, so both are reversed
        assertThat(b[(10 - 1 - 2) + 10 * ((6 - 1 - 1) + 6 * 3)]).isEqualTo(1f);
        assertThat(sum(a)).isEqualTo(1f);
        assertThat(sum(b)).isEqualTo(1f);

        // axial axis first, (k, j, i) → (S, P, L): rows = voxel axis 1, columns = voxel axis 2, slice along 0
        Volume first = PhantomLayouts.Layout.AXIAL_FIRST.restore(lps);
        float[] c = new float[60 * 4];
        SliceInverse inv = new Slicer(cfg).inverse(first);
        assertThat(inv.axis().axis()).isZero();
        inv.paste(oneHot, 3, c, SliceInverse.Interpolation.NEAREST);
        assertThat(c[3 + 4 * (1 + 6 * 2)]).isEqualTo(1f);
    }

    @Test
    void upsamplingANonSquareSliceUsesNearestForMasksAndBilinearForMaps() {
        Volume ct = lps(new float[60 * 4]);   // frame 6 rows x 10 columns
        SliceConfig cfg = config(SliceOrientation.CANONICAL, new int[] {3, 5});
        SliceInverse inv = new Slicer(cfg).inverse(ct);
        float[] px = {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        float[] nearest = inv.toVoxelIndexImage(FloatImage.of(3, 5, px), SliceInverse.Interpolation.NEAREST);
        // voxel-index image: rows = i (10), columns = j (6); the marked pixel (row 1, col 1) covers rows 2-3 and
        // columns 2-3 of the frame, i.e. j 2..3 and i 2..3
        float total = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 6; j++) {
                float v = nearest[i * 6 + j];
                total += v;
                assertThat(v).as("i %d j %d", i, j).isEqualTo(i >= 2 && i <= 3 && j >= 2 && j <= 3 ? 1f : 0f);
            }
        }
        assertThat(total).isEqualTo(4f);
        float[] bilinear = inv.toVoxelIndexImage(FloatImage.of(3, 5, px), SliceInverse.Interpolation.BILINEAR);
        assertThat(bilinear[2 * 6 + 2]).isBetween(0.5f, 1f);
        assertThat(bilinear[0]).isZero();
    }

    @Test
    void badInputIsRefusedWithTheArgumentAndTheFix() {
        Volume ct = lps(new float[60 * 4]);
        SliceInverse inv = new Slicer(config(SliceOrientation.VOXEL, new int[] {5, 3})).inverse(ct);
        float[] voxels = new float[240];
        assertThatThrownBy(() -> inv.paste(FloatImage.zeros(4, 4), 0, voxels, SliceInverse.Interpolation.NEAREST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image is 4x4")
                .hasMessageContaining("5x3");
        assertThatThrownBy(() -> inv.paste(FloatImage.zeros(5, 3), 4, voxels, SliceInverse.Interpolation.NEAREST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sliceIndex must be in 0..3")
                .hasMessageContaining("got 4");
        assertThatThrownBy(() -> inv.paste(FloatImage.zeros(5, 3), 0, new float[10],
                SliceInverse.Interpolation.NEAREST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("voxels must hold nx*ny*nz = 240").hasMessageContaining("got 10");
    }

    private static float[] filled(Volume v, float value) {
        float[] a = new float[(int) v.voxelCount()];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float x : a) {
            s += x;
        }
        return s;
    }

    private static int countInSlice(Volume v, int axis, int k) {
        int n = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    int[] idx = {x, y, z};
                    if (idx[axis] == k && v.get(x, y, z) != 0) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
