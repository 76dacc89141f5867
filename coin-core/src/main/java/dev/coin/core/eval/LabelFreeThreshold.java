package dev.coin.core.eval;

import dev.coin.data.image.FloatImage;

/**
 * A threshold chosen without tumour labels: a high percentile (default the 99th) of the explanation-map values
 * (difference maps or saliency) over HEALTHY validation slices (label 0). On healthy slices every "on" pixel is a
 * false positive, so this bounds the false-positive rate at about (100 − percentile) % of healthy pixels.
 *
 * <p>Streaming: values in [0, 1] are counted in a fixed histogram (default 2^16 bins) instead of being kept, so the
 * result is the percentile to within one bin width (1/bins); like numpy's default ("linear") percentile it
 * interpolates between the two neighbouring sorted samples, each located to within its bin.
 *
 * <pre>{@code
 * LabelFreeThreshold policy = LabelFreeThreshold.builder().percentile(99).build();
 * for (healthy validation slice) policy.add(differenceMap);
 * double t = policy.threshold();
 * }</pre>
 */
public final class LabelFreeThreshold {
    private final double percentile;
    private final long[] histogram;
    private long count;

    private LabelFreeThreshold(Builder b) {
        if (!(b.percentile >= 0 && b.percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + b.percentile);
        }
        if (b.bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + b.bins);
        }
        percentile = b.percentile;
        histogram = new long[b.bins];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds every pixel of one healthy slice's map (values must lie in [0, 1]). */
    public void add(FloatImage map) {
        float[] v = map.toArray();
        int bins = histogram.length;
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!(x >= 0f && x <= 1f)) {
                throw new IllegalArgumentException("map pixel " + i + " = " + x
                        + " is outside [0, 1]; pass unit-space difference maps or normalised saliency");
            }
            histogram[Math.min((int) (x * bins), bins - 1)]++;
        }
        count += v.length;
    }

    public double percentile() {
        return percentile;
    }

    /** Pixels seen so far. */
    public long count() {
        return count;
    }

    /**
     * The percentile of the values seen so far.
     *
     * @throws IllegalStateException before any value was added
     */
    public double threshold() {
        if (count == 0) {
            throw new IllegalStateException("no healthy-slice values added yet; call add(map) first");
        }
        double rank = percentile / 100.0 * (count - 1); // numpy "linear": position in the sorted samples
        long lo = (long) Math.floor(rank);
        long hi = Math.min(lo + 1, count - 1);
        double a = sortedValue(lo);
        double b = sortedValue(hi);
        return a + (rank - lo) * (b - a);
    }

    /**
     * The j-th smallest value (0-based), to within one bin: the samples of a bin are taken as evenly spread over it,
     * sample i of n at (i + 0.5)/n of the bin width.
     */
    private double sortedValue(long j) {
        long before = 0;
        int bins = histogram.length;
        for (int b = 0; b < bins; b++) {
            long inBin = histogram[b];
            if (j < before + inBin) {
                return (b + (j - before + 0.5) / inBin) / bins;
            }
            before += inBin;
        }
        return 1.0;
    }

    @Override
    public String toString() {
        return "LabelFreeThreshold[p" + percentile + " of " + count + " healthy pixels, " + histogram.length + " bins]";
    }

    /** Defaults: 99th percentile, 65,536 bins. */
    public static final class Builder {
        private double percentile = 99;
        private int bins = 1 << 16;

        public Builder percentile(double p) {
            this.percentile = p;
            return this;
        }

        public Builder bins(int n) {
            this.bins = n;
            return this;
        }

        public LabelFreeThreshold build() {
            return new LabelFreeThreshold(this);
        }
    }
}
