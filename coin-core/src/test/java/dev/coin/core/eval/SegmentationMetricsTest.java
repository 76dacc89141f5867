package dev.coin.core.eval;

import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.mask.Confusion;

import static dev.coin.core.mask.MaskFixtures.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {
    // image A: TP 2, FP 1, FN 1, TN 12 (IoU 2/4)
    static final FloatImage PRED_A = mask("##..", "#...", "....", "....");
    static final FloatImage TRUE_A = mask("##..", "....", "....", "...#");
    // image B: TP 1, FP 0, FN 3 (IoU 1/4)
    static final FloatImage PRED_B = mask("....", ".#..", "....", "....");
    static final FloatImage TRUE_B = mask("....", ".##.", ".##.", "....");
    static final FloatImage EMPTY = FloatImage.zeros(4, 4);

    @Test
    void confusionCounts() {
        assertThat(Confusion.of(PRED_A, TRUE_A)).isEqualTo(new Confusion(2, 1, 1, 12));
        assertThat(Confusion.of(PRED_B, TRUE_B)).isEqualTo(new Confusion(1, 0, 3, 12));
    }

    @Test
    void aggregatedAndPerImageIouDiffer() {
        AggregatedIou agg = new AggregatedIou();
        MeanPerImageIou mean = new MeanPerImageIou();
        for (SegmentationMetric m : new SegmentationMetric[] {agg, mean}) {
            m.add(PRED_A, TRUE_A);
            m.add(PRED_B, TRUE_B);
            m.add(EMPTY, EMPTY);
        }
        // aggregated: (2 + 1 + 0) / (4 + 4 + 0)
        assertThat(agg.value()).isCloseTo(3.0 / 8, within(1e-12));
        // per image: (0.5 + 0.25 + 0) / 3 — the empty image counts as 0
        assertThat(mean.value()).isCloseTo(0.75 / 3, within(1e-12));
        assertThat(mean.perImage()).containsExactly(0.5, 0.25, 0.0);
    }

    @Test
    void emptyCases() {
        assertThat(new AggregatedIou().value()).isNaN();
        assertThat(new MeanPerImageIou().value()).isNaN();
        AggregatedIou agg = new AggregatedIou();
        agg.add(EMPTY, EMPTY);
        assertThat(agg.value()).isZero();
        MeanPerImageIou mean = new MeanPerImageIou();
        mean.add(EMPTY, EMPTY);
        assertThat(mean.value()).isZero();
        // prediction on an empty truth: IoU 0 both ways
        agg.add(PRED_A, EMPTY);
        assertThat(agg.value()).isZero();
    }

    @Test
    void pixelErrorRate() {
        PixelErrorRate per = new PixelErrorRate();
        per.add(PRED_A, TRUE_A); // (1 + 1) / 16
        per.add(PRED_B, TRUE_B); // (0 + 3) / 16
        assertThat(per.value()).isCloseTo((2.0 / 16 + 3.0 / 16) / 2, within(1e-12));
        assertThat(new PixelErrorRate().value()).isNaN();
    }

    @Test
    void maskEvaluationThresholdsThenScores() {
        float[] map = new float[16];
        float[] truth = TRUE_A.toArray();
        for (int i = 0; i < 16; i++) {
            map[i] = PRED_A.toArray()[i] > 0 ? 0.3f : 0.25f; // exactly at 0.25 is off (strict >)
        }
        MaskEvaluation e = new MaskEvaluation("COIN", Masks.DEFAULT_DIFFERENCE_THRESHOLD, PostProcessing.none());
        FloatImage used = e.add(FloatImage.of(4, 4, map), FloatImage.of(4, 4, truth));
        assertThat(used).isEqualTo(PRED_A);
        assertThat(e.aggregatedIou().value()).isCloseTo(0.5, within(1e-12));
        assertThat(e.pixelErrorRate().value()).isCloseTo(2.0 / 16, within(1e-12));
    }

    @Test
    void differenceMapIsInUnitSpace() {
        FloatImage x = FloatImage.of(1, 3, new float[] {-1f, 0f, 1f});
        FloatImage cf = FloatImage.of(1, 3, new float[] {1f, 0.5f, 1f});
        assertThat(Masks.differenceMap(x, cf).toArray()).containsExactly(1f, 0.25f, 0f);
    }

    @Test
    void counterfactualValidity() {
        CounterfactualValidity cv = new CounterfactualValidity();
        cv.add(new double[] {0.9, 0.95}, new double[] {0.05, 0.5});
        cv.add(new double[] {0.5, 0.85, 0.8}, new double[] {0.0, 0.04, 0.0});
        // eligible (p > 0.8): 0.9 → |0.85| > 0.8 yes; 0.95 → 0.45 no; 0.85 → 0.81 yes; 0.8 not eligible
        assertThat(cv.eligibleCount()).isEqualTo(3);
        assertThat(cv.count()).isEqualTo(5);
        assertThat(cv.value()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(new CounterfactualValidity().value()).isNaN();
        assertThatThrownBy(() -> cv.add(new double[] {1.2}, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p[0] = 1.2");
        assertThatThrownBy(() -> cv.add(new double[] {0.9}, new double[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flipAccuracy() {
        FlipAccuracy acc = new FlipAccuracy();
        acc.add(new double[] {0.1, 0.6, 0.5, 0.9}, 0); // bins 0, 1, 1 (inclusive at 0.5, as posterior2bin), 1
        assertThat(acc.value()).isCloseTo(0.25, within(1e-12));
        acc.add(new double[] {0.7, 0.2}, new int[] {1, 1}); // hit, miss
        assertThat(acc.value()).isCloseTo(2.0 / 6, within(1e-12));
        assertThatThrownBy(() -> acc.add(new double[] {0.2}, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("desiredBin");
    }
}
