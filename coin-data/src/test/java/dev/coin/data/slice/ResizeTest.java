package dev.coin.data.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResizeTest {

    /** Straightforward half-pixel bilinear in double: clamp the source coordinate, then interpolate. */
    static double[] naiveBilinear(float[] src, int h, int w, int oh, int ow) {
        double[] out = new double[oh * ow];
        for (int y = 0; y < oh; y++) {
            double sy = Math.min(Math.max((y + 0.5) * h / oh - 0.5, 0), h - 1);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < ow; x++) {
                double sx = Math.min(Math.max((x + 0.5) * w / ow - 0.5, 0), w - 1);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
                double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
                out[y * ow + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return out;
    }

    @Test
    void bilinearTwoByTwoToFourByFourHalfPixelHandValues() {
        // columns: src x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
        float[] out = Resize.bilinear(new float[] {0, 4, 8, 12}, 2, 2, 4, 4);
        assertThat(out).containsExactly(
                0, 1, 3, 4,
                2, 3, 5, 6,
                6, 7, 9, 10,
                8, 9, 11, 12);
    }

    @Test
    void bilinearHalvingAveragesTwoByTwoBlocks() {
        float[] src = {
            1, 3, 10, 20,
            5, 7, 30, 40,
            0, 0, -4, 4,
            2, 2, 8, 0};
        float[] out = Resize.bilinear(src, 4, 4, 2, 2);
        assertThat(out).containsExactly(4, 25, 1, 2);
    }

    @Test
    void bilinearMatchesANaiveImplementationOnRandomImagesAndOddSizes() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] sizes = {{7, 5, 11, 3}, {13, 9, 4, 17}, {1, 6, 3, 2}, {10, 10, 10, 10}, {512, 8, 256, 3}};
        for (int[] s : sizes) {
            float[] src = new float[s[0] * s[1]];
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) r.nextDouble(-1, 1);
            }
            float[] out = Resize.bilinear(src, s[0], s[1], s[2], s[3]);
            double[] ref = naiveBilinear(src, s[0], s[1], s[2], s[3]);
            for (int i = 0; i < out.length; i++) {
                assertThat((double) out[i]).as("size %s pixel %d", java.util.Arrays.toString(s), i)
                        .isCloseTo(ref[i], within(1e-5));
            }
        }
    }

    @Test
    void sameSizeIsTheIdentity() {
        float[] src = {1.5f, -2, 3, 7, 0.25f, 9};
        assertThat(Resize.bilinear(src, 2, 3, 2, 3)).containsExactly(src);
        assertThat(Resize.nearest(src, 2, 3, 2, 3)).containsExactly(src);
    }

    @Test
    void nearestDownscalePicksEveryOtherPixelFromTheTopLeft() {
        float[] src = new float[16];
        for (int i = 0; i < 16; i++) {
            src[i] = i;
        }
        // src = floor(dst * 2): rows 0, 2 and columns 0, 2
        assertThat(Resize.nearest(src, 4, 4, 2, 2)).containsExactly(0, 2, 8, 10);
    }

    @Test
    void nearestUpscaleRepeatsByFloor() {
        // 3 -> 4: src = floor(dst * 0.75) = 0, 0, 1, 2
        assertThat(Resize.nearest(new float[] {10, 20, 30}, 1, 3, 1, 4)).containsExactly(10, 10, 20, 30);
        assertThat(Resize.nearest(new float[] {10, 20, 30}, 3, 1, 4, 1)).containsExactly(10, 10, 20, 30);
    }

    @Test
    void nearestMatchesTheRationalFloorForIntegerRatios() {
        int[][] pairs = {{512, 256}, {512, 128}, {256, 512}, {16, 8}, {30, 10}, {7, 14}};
        for (int[] p : pairs) {
            int[] taps = Resize.nearestTaps(p[0], p[1]);
            for (int d = 0; d < p[1]; d++) {
                assertThat(taps[d]).isEqualTo((int) ((long) d * p[0] / p[1]));
            }
        }
    }

    @Test
    void nearestUsesOpenCvsDoubleScaleWhereItDiffersFromTheRationalFloor() {
        // 2 -> 98: 49 * (1 / (98 / 2.0)) = 0.99999... in double, so OpenCV picks 0 where 49*2/98 = 1
        assertThat(Resize.nearestTaps(2, 98)[49]).isZero();
        assertThat(Resize.nearestTaps(2, 98)[50]).isEqualTo(1);
    }

    @Test
    void floatImageOverloadsKeepTheShape() {
        FloatImage img = FloatImage.of(2, 2, new float[] {0, 4, 8, 12});
        FloatImage big = Resize.bilinear(img, 4, 4);
        assertThat(big.height()).isEqualTo(4);
        assertThat(big.get(1, 1)).isEqualTo(3f);
        FloatImage small = Resize.nearest(big, 2, 3);
        assertThat(small.width()).isEqualTo(3);
        // rows floor(0*2), floor(1*2) = 0, 2; cols floor(d * 4/3) = 0, 1, 2
        assertThat(small.toArray()).containsExactly(0, 1, 3, 6, 7, 9);
    }

    @Test
    void badSizesAreRejected() {
        assertThatThrownBy(() -> Resize.bilinear(new float[4], 2, 2, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target size");
        assertThatThrownBy(() -> Resize.nearest(new float[5], 2, 2, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 5");
    }
}
