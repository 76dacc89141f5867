package dev.coin.losses;

import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One term of a GAN objective: an unweighted scalar L built from SameDiff primitives over named inputs, plus the
 * player that minimises it and its weight λ.
 *
 * <p>A term only computes L. Naming, weighting and summing are the {@link LossSet}'s job, so that every term, the
 * library's or yours, is logged the same way: {@code loss/<name>/raw} = L, {@code loss/<name>} = λ·L, extra
 * {@linkplain LossContext#component components} {@code loss/<name>/<component>} (see {@link LossSet#rawName}).
 * Terms are immutable values; {@link #weight(double)} returns a re-weighted copy.
 *
 * <p>Write L from primitives, never {@code sd.loss.*}: those ops drop the upstream gradient in SameDiff 1.0.0-M2.1,
 * so λ would silently vanish from the gradient. Do not divide by a scalar computed in the graph either (wrong
 * gradient); multiply by {@code sd.math.reciprocal(s)}.
 *
 * <pre>{@code
 * record BrightnessShift(String name) implements LossTerm {    // (mean(x_cf) − mean(x))²
 *     public Player player() { return Player.GENERATOR; }
 *     public Set<LossInput> requires() { return Set.of(LossInput.X, LossInput.X_CF); }
 *     public SDVariable build(LossContext c) {
 *         return c.sd().math.square(c.sd().mean(c.get(LossInput.X_CF)).sub(c.sd().mean(c.get(LossInput.X))));
 *     }
 * }
 * LossSet set = LossSet.of(Adversarial.bce(), new BrightnessShift("bright").weight(0.5));
 * BuiltTerm one = LossSet.buildTerm(sd, ClassifierKl.weight(5.0), inputs);   // outside a set: one.weighted()
 * }</pre>
 */
public interface LossTerm {

    /** Short name, unique in a set, letters, digits or '_' (e.g. {@code "kl"}); used in variable names and logs. */
    String name();

    /** Which player minimises this term. */
    Player player();

    /** The inputs {@link #build} reads: built-in keys or custom ones ({@link LossInput#derived}, {@link LossInput#fed}). */
    Set<LossInput> requires();

    /**
     * Adds the <em>unweighted</em> scalar L to {@code c.sd()}, reading only {@link #requires()} through
     * {@link LossContext#get}. Called once per graph by {@link LossSet}; names nothing.
     */
    SDVariable build(LossContext c);

    /** The weight λ (finite, ≥ 0; 0 switches the term off in a {@link LossSet}). */
    default double weight() {
        return 1.0;
    }

    /** This term with weight {@code lambda} (replacing its own); built-in terms return their own type. */
    default LossTerm weight(double lambda) {
        return new Reweighted(this, lambda);
    }

    /**
     * Terms this one brings into a {@link LossSet}, e.g. {@link Adversarial} brings its discriminator half. They
     * are added whatever this term's weight (they have their own).
     */
    default List<LossTerm> companions() {
        return List.of();
    }
}
