package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class GradientPenaltyTest extends DoubleGraphTest {
    private static final int B = 3;

    @Test
    void valueMatchesHandComputationAndFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        double[] realSlope = uniform(r, B, 0, 2);
        double[] fakeSlope = uniform(r, B, 0, 2);
        SameDiff sd = SameDiff.create();
        GradientPenalty gp = GradientPenalty.r1r2(50);
        BuiltTerm built = LossSet.buildTerm(sd, gp, LossInputs.builder()
                .put(LossInput.D_REAL_SLOPE, var(sd, "rs", realSlope, B, 1))
                .put(LossInput.D_FAKE_SLOPE, var(sd, "fs", fakeSlope, B, 1)).build());
        double r1 = 0;
        double r2 = 0;
        for (int i = 0; i < B; i++) {
            r1 += realSlope[i] * realSlope[i] / B;
            r2 += fakeSlope[i] * fakeSlope[i] / B;
        }
        double expected = 50.0 / 2 * (r1 + r2); // (γ/2)·mean(R1 + R2)
        assertThat(value(sd, built.weighted().name())).isCloseTo(expected, within(1e-10));
        assertThat(value(sd, LossSet.componentName(GradientPenalty.NAME, GradientPenalty.R1))).isCloseTo(r1,
                within(1e-12));
        assertThat(value(sd, LossSet.componentName(GradientPenalty.NAME, GradientPenalty.R2))).isCloseTo(r2,
                within(1e-12));
        assertGradientsMatchFiniteDifferences(sd, built.weighted().name());
    }

    /**
     * With a linear critic D(x) = Σ w·x (∇ₓD = w for every sample) the slope along u = w/‖w‖ is w·u = ‖w‖, so the
     * term is the exact (γ/2)·mean(R1 + R2) = γ‖w‖², and its gradient with respect to the critic's weights is the
     * exact 2γw — what the reference's second-order penalty gives.
     */
    @Test
    void slopeAlongTheUnitGradientGivesTheExactPenaltyAndWeightGradientForALinearCritic() {
        int n = 6;
        SplittableRandom r = new SplittableRandom(8);
        double[] w = uniform(r, n, -1, 1);
        double norm = 0;
        for (double v : w) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double[] u = new double[B * n];
        for (int i = 0; i < B * n; i++) {
            u[i] = w[i % n] / norm; // host-side constant direction
        }
        SameDiff sd = SameDiff.create();
        SDVariable wv = var(sd, "w", w, 1, n);
        SDVariable slope = sd.sum(sd.constant(arr(u, B, n)).mul(wv), true, 1); // [B, 1]: the linear critic's J·u
        double gamma = 50;
        String name = LossSet.buildTerm(sd, GradientPenalty.r1r2(gamma), LossInputs.builder()
                .put(LossInput.D_REAL_SLOPE, slope).put(LossInput.D_FAKE_SLOPE, slope).build()).weighted().name();
        assertThat(value(sd, name)).isCloseTo(gamma * norm * norm, within(1e-9 * gamma * norm * norm));
        INDArray g = gradients(sd, name, "w").get("w");
        for (int i = 0; i < n; i++) {
            assertThat(g.getDouble(0, i)).isCloseTo(2 * gamma * w[i], within(1e-9));
        }
    }

    @Test
    void namesValidationAndToString() {
        GradientPenalty gp = GradientPenalty.r1r2(50);
        assertThat(gp.player()).isEqualTo(Player.DISCRIMINATOR);
        assertThat(gp.toString()).isEqualTo("GradientPenalty.r1r2[λ=γ=50.0]");
        assertThat(gp.weight(1).weight()).isEqualTo(1.0);
        assertThat(gp).isEqualTo(GradientPenalty.r1r2(50)).isNotEqualTo(GradientPenalty.r1r2(10));
        assertThatThrownBy(() -> GradientPenalty.r1r2(-50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'d_gp'");
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.D_REAL_LOGITS, var(sd, "r", new double[] {1}, 1, 1))
                .put(LossInput.D_FAKE_LOGITS, var(sd, "f", new double[] {1}, 1, 1)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, gp, in)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("D_REAL_SLOPE").hasMessageContaining("D_FAKE_SLOPE");
    }
}
