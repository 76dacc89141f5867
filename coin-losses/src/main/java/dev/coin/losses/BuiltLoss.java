package dev.coin.losses;

import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What {@link LossSet#build} added to a graph: the player's total loss (set it as the graph's loss variable) and
 * every scalar worth logging, keyed by variable name in build order (weighted and raw value of each term, plus
 * components such as {@code loss/d_adv/real}). Fetch the values with {@code sd.output(feeds, logged().keySet())}.
 *
 * @param player the player whose terms were summed
 * @param total  Σ λ·L over the active terms, named {@link LossSet#totalName(Player)}
 * @param logged name → scalar variable, including the total
 */
public record BuiltLoss(Player player, SDVariable total, Map<String, SDVariable> logged) {
    public BuiltLoss {
        Objects.requireNonNull(player, "player");
        Objects.requireNonNull(total, "total");
        logged = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(logged));
    }

    /** Name of {@link #total()}. */
    public String totalName() {
        return total.name();
    }
}
