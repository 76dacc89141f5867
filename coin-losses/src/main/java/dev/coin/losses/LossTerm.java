package dev.coin.losses;

import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * One weighted term of a GAN objective, built from SameDiff primitives over named inputs.
 *
 * <p>Implementations are immutable values: {@link #weight(double)} returns a copy. {@link #build} adds the term to a
 * graph and returns the <em>weighted</em> scalar λ·L; it also names the scalars it creates so a trainer can log them
 * ({@link #loggedVariables()}): {@code loss/<name>} (weighted) and {@code loss/<name>/raw} (unweighted L). A term
 * can be built once per graph (the names must stay unique).
 *
 * <p>Terms never use {@code sd.loss.*}: those ops drop the upstream gradient in SameDiff 1.0.0-M2.1, so a loss weight
 * λ would silently vanish from the gradient.
 *
 * <pre>{@code
 * LossTerm kl = ClassifierKl.weight(5.0);                 // ClassifierKl[λ=5.0, eps=1.0E-5]
 * SDVariable l = kl.build(sd, LossInputs.builder()
 *         .put(LossInput.CLASSIFIER_PROB_CF, pCf).put(LossInput.TARGET_PROB, target).build());
 * }</pre>
 */
public interface LossTerm {

    /** Short unique name, e.g. {@code "kl"}; used in variable names and logs. */
    String name();

    /** The weight λ (finite, ≥ 0; 0 switches the term off in a {@link LossSet}). */
    double weight();

    /** A copy of this term with weight {@code lambda}. */
    LossTerm weight(double lambda);

    /** Which player minimises this term. */
    Player player();

    /** The inputs {@link #build} reads. */
    Set<LossInput> requires();

    /**
     * Adds the term to {@code sd} and returns the weighted scalar λ·L, named {@link #weightedName(String)}.
     *
     * @throws IllegalStateException when a required input is missing (the message names the term and the input)
     */
    SDVariable build(SameDiff sd, LossInputs inputs);

    /** Names of the scalar variables {@link #build} creates that are worth logging (weighted value first). */
    default List<String> loggedVariables() {
        return List.of(weightedName(name()), rawName(name()));
    }

    /** Variable name of a term's weighted value: {@code loss/<term>}. */
    static String weightedName(String term) {
        return "loss/" + term;
    }

    /** Variable name of a term's unweighted value: {@code loss/<term>/raw}. */
    static String rawName(String term) {
        return "loss/" + term + "/raw";
    }
}
