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
 * <p>The reference differentiates the input gradient a second time ({@code create_graph=True}); SameDiff 1.0.0-M2.1
 * cannot. This term reads instead the discriminator's <em>slopes</em> {@link LossInput#D_REAL_SLOPE} and
 * {@link LossInput#D_FAKE_SLOPE}: s_i = ∇ₓD(x_i)·u_i with u_i = ∇ₓD(x_i)/‖∇ₓD(x_i)‖ computed by ordinary backprop and
 * fed as a constant, so s_i = ‖∇ₓD(x_i)‖ and R_i = s_i². The trainer computes s_i forward, as a tangent pass of the
 * piecewise-linear discriminator (its layers' linear parts with the ReLU masks of the primal pass), so the value is
 * exact and its weight gradient, 2·s_i·∂θ(∇ₓD·u_i), equals the reference's double-backprop gradient 2·∇ₓD·∂θ∇ₓD
 * (checked against the published code's vectors to 1e-4 of each tensor's largest entry). An earlier version
 * nudged the input, D(x + σu) − D(x): float32 cancellation and ReLUs switching within σ made its gradients wrong by
 * up to 30 % on the reference vectors.
 *
 * <pre>{@code
 * GradientPenalty gp = GradientPenalty.r1r2(50.0);      // GradientPenalty.r1r2[λ=γ=50.0]
 * }</pre>
 */
public final class GradientPenalty extends AbstractLossTerm {
    /** Term name ("d_gp"). */
    public static final String NAME = "d_gp";
    /** Component names of the unweighted R1 and R2 means. */
    public static final String R1 = "r1";
    public static final String R2 = "r2";

    private GradientPenalty(double gamma) {
        super(NAME, gamma);
    }

    /** R1 + R2 with weight γ. */
    public static GradientPenalty r1r2(double gamma) {
        return new GradientPenalty(gamma);
    }

    @Override
    public GradientPenalty weight(double gamma) {
        return new GradientPenalty(gamma);
    }

    @Override
    public Player player() {
        return Player.DISCRIMINATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return LossInput.setOf(LossInput.D_REAL_SLOPE, LossInput.D_FAKE_SLOPE);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable r1 = c.component(R1, sd.mean(sd.math.square(c.get(LossInput.D_REAL_SLOPE))));
        SDVariable r2 = c.component(R2, sd.mean(sd.math.square(c.get(LossInput.D_FAKE_SLOPE))));
        return r1.add(r2).mul(0.5);
    }

    @Override
    public String toString() {
        return "GradientPenalty.r1r2[λ=γ=" + weight() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientPenalty g && g.weight() == weight();
    }

    @Override
    public int hashCode() {
        return Objects.hash(NAME, weight());
    }
}
