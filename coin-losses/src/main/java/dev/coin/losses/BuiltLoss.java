package dev.coin.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What {@link LossSet#build} added to a graph: the player's total loss (set it as the graph's loss variable), each
 * built term and the inputs used (derived ones included).
 *
 * <p>During {@code SameDiff.fit} only the forward ops the gradient needs run: every raw, weighted and component
 * scalar is among them (the set sums the weighted values with pairwise adds, whose backward pass reads them), the
 * total itself is not (nothing reads it): a trainer logging from a fit pass sums the weighted values itself.
 *
 * @param player the player whose terms were summed
 * @param total  Σ λ·L over the active terms, named {@link LossSet#totalName(Player)}
 * @param terms  the active terms as built, in set order
 * @param inputs the inputs the terms read: those provided plus the derived ones computed
 */
public record BuiltLoss(Player player, SDVariable total, List<BuiltTerm> terms, LossInputs inputs) {
    public BuiltLoss {
        Objects.requireNonNull(player, "player");
        Objects.requireNonNull(total, "total");
        terms = List.copyOf(terms);
        Objects.requireNonNull(inputs, "inputs");
    }

    /** Name of {@link #total()}. */
    public String totalName() {
        return total.name();
    }

    /**
     * Every scalar worth logging by variable name: each term's weighted, raw and component values in build order,
     * then the total. Fetch them with {@code sd.output(feeds, logged().keySet())}.
     */
    public Map<String, SDVariable> logged() {
        Map<String, SDVariable> m = new LinkedHashMap<>();
        terms.forEach(t -> m.putAll(t.logged()));
        m.put(total.name(), total);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The built term named {@code name}.
     *
     * @throws IllegalArgumentException when no active term of this player has that name
     */
    public BuiltTerm term(String name) {
        return terms.stream().filter(t -> t.term().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No " + player + " term named '" + name
                        + "' was built; built: " + terms.stream().map(t -> t.term().name()).toList()));
    }
}
