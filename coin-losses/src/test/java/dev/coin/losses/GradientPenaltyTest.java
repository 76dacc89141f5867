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
        double[] real = uniform(r, B, -2, 2);
        double[] realN = uniform(r, B, -2, 2);
        double[] fake = uniform(r, B, -2, 2);
        double[] fakeN = uniform(r, B, -2, 2);
        double sigma = 0.5;
        SameDiff sd = SameDiff.create();
        GradientPenalty gp = GradientPenalty.r1r2(50).step(sigma);
        String name = LossSet.buildTerm(sd, gp, LossInputs.builder()
                .put(LossInput.D_REAL_LOGITS, var(sd, "r", real, B, 1))
                .put(LossInput.D_REAL_LOGITS_NUDGED, var(sd, "rn", realN, B, 1))
                .put(LossInput.D_FAKE_LOGITS, var(sd, "f", fake, B, 1))
                .put(LossInput.D_FAKE_LOGITS_NUDGED, var(sd, "fn", fakeN, B, 1)).build()).weighted().name();
        double s = 0;
        for (int i = 0; i < B; i++) {
            double r1 = Math.pow((realN[i] - real[i]) / sigma, 2);
            double r2 = Math.pow((fakeN[i] - fake[i]) / sigma, 2);
            s += r1 + r2;
        }
        double expected = 50.0 / 2 * s / B; // (γ/2)·mean(R1 + R2)
        assertThat(value(sd, name)).isCloseTo(expected, within(1e-10));
        assertGradientsMatchFiniteDifferences(sd, name);
    }

    /**
     * With a linear critic D(x) = Σ w·x (∇ₓD = w for every sample), nudging along u = w/‖w‖ gives the exact
     * (γ/2)·mean(R1 + R2) = γ‖w‖², and the gradient w.r.t. the critic's weights is the exact 2γw — what the
     * second-order penalty of the reference gives.
     */
    @Test
    void directionalFiniteDifferenceGivesTheExactPenaltyAndWeightGradientForALinearCritic() {
        int n = 6;
        SplittableRandom r = new SplittableRandom(8);
        double[] w = uniform(r, n, -1, 1);
        double[] healthy = uniform(r, B * n, -1, 1);
        double[] fakes = uniform(r, B * n, -1, 1);
        double norm = 0;
        for (double v : w) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double sigma = 1e-2;
        double[] nudge = new double[B * n];
        for (int i = 0; i < B * n; i++) {
            nudge[i] = sigma * w[i % n] / norm; // host-side constant u scaled by σ
        }
        double[] healthyN = healthy.clone();
        double[] fakesN = fakes.clone();
        for (int i = 0; i < B * n; i++) {
            healthyN[i] += nudge[i];
            fakesN[i] += nudge[i];
        }
        SameDiff sd = SameDiff.create();
        SDVariable wv = var(sd, "w", w, 1, n);
        java.util.function.Function<double[], SDVariable> critic =
                x -> sd.sum(sd.constant(arr(x, B, n)).mul(wv), true, 1); // [B, 1]
        double gamma = 50;
        String name = LossSet.buildTerm(sd, GradientPenalty.r1r2(gamma), LossInputs.builder()
                .put(LossInput.D_REAL_LOGITS, critic.apply(healthy))
                .put(LossInput.D_REAL_LOGITS_NUDGED, critic.apply(healthyN))
                .put(LossInput.D_FAKE_LOGITS, critic.apply(fakes))
                .put(LossInput.D_FAKE_LOGITS_NUDGED, critic.apply(fakesN)).build()).weighted().name();
        assertThat(value(sd, name)).isCloseTo(gamma * norm * norm, within(1e-6 * gamma * norm * norm));
        INDArray g = gradients(sd, name, "w").get("w");
        for (int i = 0; i < n; i++) {
            assertThat(g.getDouble(0, i)).isCloseTo(2 * gamma * w[i], within(1e-5));
        }
    }

    @Test
    void namesValidationAndToString() {
        GradientPenalty gp = GradientPenalty.r1r2(50);
        assertThat(gp.player()).isEqualTo(Player.DISCRIMINATOR);
        assertThat(gp.step()).isEqualTo(GradientPenalty.DEFAULT_STEP);
        assertThat(gp.toString()).isEqualTo("GradientPenalty.r1r2[λ=γ=50.0, σ=0.01]");
        assertThat(gp.weight(1).weight()).isEqualTo(1.0);
        assertThatThrownBy(() -> gp.step(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("σ").hasMessageContaining("0.0");
        assertThatThrownBy(() -> GradientPenalty.r1r2(-50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'d_gp'");
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.D_REAL_LOGITS, var(sd, "r", new double[] {1}, 1, 1))
                .put(LossInput.D_FAKE_LOGITS, var(sd, "f", new double[] {1}, 1, 1)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, gp, in)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("D_REAL_LOGITS_NUDGED").hasMessageContaining("D_FAKE_LOGITS_NUDGED");
    }
}
