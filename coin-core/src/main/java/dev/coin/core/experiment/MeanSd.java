package dev.coin.core.experiment;

import java.util.Objects;

/**
 * One number of a table row summarised over its seeds: the mean and the sample standard deviation (n − 1), which is
 * how much a rerun with another seed moves it. Undefined (NaN) when any seed's value is undefined: an average over
 * the seeds that happen to define it would compare different seed sets across rows without saying so.
 *
 * @param mean the mean over seeds (NaN when a seed's value is NaN)
 * @param sd   the sample standard deviation (NaN for one seed, or when the mean is NaN)
 * @param n    the number of seeds
 */
public record MeanSd(double mean, double sd, int n) {

    public MeanSd {
        if (n < 1) {
            throw new IllegalArgumentException("n is " + n + "; a summary over seeds needs at least one seed");
        }
    }

    /**
     * The summary of one value per seed.
     *
     * @throws IllegalArgumentException when {@code perSeed} is empty
     */
    public static MeanSd of(double... perSeed) {
        Objects.requireNonNull(perSeed, "perSeed");
        if (perSeed.length == 0) {
            throw new IllegalArgumentException("perSeed is empty; pass one value per seed");
        }
        int n = perSeed.length;
        double sum = 0;
        boolean constant = true;
        for (double v : perSeed) {
            if (Double.isNaN(v)) {
                return new MeanSd(Double.NaN, Double.NaN, n);
            }
            sum += v;
            constant &= v == perSeed[0];
        }
        if (n == 1) {
            return new MeanSd(perSeed[0], Double.NaN, 1);
        }
        if (constant) {
            // exactly that value: 0.2 summed three times and divided by 3 is 0.20000000000000004
            return new MeanSd(perSeed[0], 0, n);
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : perSeed) {
            squares += (v - mean) * (v - mean);
        }
        return new MeanSd(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /** Whether the mean is defined. */
    public boolean defined() {
        return !Double.isNaN(mean);
    }
}
