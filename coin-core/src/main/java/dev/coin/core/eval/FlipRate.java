package dev.coin.core.eval;

/**
 * The flip rate on abnormal-predicted slices: of the slices with p(x) ≥ 0.5, the share whose counterfactual has
 * p(x_cf) < 0.5. The one place this count lives (the trainer's per-epoch metric and the evaluation use it).
 */
public final class FlipRate {
    private long abnormal;
    private long flipped;

    /** Adds a batch of probabilities before (p) and after (q) the edit. */
    public void add(double[] p, double[] q) {
        Probabilities.check(p, "p");
        Probabilities.check(q, "q");
        if (p.length != q.length) {
            throw new IllegalArgumentException("p has " + p.length + " values but q has " + q.length
                    + "; pass one p(x) and one p(x_cf) per slice");
        }
        for (int i = 0; i < p.length; i++) {
            if (FlipAccuracy.bin(p[i]) == 1) {
                abnormal++;
                if (FlipAccuracy.bin(q[i]) == 0) {
                    flipped++;
                }
            }
        }
    }

    /** Slices predicted abnormal so far. */
    public long abnormal() {
        return abnormal;
    }

    /** Of those, the ones whose counterfactual is predicted normal. */
    public long flipped() {
        return flipped;
    }

    /** flipped / abnormal; NaN before any abnormal-predicted slice. */
    public double value() {
        return abnormal == 0 ? Double.NaN : (double) flipped / abnormal;
    }

    @Override
    public String toString() {
        return "FlipRate[" + flipped + "/" + abnormal + "]";
    }
}
