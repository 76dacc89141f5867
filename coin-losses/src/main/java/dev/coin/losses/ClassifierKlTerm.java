package dev.coin.losses;

import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Classifier consistency ("KL", reference §4.2): both the prediction q = p(x_cf) and the target t are clamped into
 * [eps, 1 − eps]; per sample KL = t·ln(t/q) + (1−t)·ln((1−t)/(1−q)); the batch mean is multiplied by λ.
 * It is KL(target ‖ prediction) although the paper writes the other direction.
 *
 * <p>Because of the clamp (a clip op), a prediction outside [eps, 1 − eps] gets <b>zero gradient</b>: an extremely
 * confident classifier cannot be moved by this term, exactly as in the reference. Targets from
 * {@link TargetRule#COIN_V1} of 1e-6 are clamped to 1e-5, so for abnormal samples L ≈ −ln(1 − q).
 * The mean is over all elements of q (one per sample for the single-output classifier).
 */
public final class ClassifierKlTerm extends AbstractLossTerm {
    /** Term name ("kl"). */
    public static final String NAME = "kl";

    private final double eps;

    ClassifierKlTerm(double weight, double eps) {
        super(NAME, weight);
        if (!(eps > 0 && eps < 0.5)) {
            throw new IllegalArgumentException("ClassifierKl eps must be in (0, 0.5), got " + eps
                    + "; the reference uses " + ClassifierKl.DEFAULT_EPS);
        }
        this.eps = eps;
    }

    /** The clamp bound. */
    public double eps() {
        return eps;
    }

    /** A copy with clamp bound {@code eps} in (0, 0.5). */
    public ClassifierKlTerm eps(double eps) {
        return new ClassifierKlTerm(weight(), eps);
    }

    @Override
    public ClassifierKlTerm weight(double lambda) {
        return new ClassifierKlTerm(lambda, eps);
    }

    @Override
    public Player player() {
        return Player.GENERATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return LossInput.setOf(LossInput.CLASSIFIER_PROB_CF, LossInput.TARGET_PROB);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable q = sd.math.clipByValue(c.get(LossInput.CLASSIFIER_PROB_CF), eps, 1 - eps);
        SDVariable t = sd.math.clipByValue(c.get(LossInput.TARGET_PROB), eps, 1 - eps);
        SDVariable oneMinusT = t.rsub(1.0);
        // t·(ln t − ln q) + (1−t)·(ln(1−t) − ln(1−q)): logs of elementwise values, no division needed.
        SDVariable pos = t.mul(sd.math.log(t).sub(sd.math.log(q)));
        SDVariable neg = oneMinusT.mul(sd.math.log(oneMinusT).sub(sd.math.log(q.rsub(1.0))));
        return sd.mean(pos.add(neg));
    }

    @Override
    public String toString() {
        return "ClassifierKl[" + lambda() + ", eps=" + eps + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassifierKlTerm k && k.weight() == weight() && k.eps == eps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(weight(), eps);
    }
}
