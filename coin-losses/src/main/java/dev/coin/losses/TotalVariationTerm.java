package dev.coin.losses;

import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Total variation of the difference map (reference §4.4): d = 255·|(x+1)/2 − (x_cf+1)/2| = 127.5·|x − x_cf|; per
 * sample w = mean over (C, H, W−1) of squared horizontal neighbour differences of d and h = mean over (C, H−1, W) of
 * squared vertical ones; TV = batch mean of (h + w); L = λ·TV. Squared differences and means (not sums): the ×255
 * scale multiplies the loss by 65025, hence the tiny λ values of the reference (5e-5, 0.05).
 */
public final class TotalVariationTerm extends AbstractLossTerm {
    /** Term name ("tv"). */
    public static final String NAME = "tv";
    /** Unit space [0, 1] scaled to 0..255, applied to |x − x_cf|/2. */
    static final double SCALE = 255.0 / 2.0;

    TotalVariationTerm(double weight) {
        super(NAME, weight);
    }

    @Override
    public TotalVariationTerm weight(double lambda) {
        return new TotalVariationTerm(lambda);
    }

    @Override
    public Player player() {
        return Player.GENERATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return LossInput.setOf(LossInput.X, LossInput.X_CF);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable d = sd.math.abs(c.get(LossInput.X).sub(c.get(LossInput.X_CF))).mul(SCALE);
        SDVariable dw = Graph.sliceAxis(sd, d, 3, 1, 0, true).sub(Graph.sliceAxis(sd, d, 3, 0, -1, false));
        SDVariable dh = Graph.sliceAxis(sd, d, 2, 1, 0, true).sub(Graph.sliceAxis(sd, d, 2, 0, -1, false));
        SDVariable w = sd.mean(sd.math.square(dw), 1, 2, 3);
        SDVariable h = sd.mean(sd.math.square(dh), 1, 2, 3);
        return sd.mean(h.add(w));
    }

    @Override
    public String toString() {
        return "TotalVariation[" + lambda() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TotalVariationTerm t && t.weight() == weight();
    }

    @Override
    public int hashCode() {
        return Double.hashCode(weight());
    }
}
