package dev.coin.losses;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The discriminator half of an {@link Adversarial} loss; get it from {@link Adversarial#discriminatorTerm()}.
 * Besides {@code loss/d_adv} and {@code loss/d_adv/raw} it names the unweighted halves {@code loss/d_adv/real} and
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
        return EnumSet.of(LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS);
    }

    /** Variable name of the unweighted real half. */
    public static String realName() {
        return LossTerm.weightedName(NAME) + "/real";
    }

    /** Variable name of the unweighted fake half. */
    public static String fakeName() {
        return LossTerm.weightedName(NAME) + "/fake";
    }

    @Override
    public List<String> loggedVariables() {
        return kind == Adversarial.Kind.RELATIVISTIC ? super.loggedVariables()
                : List.of(LossTerm.weightedName(NAME), LossTerm.rawName(NAME), realName(), fakeName());
    }

    @Override
    protected SDVariable unweighted(SameDiff sd, LossInputs in) {
        SDVariable real = in.get(LossInput.D_REAL_LOGITS, this);
        SDVariable fake = in.get(LossInput.D_FAKE_LOGITS, this);
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
        realLoss = sd.identity(realName(), realLoss);
        fakeLoss = sd.identity(fakeName(), fakeLoss);
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
