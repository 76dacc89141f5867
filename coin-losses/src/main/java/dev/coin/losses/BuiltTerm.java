package dev.coin.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One term as built into a graph by {@link LossSet#build} or {@link LossSet#buildTerm}.
 *
 * @param term       the term
 * @param raw        the unweighted L, named {@link LossSet#rawName(String) loss/&lt;term&gt;/raw}
 * @param weighted   λ·L, named {@link LossSet#weightedName(String) loss/&lt;term&gt;}
 * @param components extra logged scalars by short name (e.g. {@code real} → {@code loss/d_adv/real}), build order
 */
public record BuiltTerm(LossTerm term, SDVariable raw, SDVariable weighted, Map<String, SDVariable> components) {
    public BuiltTerm {
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(weighted, "weighted");
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /** Weighted, raw and component variables by full name (weighted first). */
    public Map<String, SDVariable> logged() {
        Map<String, SDVariable> m = new LinkedHashMap<>();
        m.put(weighted.name(), weighted);
        m.put(raw.name(), raw);
        components.values().forEach(v -> m.put(v.name(), v));
        return Collections.unmodifiableMap(m);
    }
}
