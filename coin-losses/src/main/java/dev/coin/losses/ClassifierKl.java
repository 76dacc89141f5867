package dev.coin.losses;

/**
 * Factory of the classifier-consistency term {@link ClassifierKlTerm}: KL(target ‖ p(x_cf)) for a Bernoulli, the
 * term that pushes the frozen classifier's verdict on the counterfactual towards the desired probability.
 *
 * <p>(A separate factory class because Java cannot have a static {@code weight(double)} factory and the instance
 * {@code weight(double)} of {@link LossTerm} in one class; {@code ClassifierKl.weight(5.0).weight(1.0)} works as
 * expected since the second call is the instance method of the returned term.)
 *
 * <pre>{@code
 * ClassifierKlTerm kl = ClassifierKl.weight(5.0);       // ClassifierKl[λ=5.0, eps=1.0E-5]
 * }</pre>
 */
public final class ClassifierKl {
    /** The reference's clamp: probabilities are clipped into [eps, 1 − eps]. */
    public static final double DEFAULT_EPS = 1e-5;

    private ClassifierKl() {
    }

    /** The KL term with weight λ_kl and eps 1e-5. */
    public static ClassifierKlTerm weight(double lambda) {
        return new ClassifierKlTerm(lambda, DEFAULT_EPS);
    }
}
