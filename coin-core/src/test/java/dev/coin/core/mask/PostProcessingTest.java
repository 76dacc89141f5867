package dev.coin.core.mask;

import dev.coin.core.mask.PostProcessing;
import dev.coin.core.mask.Morphology;

import static dev.coin.core.mask.MaskFixtures.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PostProcessingTest {

    @Test
    void openingRemovesASpeckButKeepsABlock() {
        FloatImage m = mask(
                "#.......",
                "........",
                "...###..",
                "...###..",
                "...###..",
                "........",
                "......#.",
                "........");
        FloatImage expected = mask(
                "........",
                "........",
                "...###..",
                "...###..",
                "...###..",
                "........",
                "........",
                "........");
        assertThat(PostProcessing.builder().opening(true).build().apply(m)).isEqualTo(expected);
    }

    @Test
    void closingFillsAOnePixelHole() {
        // two pixels of margin: with one, the dilation reaches the border and closing fills the whole image
        FloatImage m = mask(
                "........",
                "........",
                "..####..",
                "..#.##..",
                "..####..",
                "..####..",
                "........",
                "........");
        FloatImage expected = mask(
                "........",
                "........",
                "..####..",
                "..####..",
                "..####..",
                "..####..",
                "........",
                "........");
        assertThat(PostProcessing.builder().closing(true).build().apply(m)).isEqualTo(expected);
    }

    @Test
    void objectsTouchingTheBorderDoNotShrink() {
        // a 3×3 block in the corner survives opening only if outside pixels count as "on" for erosion
        FloatImage m = mask(
                "###...",
                "###...",
                "###...",
                "......",
                "......");
        assertThat(PostProcessing.builder().opening(true).build().apply(m)).isEqualTo(m);
        // and a full image stays full under closing
        FloatImage full = mask("###", "###", "###");
        assertThat(PostProcessing.builder().closing(true).build().apply(full)).isEqualTo(full);
    }

    @Test
    void closingAnObjectOnePixelFromTheBorderReachesTheBorder() {
        // the dilation touches the border and the border-respecting erosion cannot pull it back: documented
        // consequence of the scikit-image border rule (scipy's binary_closing with outside = 0 would differ)
        FloatImage m = mask(
                ".....",
                ".###.",
                ".###.",
                ".###.",
                ".....");
        assertThat(PostProcessing.builder().closing(true).build().apply(m)).isEqualTo(mask(
                "#####", "#####", "#####", "#####", "#####"));
    }

    @Test
    void largestComponentKeepsTheBiggerBlobAndCountsDiagonals() {
        FloatImage m = mask(
                "##......",
                "##......",
                "........",
                "....#...",
                ".....#..",
                "......#.",
                ".......#",
                "........");
        // the diagonal line (4 pixels, 8-connected) beats the 2×2 square (4 pixels)? equal: first in raster order wins
        FloatImage square = mask(
                "##......",
                "##......",
                "........",
                "........",
                "........",
                "........",
                "........",
                "........");
        PostProcessing largest = PostProcessing.builder().largestComponent(true).build();
        assertThat(largest.apply(m)).isEqualTo(square);
        // one more diagonal pixel makes the line the largest: it is one component only with 8-connectivity
        FloatImage longer = mask(
                "##......",
                "##......",
                "...#....",
                "....#...",
                ".....#..",
                "......#.",
                ".......#",
                "........");
        FloatImage line = mask(
                "........",
                "........",
                "...#....",
                "....#...",
                ".....#..",
                "......#.",
                ".......#",
                "........");
        assertThat(largest.apply(longer)).isEqualTo(line);
        assertThat(Morphology.label8(new boolean[] {true, false, false, true}, 2, 2)).containsExactly(1, 0, 0, 1);
    }

    @Test
    void emptyMaskIsUnchangedAndNoneIsIdentity() {
        FloatImage empty = FloatImage.zeros(5, 7);
        assertThat(PostProcessing.OPEN_CLOSE_LARGEST.apply(empty)).isEqualTo(empty);
        FloatImage speck = mask("...", ".#.", "...");
        assertThat(PostProcessing.none().apply(speck)).isEqualTo(speck);
        assertThat(PostProcessing.OPEN_CLOSE_LARGEST.apply(speck)).isEqualTo(FloatImage.zeros(3, 3));
        assertThat(PostProcessing.OPEN_CLOSE_LARGEST.toString()).isEqualTo("PostProcessing[open3x3 close3x3 largest8]");
    }

    @Test
    void erosionAndDilationMatchANaiveWindowLoop() {
        SplittableRandom rnd = new SplittableRandom(3);
        int h = 9;
        int w = 13;
        for (int trial = 0; trial < 20; trial++) {
            boolean[] m = new boolean[h * w];
            for (int i = 0; i < m.length; i++) {
                m[i] = rnd.nextDouble() < 0.6;
            }
            boolean[] er = Morphology.erode(m, h, w);
            boolean[] di = Morphology.dilate(m, h, w);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    boolean all = true;
                    boolean any = false;
                    for (int dr = -1; dr <= 1; dr++) {
                        for (int dc = -1; dc <= 1; dc++) {
                            int rr = r + dr;
                            int cc = c + dc;
                            if (rr >= 0 && rr < h && cc >= 0 && cc < w) {
                                all &= m[rr * w + cc];
                                any |= m[rr * w + cc];
                            }
                        }
                    }
                    assertThat(er[r * w + c]).isEqualTo(all);
                    assertThat(di[r * w + c]).isEqualTo(any);
                }
            }
        }
    }

    @Test
    void nonBinaryMaskIsRejected() {
        FloatImage bad = FloatImage.of(1, 2, new float[] {0f, 0.5f});
        assertThatThrownBy(() -> PostProcessing.OPEN_CLOSE_LARGEST.apply(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5");
    }
}
