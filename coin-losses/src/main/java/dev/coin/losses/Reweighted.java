package dev.coin.losses;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A term with its weight replaced: what {@link LossTerm#weight(double)} returns for terms that do not override it
 * (your own records, for instance). Everything except {@link #weight()} is delegated; re-weighting a
 * {@code Reweighted} replaces the weight instead of nesting.
 *
 * @param term   the term, never itself a {@code Reweighted}
 * @param weight λ, finite and ≥ 0
 */
public record Reweighted(LossTerm term, double weight) implements LossTerm {
    public Reweighted {
        Objects.requireNonNull(term, "term");
        if (term instanceof Reweighted r) {
            term = r.term();
        }
        AbstractLossTerm.checkWeight(term.name(), weight);
    }

    @Override
    public String name() {
        return term.name();
    }

    @Override
    public Player player() {
        return term.player();
    }

    @Override
    public Set<LossInput> requires() {
        return term.requires();
    }

    @Override
    public SDVariable build(LossContext c) {
        return term.build(c);
    }

    @Override
    public Reweighted weight(double lambda) {
        return new Reweighted(term, lambda);
    }

    @Override
    public List<LossTerm> companions() {
        return term.companions();
    }
}
