package dev.coin.losses;

/**
 * Factory of the total-variation term {@link TotalVariationTerm} on the difference map (reference §4.4).
 *
 * <p>(A separate factory class because Java cannot have a static {@code weight(double)} factory and the instance
 * {@code weight(double)} of {@link LossTerm} in one class.)
 *
 * <pre>{@code
 * TotalVariationTerm tv = TotalVariation.weight(5e-5);  // TotalVariation[λ=5.0E-5]
 * }</pre>
 */
public final class TotalVariation {
    private TotalVariation() {
    }

    /** The TV term with weight λ_tv (TUH COIN 5e-5, synthetic COIN 0.05). */
    public static TotalVariationTerm weight(double lambda) {
        return new TotalVariationTerm(lambda);
    }
}
