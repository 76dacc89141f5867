package dev.coin.losses;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Base of the built-in terms (and a convenient base for your own): validates the weight, checks the inputs, names
 * the raw and weighted scalars and multiplies by λ with a Java constant (a graph scalar divisor would have a wrong
 * gradient in SameDiff 1.0.0-M2.1; a constant multiplier is exact).
 */
public abstract class AbstractLossTerm implements LossTerm {
    private final String name;
    private final double weight;

    protected AbstractLossTerm(String name, double weight) {
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Loss term name must be non-empty letters, digits or '_', got '" + name
                    + "'");
        }
        this.weight = checkWeight(name, weight);
    }

    /**
     * Validates a loss weight.
     *
     * @throws IllegalArgumentException for NaN, infinite or negative weights
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

    @Override
    public final SDVariable build(SameDiff sd, LossInputs inputs) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(inputs, "inputs");
        inputs.checkFor(this, sd);
        if (sd.hasVariable(LossTerm.weightedName(name)) || sd.hasVariable(LossTerm.rawName(name))) {
            throw new IllegalStateException("Loss term '" + name + "' was already built in this graph (variable '"
                    + LossTerm.weightedName(name) + "' exists); build each term once per graph and reuse its output");
        }
        SDVariable raw = sd.identity(LossTerm.rawName(name), unweighted(sd, inputs));
        return raw.mul(LossTerm.weightedName(name), weight);
    }

    /** The unweighted scalar L; the inputs in {@link #requires()} are guaranteed present. */
    protected abstract SDVariable unweighted(SameDiff sd, LossInputs inputs);

    /** Formats λ for {@code toString()}. */
    protected final String lambda() {
        return "λ=" + weight;
    }
}
