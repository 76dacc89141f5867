package dev.coin.losses;

import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Zero-centred R1 + R2 gradient penalties of COIN-Aligned's relativistic discriminator (reference §9.4):
 * (γ/2)·mean_i(R1_i + R2_i) with R1_i = ‖∇ₓD(healthy_i)‖², R2_i = ‖∇ₓD(x̂_i)‖² (sum of squares over C, H, W).
 * The weight of this term is γ (the reference's {@code adv_gamma}, 50 in the thesis configs).
 *
 * <p>SameDiff 1.0.0-M2.1 cannot differentiate a gradient, so this term uses the exact <em>directional finite
 * difference</em>: with u_i = g_i/‖g_i‖ the normalised input gradient of D at sample i (computed by ordinary
 * backprop and fed as a <b>constant</b>), R_i ≈ ((D(x_i + σ·u_i) − D(x_i)) / σ)². For a piecewise-linear D (conv,
 * ReLU, average pooling, sum, linear with σ_SN constant) this equals ‖g_i‖² as long as the σ-step flips no ReLU, and
 * its parameter gradient equals that of the exact penalty. The pipeline must therefore provide
 * {@link LossInput#D_REAL_LOGITS_NUDGED} = D(healthy + σ·u_real) and {@link LossInput#D_FAKE_LOGITS_NUDGED} =
 * D(x̂ + σ·u_fake) computed with the same {@link #step()} σ. (Random directions give the right value but a useless
 * gradient: do not use them.)
 *
 * <pre>{@code
 * GradientPenalty gp = GradientPenalty.r1r2(50.0);      // GradientPenalty.r1r2[λ=γ=50.0, σ=0.01]
 * }</pre>
 */
public final class GradientPenalty extends AbstractLossTerm {
    /** Term name ("d_gp"). */
    public static final String NAME = "d_gp";
    /** Default finite-difference step along the unit input-gradient direction. */
    public static final double DEFAULT_STEP = 1e-2;

    private final double step;

    private GradientPenalty(double gamma, double step) {
        super(NAME, gamma);
        if (!(step > 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("GradientPenalty step σ must be finite and > 0, got " + step
                    + "; use e.g. " + DEFAULT_STEP);
        }
        this.step = step;
    }

    /** R1 + R2 with weight γ and step σ = 1e-2. */
    public static GradientPenalty r1r2(double gamma) {
        return new GradientPenalty(gamma, DEFAULT_STEP);
    }

    /** The finite-difference step σ the pipeline must use for the nudged logits. */
    public double step() {
        return step;
    }

    /** A copy with step σ. */
    public GradientPenalty step(double sigma) {
        return new GradientPenalty(weight(), sigma);
    }

    @Override
    public GradientPenalty weight(double gamma) {
        return new GradientPenalty(gamma, step);
    }

    @Override
    public Player player() {
        return Player.DISCRIMINATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return LossInput.setOf(LossInput.D_REAL_LOGITS, LossInput.D_REAL_LOGITS_NUDGED, LossInput.D_FAKE_LOGITS,
                LossInput.D_FAKE_LOGITS_NUDGED);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        double inv = 1.0 / step;
        SDVariable r1 = sd.math.square(c.get(LossInput.D_REAL_LOGITS_NUDGED)
                .sub(c.get(LossInput.D_REAL_LOGITS)).mul(inv));
        SDVariable r2 = sd.math.square(c.get(LossInput.D_FAKE_LOGITS_NUDGED)
                .sub(c.get(LossInput.D_FAKE_LOGITS)).mul(inv));
        return sd.mean(r1.add(r2)).mul(0.5);
    }

    @Override
    public String toString() {
        return "GradientPenalty.r1r2[λ=γ=" + weight() + ", σ=" + step + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientPenalty g && g.weight() == weight() && g.step == step;
    }

    @Override
    public int hashCode() {
        return Objects.hash(weight(), step);
    }
}
