package dev.coin.core.model.classifier;

import dev.coin.core.train.ClassificationReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BinaryCrossEntropyAndReportTest {

    @Test
    void graphLossMatchesTheTextbookFormulaAndItsGradient() {
        DataType oldDefault = Nd4j.dataType();
        DataType oldFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            double[] z = {-30, -2.5, -0.3, 0.7, 4, 40};
            double[] y = {0, 1, 0, 1, 1, 0};
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("z", Nd4j.create(z, new long[] {6, 1}, DataType.DOUBLE));
            SDVariable labels = sd.constant("y", Nd4j.create(y, new long[] {6, 1}, DataType.DOUBLE));
            SDVariable loss = BinaryCrossEntropy.withLogits(sd, "loss", logits, labels);
            double expected = 0;
            for (int i = 0; i < z.length; i++) {
                // −[y·log σ(z) + (1−y)·log(1−σ(z))], with log σ written via log1p for the tails
                double logSig = -Math.log1p(Math.exp(-z[i]));
                double logOneMinus = -z[i] - Math.log1p(Math.exp(-z[i]));
                if (z[i] < 0) {
                    logSig = z[i] - Math.log1p(Math.exp(z[i]));
                    logOneMinus = -Math.log1p(Math.exp(z[i]));
                }
                expected += -(y[i] * logSig + (1 - y[i]) * logOneMinus);
            }
            expected /= z.length;
            INDArray value = sd.output(new HashMap<>(), "loss").get("loss");
            assertThat(value.getDouble(0)).isCloseTo(expected, Offset.offset(1e-12));
            assertThat(BinaryCrossEntropy.withLogits(40, 0)).isCloseTo(40, Offset.offset(1e-12));
            // d/dz mean ℓ = (σ(z) − y)/n
            INDArray g = sd.calculateGradients(Map.of(), "z").get("z");
            for (int i = 0; i < z.length; i++) {
                assertThat(g.getDouble(i, 0)).isCloseTo((1 / (1 + Math.exp(-z[i])) - y[i]) / z.length, Offset.offset(1e-12));
            }
            sd.setLossVariables(loss);
            assertThat(GradCheckUtil.checkGradients(sd, new HashMap<>(), 1e-6, 1e-5, 1e-9, false, false, false, false,
                    null, null, 24, GradCheckUtil.Subset.EVERY_N)).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(oldDefault, oldFloat);
        }
    }

    @Test
    void reportCountsAndMetricsByHand() {
        // logits > 0 predict abnormal: predictions 1,1,0,0,1,0 for labels 1,0,1,0,1,0 → TP 2, FP 1, FN 1, TN 2
        float[] logits = {2f, 0.5f, -1f, -3f, 0.1f, 0f};
        float[] labels = {1, 0, 1, 0, 1, 0};
        ClassificationReport r = ClassificationReport.of(logits, labels);
        assertThat(new int[] {r.truePositives(), r.falsePositives(), r.trueNegatives(), r.falseNegatives()})
                .containsExactly(2, 1, 2, 1);
        assertThat(r.precision(1)).isCloseTo(2.0 / 3, Offset.offset(1e-12));
        assertThat(r.recall(1)).isCloseTo(2.0 / 3, Offset.offset(1e-12));
        assertThat(r.precision(0)).isCloseTo(2.0 / 3, Offset.offset(1e-12));
        assertThat(r.macroF1()).isCloseTo(2.0 / 3, Offset.offset(1e-12));
        assertThat(r.accuracy()).isCloseTo(4.0 / 6, Offset.offset(1e-12));
        // nothing predicted abnormal: precision of class 1 is 0 (torchmetrics' zero_division), not NaN
        ClassificationReport none = ClassificationReport.of(new float[] {-1, -1}, new float[] {1, 0});
        assertThat(none.precision(1)).isZero();
        assertThat(none.f1(1)).isZero();
        assertThat(none.f1(0)).isCloseTo(2 * 0.5 * 1 / 1.5, Offset.offset(1e-12));
        assertThatThrownBy(() -> ClassificationReport.of(new float[] {1}, new float[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[0]");
    }
}
