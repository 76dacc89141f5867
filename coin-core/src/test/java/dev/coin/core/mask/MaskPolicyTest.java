package dev.coin.core.mask;

import dev.coin.core.mask.Mask;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.mask.Confusion;
import dev.coin.core.report.CounterfactualPanel;

import static dev.coin.core.mask.MaskFixtures.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class MaskPolicyTest {

    /** A 4×5 difference map with values on both sides of 0.25 and one exactly at it. */
    private static final FloatImage DIFF = FloatImage.of(4, 5, new float[] {
        0.00f, 0.10f, 0.25f, 0.30f, 0.90f,
        0.26f, 0.24f, 1.00f, 0.00f, 0.50f,
        0.05f, 0.70f, 0.20f, 0.25f, 0.00f,
        0.40f, 0.00f, 0.00f, 0.99f, 0.11f});

    @Test
    void defaultPolicyIsStrictlyAboveAQuarterWithoutCleanUp() {
        Mask m = MaskPolicy.DEFAULT.apply(DIFF);
        // hand count of values > 0.25: 0.30 0.90 | 0.26 1.00 0.50 | 0.70 | 0.40 0.99  (0.25 itself is off)
        assertThat(m.area()).isEqualTo(8);
        assertThat(m.image()).isEqualTo(mask(
                "...##",
                "#.#.#",
                ".#...",
                "#..#."));
        assertThat(m.areaFraction()).isEqualTo(8 / 20.0);
        assertThat(m.policy()).isEqualTo(MaskPolicy.fixed(0.25));
        assertThat(MaskPolicy.DEFAULT.threshold()).isEqualTo(0.25);
        assertThat(MaskPolicy.DEFAULT.postProcessing().isNone()).isTrue();
    }

    @Test
    void thresholdBoundsAreInclusiveAndStrictComparisonHolds() {
        assertThat(MaskPolicy.fixed(0).apply(DIFF).area()).isEqualTo(15);   // 20 pixels minus 5 zeros
        assertThat(MaskPolicy.fixed(1).apply(DIFF).area()).isZero();        // nothing is > 1
        assertThat(MaskPolicy.fixed(0.95).apply(DIFF).area()).isEqualTo(2); // 1.00 and 0.99
    }

    @Test
    void postProcessingRunsAfterTheThreshold() {
        // a 3×3 block plus an isolated pixel, two pixels from the border (closing's dilation must not reach it):
        // opening removes the pixel, the block survives opening, closing and the component filter unchanged
        FloatImage diff = mask(
                ".........",
                ".........",
                "..###....",
                "..###....",
                "..###..#.",
                ".........",
                ".........");
        MaskPolicy p = MaskPolicy.fixed(0.5).postProcess(PostProcessing.OPEN_CLOSE_LARGEST);
        Mask m = p.apply(diff);
        assertThat(m.image()).isEqualTo(mask(
                ".........",
                ".........",
                "..###....",
                "..###....",
                "..###....",
                ".........",
                "........."));
        assertThat(m.area()).isEqualTo(9);
        assertThat(m.policy()).isEqualTo(p);
        assertThat(MaskPolicy.fixed(0.5).apply(diff).area()).isEqualTo(10);
    }

    @Test
    void iouOnHandMadeMasks() {
        Mask m = new Mask(mask(
                "##..",
                "##..",
                "...."), MaskPolicy.DEFAULT);
        FloatImage truth = mask(
                ".##.",
                ".##.",
                "....");
        // intersection 2, union 6
        assertThat(m.iou(truth)).isEqualTo(2 / 6.0);
        assertThat(m.confusion(truth)).isEqualTo(new Confusion(2, 2, 2, 6));
        assertThat(m.iou(m.image())).isEqualTo(1.0);
        FloatImage disjoint = mask(
                "....",
                "....",
                "..##");
        assertThat(m.iou(disjoint)).isZero();
        // empty prediction and empty truth: COIN-Aligned scores 0, not 1 and not NaN
        Mask empty = new Mask(FloatImage.zeros(3, 4), MaskPolicy.DEFAULT);
        assertThat(empty.area()).isZero();
        assertThat(empty.iou(FloatImage.zeros(3, 4))).isZero();
    }

    @Test
    void badArgumentsAreRefusedWithTheValueAndAFix() {
        assertThatThrownBy(() -> MaskPolicy.fixed(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold").hasMessageContaining("1.5").hasMessageContaining("0.25");
        assertThatThrownBy(() -> MaskPolicy.fixed(-0.1)).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> MaskPolicy.fixed(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> MaskPolicy.DEFAULT.postProcess(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("PostProcessing.none()");
        assertThatThrownBy(() -> MaskPolicy.DEFAULT.apply(null)).hasMessageContaining("differenceMap");
        Mask m = MaskPolicy.DEFAULT.apply(DIFF);
        assertThatThrownBy(() -> m.iou(FloatImage.zeros(3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x3").hasMessageContaining("4x5");
        assertThatThrownBy(() -> m.iou(DIFF)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0/1");
        assertThatThrownBy(() -> new Mask(DIFF, MaskPolicy.DEFAULT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0/1");
    }

    @Test
    void valueSemanticsAndReadableText() {
        MaskPolicy a = MaskPolicy.fixed(0.3).postProcess(PostProcessing.OPEN_CLOSE_LARGEST);
        MaskPolicy b = MaskPolicy.fixed(0.3).postProcess(PostProcessing.builder().opening(true).closing(true)
                .largestComponent(true).build());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(MaskPolicy.fixed(0.3));
        assertThat(a.threshold(0.25)).isEqualTo(MaskPolicy.DEFAULT.postProcess(PostProcessing.OPEN_CLOSE_LARGEST));
        assertThat(MaskPolicy.DEFAULT).hasToString("MaskPolicy[diff > 0.25]");
        assertThat(a).hasToString("MaskPolicy[diff > 0.3, PostProcessing[open3x3 close3x3 largest8]]");
        assertThat(MaskPolicy.DEFAULT.apply(DIFF)).hasToString("Mask[8 px (40.0 % of 4x5), MaskPolicy[diff > 0.25]]");
    }

    @Test
    void stripPanelPlacesFourTilesInARow() {
        FloatImage input = FloatImage.of(2, 3, new float[] {-1, 0, 1, 1, 0, -1});
        FloatImage cf = FloatImage.of(2, 3, new float[] {-1, -1, -1, 1, 1, 1});
        FloatImage diff = FloatImage.of(2, 3, new float[] {0, 0.5f, 1, 0, 0.5f, 1});
        FloatImage pred = mask("#..", ".##");
        BufferedImage img = CounterfactualPanel.renderStrip(input, cf, diff, pred);
        int g = CounterfactualPanel.GAP;
        assertThat(img.getWidth()).isEqualTo(4 * 3 + 3 * g);
        assertThat(img.getHeight()).isEqualTo(2);
        // grey levels: [−1, 1] → 0..255 for images, [0, 1] → 0..255 for the map; mask white on black
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(img.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(img.getRGB(3 + g, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);       // counterfactual row 1 = +1
        assertThat(img.getRGB(3 + g, 0) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(img.getRGB(2 * (3 + g) + 2, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF); // map 1.0
        assertThat(img.getRGB(2 * (3 + g), 0) & 0xFFFFFF).isEqualTo(0x000000);     // map 0.0
        assertThat(img.getRGB(3 * (3 + g), 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);     // mask (0,0) on
        assertThat(img.getRGB(3 * (3 + g) + 1, 0) & 0xFFFFFF).isEqualTo(0x000000); // mask (0,1) off
        assertThat(img.getRGB(3 * (3 + g) + 2, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF); // mask (1,2) on
        assertThat(img.getRGB(3, 0) & 0xFFFFFF).isEqualTo(CounterfactualPanel.BACKGROUND); // the gap
    }
}
