package dev.coin.losses;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The graph tensors a pipeline hands to its loss terms, keyed by {@link LossInput}. Immutable.
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

    private LossInputs(Map<LossInput, SDVariable> vars) {
        this.vars = vars.isEmpty() ? new EnumMap<>(LossInput.class) : new EnumMap<>(vars);
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

    /** The inputs provided, in enum order. */
    public Set<LossInput> provided() {
        return java.util.Collections.unmodifiableSet(vars.keySet());
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
     * Checks that every input {@code term} requires is present and lives in {@code sd}.
     *
     * @throws IllegalStateException naming the term and every missing input
     * @throws IllegalArgumentException when an input belongs to another SameDiff instance
     */
    void checkFor(LossTerm term, SameDiff sd) {
        Set<LossInput> missing = term.requires().stream().filter(i -> !vars.containsKey(i))
                .collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(LossInput.class)));
        if (!missing.isEmpty()) {
            throw missing(term, missing);
        }
        for (LossInput i : term.requires()) {
            if (vars.get(i).getSameDiff() != sd) {
                throw new IllegalArgumentException("Loss term '" + term.name() + "': input " + i + " (variable '"
                        + vars.get(i).name() + "') belongs to another SameDiff graph; pass variables of the graph "
                        + "the loss is built in");
            }
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
        private final Map<LossInput, SDVariable> vars = new EnumMap<>(LossInput.class);

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

        /** Adds or replaces one input. */
        public Builder replace(LossInput input, SDVariable variable) {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(variable, () -> "variable for " + input);
            vars.put(input, variable);
            return this;
        }

        public LossInputs build() {
            return new LossInputs(vars);
        }
    }
}
