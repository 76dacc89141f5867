package dev.coin.core.eval;

/**
 * The reference's {@code counter_acc} (§7.1): the mean over all slices of [bin(p(x_cf)) == desired bin], with
 * bin(q) = 1 iff q ≥ 0.5 (the reference's {@code posterior2bin}: [0, 0.5) → 0, [0.5, 1] → 1). For COIN v1 the desired bin is always 0 (the counterfactual should be classified
 * normal), so this is the fraction of counterfactuals the classifier calls normal.
 *
 * <pre>{@code
 * FlipAccuracy acc = new FlipAccuracy();
 * acc.add(qBatch, 0);
 * }</pre>
 */
public final class FlipAccuracy {
    private long total;
    private long hits;

    /** bin(q): 1 iff q ≥ 0.5, inclusive at 0.5 as the reference. */
    public static int bin(double q) {
        return q >= 0.5 ? 1 : 0;
    }

    /** Adds a batch of counterfactual probabilities with one desired bin for all. */
    public void add(double[] q, int desiredBin) {
        Probabilities.check(q, "q");
        checkBin(desiredBin, "desiredBin");
        for (double v : q) {
            if (bin(v) == desiredBin) {
                hits++;
            }
        }
        total += q.length;
    }

    /** Adds a batch with a desired bin per slice. */
    public void add(double[] q, int[] desiredBins) {
        Probabilities.check(q, "q");
        if (desiredBins.length != q.length) {
            throw new IllegalArgumentException("desiredBins has " + desiredBins.length + " values but q has " + q.length);
        }
        for (int i = 0; i < q.length; i++) {
            checkBin(desiredBins[i], "desiredBins[" + i + "]");
            if (bin(q[i]) == desiredBins[i]) {
                hits++;
            }
        }
        total += q.length;
    }

    private static void checkBin(int b, String name) {
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException(name + " must be 0 or 1, got " + b);
        }
    }

    public long count() {
        return total;
    }

    /** NaN before any slice is added. */
    public double value() {
        return total == 0 ? Double.NaN : (double) hits / total;
    }

    @Override
    public String toString() {
        return "FlipAccuracy[" + value() + " over " + total + " slices]";
    }
}
