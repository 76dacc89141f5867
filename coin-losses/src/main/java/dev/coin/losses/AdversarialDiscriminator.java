package dev.coin.losses;

import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The discriminator half of an {@link Adversarial} loss; get it from {@link Adversarial#discriminatorTerm()} (a
 * {@link LossSet} adds it beside its generator half). Besides {@code loss/d_adv} and {@code loss/d_adv/raw} it logs
 * the unweighted halves as {@linkplain LossContext#component components} {@code loss/d_adv/real} and
 * {@code loss/d_adv/fake} (the reference's {@code d_real_loss} / {@code d_fake_loss}; not for the relativistic kind,
 * which has no separate halves).
 */
public final class AdversarialDiscriminator extends AbstractLossTerm {
    /** Name of the discriminator half ("d_adv"). */
    public static final String NAME = "d_adv";

    private final Adversarial.Kind kind;

    AdversarialDiscriminator(Adversarial.Kind kind, double weight) {
        super(NAME, weight);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The formulation. */
    public Adversarial.Kind kind() {
        return kind;
    }

    @Override
    public AdversarialDiscriminator weight(double lambda) {
        return new AdversarialDiscriminator(kind, lambda);
    }

    @Override
    public Player player() {
        return Player.DISCRIMINATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return LossInput.setOf(LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS);
    }

    /** Component name of the unweighted real half. */
    public static final String REAL = "real";
    /** Component name of the unweighted fake half. */
    public static final String FAKE = "fake";

    /** Variable name of the unweighted real half, {@code loss/d_adv/real}. */
    public static String realName() {
        return LossSet.componentName(NAME, REAL);
    }

    /** Variable name of the unweighted fake half, {@code loss/d_adv/fake}. */
    public static String fakeName() {
        return LossSet.componentName(NAME, FAKE);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable real = c.get(LossInput.D_REAL_LOGITS);
        SDVariable fake = c.get(LossInput.D_FAKE_LOGITS);
        SDVariable realLoss;
        SDVariable fakeLoss;
        switch (kind) {
            case BCE:
                realLoss = sd.mean(Graph.bceOne(sd, real));
                fakeLoss = sd.mean(Graph.bceZero(sd, fake));
                break;
            case LEAST_SQUARES:
                realLoss = sd.mean(sd.math.square(real.sub(1.0)));
                fakeLoss = sd.mean(sd.math.square(fake));
                break;
            case HINGE:
                realLoss = sd.mean(sd.nn.relu(real.rsub(1.0), 0.0));
                fakeLoss = sd.mean(sd.nn.relu(fake.add(1.0), 0.0));
                break;
            case RELATIVISTIC:
                return sd.mean(Graph.softplus(sd, fake.sub(real)));
            default:
                throw new AssertionError(kind);
        }
        realLoss = c.component(REAL, realLoss);
        fakeLoss = c.component(FAKE, fakeLoss);
        return realLoss.add(fakeLoss).mul(0.5);
    }

    @Override
    public String toString() {
        return "Adversarial." + Adversarial.factoryName(kind) + "/D[" + lambda() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdversarialDiscriminator a && a.kind == kind && a.weight() == weight();
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, weight());
    }
}
