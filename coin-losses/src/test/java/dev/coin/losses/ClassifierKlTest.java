package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class ClassifierKlTest extends DoubleGraphTest {

    private static double clamp(double v) {
        return Math.min(Math.max(v, 1e-5), 1 - 1e-5);
    }

    /** Reference §4.2 in plain Java. */
    private static double kl(double[] q, double[] t) {
        double s = 0;
        for (int i = 0; i < q.length; i++) {
            double qq = clamp(q[i]);
            double tt = clamp(t[i]);
            s += tt * Math.log(tt / qq) + (1 - tt) * Math.log((1 - tt) / (1 - qq));
        }
        return s / q.length;
    }

    private static String build(SameDiff sd, ClassifierKlTerm term, double[] q, double[] t) {
        LossInputs in = LossInputs.builder()
                .put(LossInput.CLASSIFIER_PROB_CF, var(sd, "q", q, q.length, 1))
                .put(LossInput.TARGET_PROB, constant(sd, "t", t, t.length, 1)).build();
        return LossSet.buildTerm(sd, term, in).weighted().name();
    }

    @Test
    void valueMatchesHandComputationIncludingClampedTargets() {
        double[] q = {0.9, 0.2, 0.55, 1e-7, 1.0};
        double[] t = {1e-6, 0.2, 0.3, 0.4, 1e-6}; // 1e-6 (COIN v1 target) is clamped to 1e-5
        SameDiff sd = SameDiff.create();
        String name = build(sd, ClassifierKl.weight(5.0), q, t);
        double expected = kl(q, t);
        assertThat(value(sd, "loss/kl/raw")).isCloseTo(expected, within(1e-12));
        assertThat(value(sd, name)).isCloseTo(5.0 * expected, within(1e-11));
        // Sanity of the hand formula itself: equal in-range distributions give 0; abnormal sample ≈ −ln(1 − q).
        assertThat(kl(new double[] {0.2}, new double[] {0.2})).isEqualTo(0.0);
        assertThat(kl(new double[] {0.9}, new double[] {1e-6})).isCloseTo(-Math.log(0.1), within(2e-4));
    }

    @Test
    void gradientMatchesFiniteDifferencesInsideTheClampRange() {
        double[] q = {0.9, 0.2, 0.55, 0.013};
        double[] t = {1e-6, 0.2, 0.3, 0.7};
        SameDiff sd = SameDiff.create();
        String name = build(sd, ClassifierKl.weight(1.5), q, t);
        assertGradientsMatchFiniteDifferences(sd, name);
    }

    /** Analytic: ∂/∂q_i of λ·mean KL = λ/B·(−t/q + (1−t)/(1−q)) inside the range, 0 outside (clip op). */
    @Test
    void predictionsOutsideTheClampRangeGetZeroGradient() {
        double[] q = {1e-7, 0.3, 1 - 1e-7, 0.0, 0.8};
        double[] t = {0.5, 0.6, 0.5, 0.5, 1e-6};
        double lambda = 2.0;
        SameDiff sd = SameDiff.create();
        String name = build(sd, ClassifierKl.weight(lambda), q, t);
        INDArray g = gradients(sd, name, "q").get("q");
        for (int i = 0; i < q.length; i++) {
            boolean inside = q[i] >= 1e-5 && q[i] <= 1 - 1e-5;
            double tt = clamp(t[i]);
            double expected = inside ? lambda / q.length * (-tt / q[i] + (1 - tt) / (1 - q[i])) : 0.0;
            assertThat(g.getDouble(i)).as("dL/dq[%d] for q=%s", i, q[i]).isCloseTo(expected, within(1e-9));
        }
        assertThat(g.getDouble(1)).isNotZero();
    }

    @Test
    void weightScalesValueAndGradient() {
        double[] q = {0.9, 0.2, 0.55};
        double[] t = {1e-6, 0.2, 0.3};
        SameDiff a = SameDiff.create();
        SameDiff b = SameDiff.create();
        String na = build(a, ClassifierKl.weight(1.0), q, t);
        String nb = build(b, ClassifierKl.weight(1.0).weight(7.0), q, t);
        assertThat(value(b, nb)).isCloseTo(7.0 * value(a, na), within(1e-12));
        Map<String, INDArray> ga = gradients(a, na, "q");
        Map<String, INDArray> gb = gradients(b, nb, "q");
        assertThat(ga.get("q").mul(7.0).equalsWithEps(gb.get("q"), 1e-12)).isTrue();
    }

    @Test
    void factoryDefaultsToStringAndValidation() {
        ClassifierKlTerm kl = ClassifierKl.weight(5.0);
        assertThat(kl.toString()).isEqualTo("ClassifierKl[λ=5.0, eps=1.0E-5]");
        assertThat(kl.eps()).isEqualTo(1e-5);
        assertThat(kl.eps(1e-4).weight(2).toString()).isEqualTo("ClassifierKl[λ=2.0, eps=1.0E-4]");
        assertThat(kl.requires()).containsExactlyInAnyOrder(LossInput.CLASSIFIER_PROB_CF, LossInput.TARGET_PROB);
        assertThatThrownBy(() -> kl.eps(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eps").hasMessageContaining("0.5");
        assertThatThrownBy(() -> ClassifierKl.weight(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kl'").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> ClassifierKl.weight(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> kl.weight(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
    }

    @Test
    void missingTargetIsNamed() {
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.CLASSIFIER_PROB_CF, var(sd, "q", new double[] {0.3}, 1, 1)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, ClassifierKl.weight(1), in))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'kl'").hasMessageContaining("TARGET_PROB");
    }
}
