package dev.coin.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * What a {@link LossTerm} sees while {@link LossSet} builds it: the graph, its inputs (only those it
 * {@linkplain LossTerm#requires() requires}) and a way to log extra scalars under the library's names.
 */
public final class LossContext {
    private final SameDiff sd;
    private final LossTerm term;
    private final Set<LossInput> requires;
    private final LossInputs inputs;
    private final Map<String, SDVariable> components = new LinkedHashMap<>();

    LossContext(SameDiff sd, LossTerm term, Set<LossInput> requires, LossInputs inputs) {
        this.sd = sd;
        this.term = term;
        this.requires = requires;
        this.inputs = inputs;
    }

    /** The graph to build in. */
    public SameDiff sd() {
        return sd;
    }

    /** The name of the term being built. */
    public String term() {
        return term.name();
    }

    /**
     * The variable for one of the term's required inputs (a derived one already computed).
     *
     * @throws IllegalStateException when {@code input} is not in the term's {@code requires()} (the trainer would
     *                               not know to build it), or was not provided
     */
    public SDVariable get(LossInput input) {
        Objects.requireNonNull(input, "input");
        if (!requires.contains(input)) {
            throw new IllegalStateException("Loss term '" + term.name() + "' (" + term + ") reads input " + input
                    + " which its requires() does not list (it lists " + requires + "); add " + input
                    + " to requires() so that LossSet.requires(player) tells the trainer to provide it");
        }
        return inputs.get(input, term);
    }

    /**
     * Names an extra scalar worth logging, {@code loss/<term>/<name>} (e.g. the real and fake halves of the
     * discriminator loss), and returns the named variable: keep using it in L, so that a training pass, which runs
     * only the ops the gradient needs, still computes it.
     *
     * @param name letters, digits or '_', unique within the term, not {@code raw}
     * @throws IllegalArgumentException for a bad or repeated name, or a variable of another graph
     */
    public SDVariable component(String name, SDVariable v) {
        Objects.requireNonNull(name, "component name");
        Objects.requireNonNull(v, () -> "variable of component '" + name + "'");
        if (!name.matches("[A-Za-z0-9_]+") || name.equals("raw")) {
            throw new IllegalArgumentException("Component name of loss term '" + term.name() + "' must be letters, "
                    + "digits or '_' and not 'raw' (reserved for the unweighted value), got '" + name + "'");
        }
        if (components.containsKey(name)) {
            throw new IllegalArgumentException("Loss term '" + term.name() + "' logs component '" + name
                    + "' twice; give each component its own name");
        }
        if (v.getSameDiff() != sd) {
            throw new IllegalArgumentException("Component '" + name + "' of loss term '" + term.name()
                    + "' belongs to another SameDiff graph; build it in c.sd()");
        }
        SDVariable named = LossSet.rename(sd, v, LossSet.componentName(term.name(), name));
        components.put(name, named);
        return named;
    }

    /** Components logged so far, short name → variable. */
    Map<String, SDVariable> components() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }
}
