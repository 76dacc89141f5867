package dev.coin.losses;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The generator half of an adversarial loss; {@link #discriminatorTerm()} gives the matching discriminator half,
 * which is this term's {@linkplain #companions() companion}: a {@link LossSet} adds it automatically.
 *
 * <p>Kinds (D = discriminator logits, means over all elements, i.e. over the batch):
 * <ul>
 *   <li>{@link #bce()} — non-saturating GAN with BCE-with-logits, written as softplus: BCE(l, 1) = softplus(−l),
 *       BCE(l, 0) = softplus(l). G: mean BCE(D(x_cf), 1). D: (mean BCE(D(real), 1) + mean BCE(D(x_cf), 0)) / 2.
 *       <b>This is what every COIN configuration runs</b>: the reference's config value {@code adv_loss: mse} selects
 *       BCE because the code tests the string for truthiness ("BCE if adv_loss else MSE") and "mse" is truthy; the
 *       COIN presets therefore use {@code bce()}, not {@link #leastSquares()}.</li>
 *   <li>{@link #leastSquares()} — a real LSGAN (MSE), unreachable from the reference's configs:
 *       G: mean (D(x_cf) − 1)². D: (mean (D(real) − 1)² + mean D(x_cf)²) / 2.</li>
 *   <li>{@link #hinge()} — G: −mean D(x_cf). D: (mean relu(1 − D(real)) + mean relu(1 + D(x_cf))) / 2; the reference
 *       averages the two halves for every non-relativistic kind (its {@code d_loss = (d_real + d_fake) / 2}).</li>
 *   <li>{@link #relativistic()} — RpGAN of COIN-Aligned (§9.4), real = the paired healthy slices:
 *       G: mean softplus(D(healthy) − D(x_cf)); D: mean softplus(D(x̂) − D(healthy)), pairs by batch position.
 *       Add the zero-centred R1/R2 penalties with {@link GradientPenalty}.</li>
 * </ul>
 * The weight λ_adv multiplies the generator half only; the discriminator half has its own weight (default 1, as in
 * the reference).
 *
 * <pre>{@code
 * Adversarial adv = Adversarial.bce();                  // Adversarial.bce[λ=1.0]
 * LossTerm d = adv.discriminatorTerm();                 // Adversarial.bce/D[λ=1.0]
 * SDVariable gLoss = LossSet.buildTerm(sdG, adv,
 *         LossInputs.builder().put(LossInput.D_FAKE_LOGITS, dFake).build()).weighted();   // loss/adv
 * }</pre>
 */
public final class Adversarial extends AbstractLossTerm {

    /** The adversarial formulations. */
    public enum Kind {
        BCE("bce"), LEAST_SQUARES("leastSquares"), HINGE("hinge"), RELATIVISTIC("relativistic");

        private final String factory;

        Kind(String factory) {
            this.factory = factory;
        }
    }

    /** Name of the generator half ("adv"). */
    public static final String NAME = "adv";

    private final Kind kind;
    private final double discriminatorWeight;

    private Adversarial(Kind kind, double weight, double discriminatorWeight) {
        super(NAME, weight);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.discriminatorWeight = checkWeight(AdversarialDiscriminator.NAME, discriminatorWeight);
    }

    /** Non-saturating BCE-with-logits GAN, λ = 1 (the COIN and Singla* loss). */
    public static Adversarial bce() {
        return new Adversarial(Kind.BCE, 1.0, 1.0);
    }

    /** Least-squares GAN (real MSE), λ = 1. */
    public static Adversarial leastSquares() {
        return new Adversarial(Kind.LEAST_SQUARES, 1.0, 1.0);
    }

    /** Hinge GAN, λ = 1. */
    public static Adversarial hinge() {
        return new Adversarial(Kind.HINGE, 1.0, 1.0);
    }

    /** Relativistic pairing GAN of COIN-Aligned ({@code adv_loss: long_live_gan}), λ = 1. */
    public static Adversarial relativistic() {
        return new Adversarial(Kind.RELATIVISTIC, 1.0, 1.0);
    }

    /** The formulation. */
    public Kind kind() {
        return kind;
    }

    @Override
    public Adversarial weight(double lambda) {
        return new Adversarial(kind, lambda, discriminatorWeight);
    }

    /** A copy whose discriminator half has weight {@code lambda} (default 1). */
    public Adversarial discriminatorWeight(double lambda) {
        return new Adversarial(kind, weight(), lambda);
    }

    /** The discriminator half of this loss. */
    public AdversarialDiscriminator discriminatorTerm() {
        return new AdversarialDiscriminator(kind, discriminatorWeight);
    }

    /** The discriminator half, which a {@link LossSet} adds beside this term. */
    @Override
    public List<LossTerm> companions() {
        return List.of(discriminatorTerm());
    }

    @Override
    public Player player() {
        return Player.GENERATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return kind == Kind.RELATIVISTIC ? LossInput.setOf(LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS)
                : LossInput.setOf(LossInput.D_FAKE_LOGITS);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable fake = c.get(LossInput.D_FAKE_LOGITS);
        switch (kind) {
            case BCE:
                return sd.mean(Graph.bceOne(sd, fake));
            case LEAST_SQUARES:
                return sd.mean(sd.math.square(fake.sub(1.0)));
            case HINGE:
                return sd.mean(fake).neg();
            case RELATIVISTIC:
                // Gradient only via D(x_cf) in the generator graph: D(healthy) depends on no generator weight.
                return sd.mean(Graph.softplus(sd, c.get(LossInput.D_REAL_LOGITS).sub(fake)));
            default:
                throw new AssertionError(kind);
        }
    }

    static String factoryName(Kind kind) {
        return kind.factory;
    }

    @Override
    public String toString() {
        return "Adversarial." + kind.factory + "[" + lambda()
                + (discriminatorWeight == 1.0 ? "" : ", λ_D=" + discriminatorWeight) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Adversarial a && a.kind == kind && a.weight() == weight()
                && a.discriminatorWeight == discriminatorWeight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, weight(), discriminatorWeight);
    }
}
