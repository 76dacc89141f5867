package dev.coin.core.eval;

import dev.coin.core.report.SummaryTable;

import static dev.coin.core.mask.MaskFixtures.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.explain.CounterfactualDifference;
import dev.coin.data.image.FloatImage;
import dev.coin.data.runtime.NativeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CounterfactualEvaluationTest {
    static {
        NativeBackend.configure();
    }

    @TempDir
    Path dir;

    @Test
    void accumulatesTheReferenceMetricsOverABatch() throws Exception {
        // 3 slices 4×4, x = −1 everywhere; x_cf raises some pixels: +1.0 (diff 0.5, on) or +0.4 (diff 0.2, off)
        float[] x = new float[3 * 16];
        java.util.Arrays.fill(x, -1f);
        float[] cf = x.clone();
        cf[0] = 0f;         // slice 0, (0,0): diff 0.5 → on
        cf[1] = 0f;         // slice 0, (0,1): on
        cf[2] = -0.6f;      // slice 0, (0,2): diff 0.2 → off
        cf[16 + 5] = 0f;    // slice 1 (label 0): on, but not scored
        cf[32 + 15] = 0f;   // slice 2, (3,3): on
        INDArray xs = Nd4j.create(x, new long[] {3, 1, 4, 4});
        INDArray cfs = Nd4j.create(cf, new long[] {3, 1, 4, 4});
        FloatImage t0 = mask("#.#.", "....", "....", "...."); // TP 1, FP 1, FN 1
        FloatImage t2 = mask("....", "....", "....", "..##"); // TP 1, FN 1
        CounterfactualEvaluation ev = CounterfactualEvaluation.builder().panels(dir).sweep(11).build();
        ev.add(xs, cfs, new double[] {0.9, 0.3, 0.99}, new double[] {0.05, 0.1, 0.6}, new int[] {1, 0, 1},
                new FloatImage[] {t0, null, t2}, 0);
        // aggregated IoU = (1 + 1) / (3 + 2); per image (1/3 + 1/2) / 2; PER ((1 + 1) + 1) / 16 / 2
        assertThat(ev.masks().fixed().aggregatedIou().value()).isCloseTo(2.0 / 5, within(1e-12));
        assertThat(ev.masks().fixed().meanPerImageIou().value()).isCloseTo((1.0 / 3 + 0.5) / 2, within(1e-12));
        assertThat(ev.masks().fixed().pixelErrorRate().value()).isCloseTo((2.0 / 16 + 1.0 / 16) / 2, within(1e-12));
        // CV: eligible 0.9 (drop 0.85 → valid) and 0.99 (drop 0.39 → not): 1/2; flip: bins 0, 0, 1 vs 0 → 2/3
        assertThat(ev.validity().value()).isCloseTo(0.5, within(1e-12));
        assertThat(ev.flipAccuracy().value()).isCloseTo(2.0 / 3, within(1e-12));
        // sweep at t = 0.1 also turns on the 0.2 pixel of slice 0 (a TP): aggregated (2 + 1) / 5
        assertThat(ev.masks().sweep().aggregatedIou()[1]).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(Files.exists(dir.resolve("batch-00000_label-1_desired-0_pred-0.png"))).isTrue();
        ev.addFeatures(Nd4j.rand(5, 3), Nd4j.rand(5, 3));
        SummaryTable.Row row = ev.summaryRow("default");
        assertThat(row.metrics()).containsKeys("IoU_agg", "IoU_mean", "PER", "CV_0.8", "flip_acc", "FID_classifier");
        assertThat(row.threshold()).isEqualTo(0.25);
    }

    @Test
    void labelledSliceWithoutTruthIsAnError() {
        INDArray xs = Nd4j.zeros(1, 1, 2, 2);
        CounterfactualEvaluation ev = CounterfactualEvaluation.builder().build();
        assertThatThrownBy(() -> ev.add(xs, xs, new double[] {0.5}, new double[] {0.5}, new int[] {1},
                new FloatImage[] {null}, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth[0]");
    }

    @Test
    void counterfactualDifferenceIsHalfTheAbsoluteChange() {
        INDArray xs = Nd4j.create(new float[] {-1f, 0f, 1f, 0.5f}, new long[] {1, 1, 2, 2});
        CounterfactualDifference coin = new CounterfactualDifference("COIN", x -> x.neg());
        assertThat(coin.saliency(xs)[0].toArray()).containsExactly(1f, 0f, 1f, 0.5f);
    }
}
