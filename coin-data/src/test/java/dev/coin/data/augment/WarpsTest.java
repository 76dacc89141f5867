package dev.coin.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WarpsTest {
    @Test
    void bilinearResizeUsesHalfPixelCentresAndReplicatesEdges() {
        // One row [0, 1] to width 4: source x = (d + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped 0, .25, .75, 1.
        float[] out = Warps.resizeBilinear(new float[] {0, 1}, 1, 2, 1, 4);
        assertThat(out).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-7f));
        // Downscale 4 → 2: x = (d + 0.5)·2 − 0.5 = 0.5, 2.5 → means of neighbours.
        float[] down = Warps.resizeBilinear(new float[] {0, 2, 4, 6}, 1, 4, 1, 2);
        assertThat(down).containsExactly(new float[] {1f, 5f}, within(1e-6f));
        float[] img = random(7, 9, 1);
        assertThat(Warps.resizeBilinear(img, 7, 9, 7, 9)).containsExactly(img);
    }

    @Test
    void nearestResizeFloorsScaledIndices() {
        // 5 → 3: floor(d·5/3) = 0, 1, 3.
        float[] out = Warps.resizeNearest(new float[] {10, 11, 12, 13, 14}, 1, 5, 1, 3);
        assertThat(out).containsExactly(10f, 11f, 13f);
    }

    @Test
    void affineIdentityIsExactAndQuarterTurnsPermutePixels() {
        int n = 9;
        float[] img = random(n, n, 2);
        double[] id = Warps.rotateScaleShiftInverse(4, 4, 0, 1, 0, 0);
        assertThat(Warps.warpAffine(img, n, n, id, false, 0f)).containsExactly(img);
        assertThat(Warps.warpAffine(img, n, n, id, true, 0f)).containsExactly(img);
        // +90° turns content counter-clockwise as displayed: out(r, c) = in(c, n−1−r).
        double[] q = Warps.rotateScaleShiftInverse(4, 4, 90, 1, 0, 0);
        float[] rot = Warps.warpAffine(img, n, n, q, false, 0f);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                assertThat(rot[r * n + c]).isCloseTo(img[c * n + (n - 1 - r)], within(1e-5f));
            }
        }
    }

    @Test
    void inverseMatrixUndoesTheForwardOpenCvMatrix() {
        double cx = 3.5;
        double cy = 2.5;
        double ang = 23;
        double s = 1.07;
        double dx = 1.3;
        double dy = -0.4;
        double[] inv = Warps.rotateScaleShiftInverse(cx, cy, ang, s, dx, dy);
        double a = s * Math.cos(Math.toRadians(ang));
        double b = s * Math.sin(Math.toRadians(ang));
        // cv2.getRotationMatrix2D + shift, applied forward to a source point.
        double x = 5.2;
        double y = 1.1;
        double fx = a * x + b * y + (1 - a) * cx - b * cy + dx;
        double fy = -b * x + a * y + b * cx + (1 - a) * cy + dy;
        assertThat(inv[0] * fx + inv[1] * fy + inv[2]).isCloseTo(x, within(1e-12));
        assertThat(inv[3] * fx + inv[4] * fy + inv[5]).isCloseTo(y, within(1e-12));
    }

    @Test
    void constantBorderBlendsAndNearestRounds() {
        float[] img = {4, 8};
        // Sample at x = 1.5: half of pixel 1 (8) and half of the border (0).
        assertThat(Warps.bilinear(img, 1, 2, 1.5, 0, 0f)).isEqualTo(4f);
        assertThat(Warps.nearest(img, 1, 2, 0.49, 0, -1f)).isEqualTo(4f);
        assertThat(Warps.nearest(img, 1, 2, 0.5, 0, -1f)).isEqualTo(8f);
        assertThat(Warps.nearest(img, 1, 2, 1.5, 0, -1f)).isEqualTo(-1f);
    }

    static float[] random(int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (2 * r.nextDouble() - 1);
        }
        return px;
    }
}
