package dev.coin.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The graph tensors a pipeline hands to its loss terms, keyed by {@link LossInput} (built-in or custom) in insertion
 * order. Immutable. Derived inputs need not be put: {@link LossSet#build} computes them; fed inputs are the
 * placeholders the trainer created for {@link LossSet#fedInputs(Player)}.
 *
 * <pre>{@code
 * LossInputs in = LossInputs.builder()
 *         .put(LossInput.X, x)
 *         .put(LossInput.X_CF, xCf)
 *         .build();
 * }</pre>
 */
public final class LossInputs {
    private final Map<LossInput, SDVariable> vars;
    /** Who reads this view (a derived input), for error messages; null for a pipeline's inputs. */
    private final String reader;

    private LossInputs(Map<LossInput, SDVariable> vars, String reader) {
        this.vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        this.reader = reader;
    }

    /** A builder with no inputs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's inputs. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.vars.putAll(vars);
        return b;
    }

    /** True when {@code input} was provided. */
    public boolean has(LossInput input) {
        return vars.containsKey(input);
    }

    /** The inputs provided, in insertion order. */
    public Set<LossInput> provided() {
        return vars.keySet();
    }

    /**
     * The variable for {@code input}.
     *
     * @param term the term asking (named in the error message)
     * @throws IllegalStateException when the pipeline did not provide it
     */
    public SDVariable get(LossInput input, LossTerm term) {
        SDVariable v = vars.get(input);
        if (v == null) {
            throw missing(term, Set.of(input));
        }
        return v;
    }

    /**
     * The variable for {@code input}, for code that is not a loss term (a {@link LossInput.Derivation}).
     *
     * @throws IllegalStateException when it is absent (for a derivation: not among the inputs it derives from)
     */
    public SDVariable get(LossInput input) {
        SDVariable v = vars.get(input);
        if (v == null) {
            throw new IllegalStateException(reader != null
                    ? reader + " reads input " + input + " but lists only " + vars.keySet()
                            + " as what it derives from; add " + input + " to its 'from' set"
                    : "Input " + input + " was not provided (provided: " + vars.keySet()
                            + "); add it with LossInputs.builder().put(...)");
        }
        return v;
    }

    /** The inputs as a map (insertion order, unmodifiable). */
    public Map<LossInput, SDVariable> asMap() {
        return vars;
    }

    /** A view of only {@code keys}, read by {@code reader} (named in errors). */
    LossInputs restrictTo(Set<LossInput> keys, String reader) {
        Map<LossInput, SDVariable> m = new LinkedHashMap<>();
        for (LossInput k : keys) {
            SDVariable v = vars.get(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return new LossInputs(m, reader);
    }

    /**
     * Checks that every input {@code term} requires is present and lives in {@code sd} (derived inputs included:
     * compute them first, as {@link LossSet} does).
     *
     * @throws IllegalStateException naming the term and every missing input
     * @throws IllegalArgumentException when an input belongs to another SameDiff instance
     */
    void checkFor(LossTerm term, SameDiff sd) {
        Set<LossInput> missing = term.requires().stream().filter(i -> !vars.containsKey(i))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (!missing.isEmpty()) {
            throw missing(term, missing);
        }
        for (LossInput i : term.requires()) {
            checkGraph(i, sd, "Loss term '" + term.name() + "'");
        }
    }

    /** Checks that a provided input lives in {@code sd}. */
    void checkGraph(LossInput i, SameDiff sd, String who) {
        SDVariable v = vars.get(i);
        if (v != null && v.getSameDiff() != sd) {
            throw new IllegalArgumentException(who + ": input " + i + " (variable '" + v.name() + "') belongs to "
                    + "another SameDiff graph; pass variables of the graph the loss is built in");
        }
    }

    private static IllegalStateException missing(LossTerm term, Set<LossInput> missing) {
        return new IllegalStateException("Loss term '" + term.name() + "' (" + term + ") needs input(s) " + missing
                + " but the pipeline did not provide them; build them and add them with LossInputs.builder().put(...)"
                + " (ask LossSet.requires(player) which inputs the active terms need)");
    }

    @Override
    public String toString() {
        return vars.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().name())
                .collect(Collectors.joining(", ", "LossInputs[", "]"));
    }

    /** Collects the inputs; {@link #put} rejects nulls and duplicates. */
    public static final class Builder {
        private final Map<LossInput, SDVariable> vars = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds one input.
         *
         * @throws IllegalArgumentException when {@code input} was already put (use {@link #replace})
         */
        public Builder put(LossInput input, SDVariable variable) {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(variable, () -> "variable for " + input);
            if (vars.containsKey(input)) {
                throw new IllegalArgumentException("LossInput " + input + " was already set to variable '"
                        + vars.get(input).name() + "'; use replace(" + input + ", …) to change it");
            }
            vars.put(input, variable);
            return this;
        }

        /** Adds or replaces one input (a replaced input keeps its position). */
        public Builder replace(LossInput input, SDVariable variable) {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(variable, () -> "variable for " + input);
            vars.put(input, variable);
            return this;
        }

        public LossInputs build() {
            return new LossInputs(vars, null);
        }
    }
}
