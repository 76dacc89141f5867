package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.data.image.FloatImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ContoursTest {
    static FloatImage mask(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        float[] px = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                px[r * w + c] = rows[r].charAt(c) == '#' ? 1 : 0;
            }
        }
        return FloatImage.of(h, w, px);
    }

    @Test
    void rectangleHasPixelCentreAreaAndBox() {
        float[] px = new float[20 * 30];
        for (int r = 4; r < 4 + 7; r++) {
            for (int c = 10; c < 10 + 12; c++) {
                px[r * 30 + c] = 1;
            }
        }
        List<Contour> cs = Contours.external(FloatImage.of(20, 30, px));
        assertThat(cs).hasSize(1);
        Contour c = cs.get(0);
        // Polygon through the border-pixel centres of a 12×7 block: (12−1)·(7−1) = 66.
        assertThat(c.area()).isEqualTo(66.0);
        assertThat(new int[] {c.x(), c.y(), c.width(), c.height()}).containsExactly(10, 4, 12, 7);
        assertThat(c.vertexCount()).isEqualTo(2 * (12 + 7) - 4);
        assertThat(c.strictlyInside(10, 5)).as("left border pixel is on the contour").isFalse();
        assertThat(c.strictlyInside(11, 5)).isTrue();
        assertThat(c.strictlyInside(20, 9)).isTrue();
        assertThat(c.strictlyInside(21, 9)).isFalse();
    }

    @Test
    void shapesByHandSortedByAreaWithHolesFilledAndNestedComponentsDropped() {
        FloatImage m = mask(
                "..........",
                ".#####....",
                ".#...#..#.",
                ".#.#.#..##",
                ".#...#....",
                ".#####....",
                "..........",
                "#.........");
        List<Contour> cs = Contours.external(m);
        // Ring 5×5 (area 16), the 3-pixel L (area 0.5), the single pixel (area 0); the dot in the hole is nested.
        assertThat(cs).extracting(Contour::area).containsExactly(16.0, 0.5, 0.0);
        Contour ring = cs.get(0);
        assertThat(ring.strictlyInside(2, 2)).as("hole pixel is inside the external contour").isTrue();
        assertThat(ring.strictlyInside(3, 3)).as("nested component is inside too").isTrue();
        assertThat(ring.strictlyInside(1, 3)).isFalse();
        assertThat(cs.get(1).strictlyInside(8, 3)).isFalse();
    }

    @Test
    void strictInsideAgreesWithAnIndependentPointInPolygonTestOnRandomBlobs() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 30; trial++) {
            int h = 24;
            int w = 24;
            float[] px = new float[h * w];
            // Union of random discs plus salt, to get concavities, thin necks and holes.
            for (int d = 0; d < 4; d++) {
                int cy = 4 + rng.nextInt(16);
                int cx = 4 + rng.nextInt(16);
                int r = 2 + rng.nextInt(5);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                            px[y * w + x] = 1;
                        }
                    }
                }
            }
            for (int s = 0; s < 40; s++) {
                px[rng.nextInt(h * w)] = rng.nextBoolean() ? 1 : 0;
            }
            for (Contour c : Contours.external(FloatImage.of(h, w, px))) {
                int n = c.vertexCount();
                int[] xs = new int[n];
                int[] ys = new int[n];
                for (int i = 0; i < n; i++) {
                    xs[i] = c.vertex(i)[0];
                    ys[i] = c.vertex(i)[1];
                }
                // Shoelace area recomputed here and the cv2-like point test (on edge → not inside).
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        assertThat(c.strictlyInside(x, y)).as("trial %d pixel (%d,%d) of %s", trial, x, y, c)
                                .isEqualTo(pointPolygonTest(xs, ys, x, y) > 0);
                    }
                }
            }
        }
    }

    /** Crossing-number test; +1 inside, 0 on an edge, −1 outside. */
    static int pointPolygonTest(int[] xs, int[] ys, double px, double py) {
        int n = xs.length;
        boolean inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double x1 = xs[j];
            double y1 = ys[j];
            double x2 = xs[i];
            double y2 = ys[i];
            double cross = (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1);
            if (cross == 0 && px >= Math.min(x1, x2) && px <= Math.max(x1, x2) && py >= Math.min(y1, y2)
                    && py <= Math.max(y1, y2)) {
                return 0;
            }
            if ((y1 > py) != (y2 > py)) {
                double xAt = x1 + (py - y1) * (x2 - x1) / (y2 - y1);
                if (px < xAt) {
                    inside = !inside;
                }
            }
        }
        return inside ? 1 : -1;
    }
}
