package dev.coin.core.eval;

/**
 * Counterfactual validity CV(τ) (reference §7.1 {@code cv_80}): over the slices the classifier calls abnormal with
 * p(x) > τ, the fraction whose counterfactual moved the probability by more than τ: mean of [|p(x) − p(x_cf)| > τ].
 * Default τ = 0.8. Slices with p(x) ≤ τ are ignored; with none eligible the value is NaN.
 *
 * <pre>{@code
 * CounterfactualValidity cv = new CounterfactualValidity();   // τ = 0.8
 * cv.add(pBatch, qBatch);
 * double v = cv.value();
 * }</pre>
 */
public final class CounterfactualValidity {
    public static final double DEFAULT_TAU = 0.8;
    private final double tau;
    private long eligible;
    private long valid;
    private long seen;

    public CounterfactualValidity() {
        this(DEFAULT_TAU);
    }

    public CounterfactualValidity(double tau) {
        if (!(tau >= 0 && tau < 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1), got " + tau + "; the reference uses 0.8");
        }
        this.tau = tau;
    }

    /** Adds a batch: p = p(x), q = p(x_cf), both probabilities in [0, 1]. */
    public void add(double[] p, double[] q) {
        Probabilities.check(p, "p");
        Probabilities.check(q, "q");
        if (p.length != q.length) {
            throw new IllegalArgumentException("p has " + p.length + " values but q has " + q.length + "; pass one q per p");
        }
        for (int i = 0; i < p.length; i++) {
            if (p[i] > tau) {
                eligible++;
                if (Math.abs(p[i] - q[i]) > tau) {
                    valid++;
                }
            }
        }
        seen += p.length;
    }

    public double tau() {
        return tau;
    }

    /** Slices with p(x) > τ so far. */
    public long eligibleCount() {
        return eligible;
    }

    /** All slices added so far. */
    public long count() {
        return seen;
    }

    public double value() {
        return eligible == 0 ? Double.NaN : (double) valid / eligible;
    }

    @Override
    public String toString() {
        return "CounterfactualValidity[tau=" + tau + ": " + value() + " over " + eligible + " of " + seen + " slices]";
    }
}
