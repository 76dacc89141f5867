package dev.coin.core.eval;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence interval of the mean of a sample, e.g. of the per-image IoU over validation slices:
 * how much the mean would move had other slices of the same kind been drawn. One number per method hides that two
 * methods 0.02 apart may be indistinguishable on 50 slices; the interval shows it.
 *
 * <p>Procedure: {@code replicates} times, draw {@code n} values with replacement from the sample (a
 * {@link SplittableRandom} seeded with {@code seed}, so the same data and seed give the same interval on every JVM)
 * and take their mean; sort the replicate means {@code m(1) ≤ … ≤ m(B)}. With {@code α = 1 − confidence}, the
 * interval is {@code [m(⌈B·α/2⌉), m(⌈B·(1 − α/2)⌉)]}: the inverse of the replicates' empirical distribution function
 * (Hyndman–Fan type 1, no interpolation), so both ends are replicate means that occurred. Ranks are clamped to
 * {@code [1, B]}, and {@code B·q} within 1e-9 of an integer counts as that integer (0.025 · 10,000 is 250, not
 * 250.00000000000003 rounded up to 251). For a small sample the bootstrap distribution is discrete, and its exact
 * quantile under the same rule is what this interval converges to as {@code B} grows.
 *
 * <pre>{@code
 * BootstrapInterval ci = BootstrapInterval.of(perImageIou, 42);              // 10,000 replicates, 95 %
 * BootstrapInterval ci90 = BootstrapInterval.of(perImageIou, 20_000, 0.90, 42);
 * System.out.println(ci.mean() + " [" + ci.lower() + ", " + ci.upper() + "]");
 * }</pre>
 *
 * @param mean       the sample's mean (sum / n)
 * @param lower      the lower end, a replicate mean
 * @param upper      the upper end, a replicate mean ({@code ≥ lower})
 * @param replicates the number of bootstrap replicates B
 * @param confidence the nominal coverage, in (0, 1)
 */
public record BootstrapInterval(double mean, double lower, double upper, int replicates, double confidence) {

    /** Replicates when none are given: enough that the 2.5 % quantile rests on 250 replicate means. */
    public static final int DEFAULT_REPLICATES = 10_000;

    /** Coverage when none is given. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public BootstrapInterval {
        checkSettings(replicates, confidence);
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("lower " + lower + " must not exceed upper " + upper);
        }
    }

    /** The 95 % interval from {@value #DEFAULT_REPLICATES} replicates. */
    public static BootstrapInterval of(double[] values, long seed) {
        return of(values, DEFAULT_REPLICATES, DEFAULT_CONFIDENCE, seed);
    }

    /**
     * The interval of the mean of {@code values}.
     *
     * @param values     the sample; n = 1 gives the degenerate interval [v, v]
     * @param replicates bootstrap replicates B, at least 1
     * @param confidence nominal coverage, strictly between 0 and 1
     * @param seed       seed of the resampling
     * @throws IllegalArgumentException when {@code values} is empty or holds a non-finite value (the message names its
     *                                  index), or the settings are out of range
     */
    public static BootstrapInterval of(double[] values, int replicates, double confidence, long seed) {
        Objects.requireNonNull(values, "values");
        checkSettings(replicates, confidence);
        if (values.length == 0) {
            throw new IllegalArgumentException("values is empty; a bootstrap interval needs at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("values[" + i + "] is " + values[i] + "; the mean of a sample with "
                        + "an undefined value is undefined: drop or replace it before bootstrapping");
            }
        }
        int n = values.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[replicates];
        for (int b = 0; b < replicates; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        double alpha = 1 - confidence;
        double lower = means[rank(replicates, alpha / 2) - 1];
        double upper = means[rank(replicates, 1 - alpha / 2) - 1];
        return new BootstrapInterval(mean(values), lower, upper, replicates, confidence);
    }

    /** Whether {@code x} lies in [lower, upper]. */
    public boolean contains(double x) {
        return lower <= x && x <= upper;
    }

    /** The 1-based rank {@code ⌈B·q⌉} of the q-quantile among B sorted replicates, clamped to [1, B]. */
    static int rank(int replicates, double q) {
        double exact = replicates * q;
        double nearest = Math.rint(exact);
        long k = Math.abs(exact - nearest) <= 1e-9 ? (long) nearest : (long) Math.ceil(exact);
        return (int) Math.max(1, Math.min(replicates, k));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static void checkSettings(int replicates, double confidence) {
        if (replicates < 1) {
            throw new IllegalArgumentException("replicates is " + replicates + "; use at least 1 (default "
                    + DEFAULT_REPLICATES + ")");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence is " + confidence + "; use a level strictly between 0 and 1,"
                    + " e.g. " + DEFAULT_CONFIDENCE);
        }
    }
}
