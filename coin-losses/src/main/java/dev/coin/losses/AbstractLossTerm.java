package dev.coin.losses;

import java.util.Objects;

/**
 * Convenient base of the built-in terms (and of your own): holds and validates the name and weight at
 * construction, so a bad value fails where it is written rather than when a {@link LossSet} is made. It builds and
 * names nothing: subclasses implement {@link LossTerm#build(LossContext)} (the unweighted L) and usually a typed
 * {@code weight(double)} returning their own type.
 */
public abstract class AbstractLossTerm implements LossTerm {
    private final String name;
    private final double weight;

    protected AbstractLossTerm(String name, double weight) {
        this.name = Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Loss term name must be non-empty letters, digits or '_', got '" + name
                    + "'");
        }
        this.weight = checkWeight(name, weight);
    }

    /**
     * Validates a loss weight.
     *
     * @throws IllegalArgumentException for NaN, infinite or negative weights, naming the term, the value and the fix
     */
    public static double checkWeight(String term, double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("Weight λ of loss term '" + term + "' must be finite and >= 0, got "
                    + weight + "; pass e.g. 1.0 (0 switches the term off)");
        }
        return weight;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final double weight() {
        return weight;
    }

    /** Formats λ for {@code toString()}. */
    protected final String lambda() {
        return "λ=" + weight;
    }
}
