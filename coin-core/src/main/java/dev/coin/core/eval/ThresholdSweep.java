package dev.coin.core.eval;

import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.mask.Confusion;

import dev.coin.data.image.FloatImage;
import java.util.Arrays;

/**
 * IoU as a function of the threshold, for one method: thresholds evenly spaced over [lo, hi] (default 101 over
 * [0, 1]); mask = map > t, then the optional {@link PostProcessing}; both the aggregated IoU
 * ({@link AggregatedIou}) and the mean per-image IoU ({@link MeanPerImageIou}) per threshold, and the best threshold
 * for each (ties → the smallest threshold). This is the sweep the papers describe and the reference code lacks
 * (§12 item 8); the best threshold is chosen with tumour labels, so report it next to a label-free threshold
 * ({@link LabelFreeThreshold}).
 *
 * <p>Streaming: per image the cost is O(H·W·log T) without post-processing (pixels are binned by how many
 * thresholds they exceed), O(T·H·W) with it. Memory is O(T).
 *
 * <pre>{@code
 * ThresholdSweep sweep = ThresholdSweep.builder().build();
 * for (...) sweep.add(differenceMap, tumourMask);
 * ThresholdSweep.Result r = sweep.result();
 * double best = r.bestAggregatedThreshold();
 * }</pre>
 */
public final class ThresholdSweep {
    private final double[] thresholds;
    private final PostProcessing postProcessing;
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;
    private final double[] iouSum;
    private long images;

    private ThresholdSweep(Builder b) {
        if (b.count < 2) {
            throw new IllegalArgumentException("count must be >= 2 thresholds, got " + b.count);
        }
        if (!(b.lo < b.hi) || !Double.isFinite(b.lo) || !Double.isFinite(b.hi)) {
            throw new IllegalArgumentException("threshold range must satisfy lo < hi, got [" + b.lo + ", " + b.hi + "]");
        }
        thresholds = new double[b.count];
        for (int k = 0; k < b.count; k++) {
            thresholds[k] = b.lo + (b.hi - b.lo) * k / (b.count - 1);
        }
        postProcessing = b.postProcessing;
        tp = new long[b.count];
        fp = new long[b.count];
        fn = new long[b.count];
        iouSum = new double[b.count];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds one image: its explanation map and its 0/1 ground-truth mask. */
    public void add(FloatImage map, FloatImage truth) {
        Masks.requireSameSize(map, truth, "truth mask");
        boolean[] t = Masks.toBinary(truth, "truth mask");
        float[] v = map.toArray();
        int n = thresholds.length;
        if (postProcessing.isNone()) {
            long[] pos = new long[n + 1];
            long[] neg = new long[n + 1];
            long positives = 0;
            for (int i = 0; i < v.length; i++) {
                if (Float.isNaN(v[i])) {
                    throw new IllegalArgumentException("map pixel " + i + " is NaN");
                }
                int above = thresholdsBelow(v[i]); // pixel is "on" for thresholds 0 .. above−1
                if (t[i]) {
                    pos[above]++;
                    positives++;
                } else {
                    neg[above]++;
                }
            }
            long tpK = 0;
            long fpK = 0;
            for (int k = n - 1; k >= 0; k--) {
                tpK += pos[k + 1];
                fpK += neg[k + 1];
                record(k, new Confusion(tpK, fpK, positives - tpK, v.length - tpK - fpK - (positives - tpK)));
            }
        } else {
            int h = map.height();
            int w = map.width();
            boolean[] p = new boolean[v.length];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < v.length; i++) {
                    p[i] = v[i] > thresholds[k];
                }
                record(k, Confusion.of(postProcessing.apply(p, h, w), t));
            }
        }
        images++;
    }

    private int thresholdsBelow(float value) {
        int idx = Arrays.binarySearch(thresholds, value);
        if (idx >= 0) {
            // equal to threshold idx: strictly above thresholds 0..idx−1 (all distinct)
            return idx;
        }
        return -idx - 1;
    }

    private void record(int k, Confusion c) {
        tp[k] += c.tp();
        fp[k] += c.fp();
        fn[k] += c.fn();
        iouSum[k] += MeanPerImageIou.iou(c);
    }

    public long count() {
        return images;
    }

    /** The curves so far. */
    public Result result() {
        double[] agg = new double[thresholds.length];
        double[] mean = new double[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            long u = tp[k] + fp[k] + fn[k];
            agg[k] = images == 0 ? Double.NaN : u == 0 ? 0.0 : (double) tp[k] / u;
            mean[k] = images == 0 ? Double.NaN : iouSum[k] / images;
        }
        return new Result(thresholds.clone(), agg, mean, postProcessing, images);
    }

    @Override
    public String toString() {
        return "ThresholdSweep[" + thresholds.length + " thresholds in [" + thresholds[0] + ", "
                + thresholds[thresholds.length - 1] + "], " + postProcessing + ", " + images + " images]";
    }

    /**
     * IoU curves.
     *
     * @param thresholds     the thresholds, ascending
     * @param aggregatedIou  ΣTP/Σ(TP+FP+FN) per threshold
     * @param meanPerImageIou mean of per-image IoU per threshold
     */
    public record Result(double[] thresholds, double[] aggregatedIou, double[] meanPerImageIou,
            PostProcessing postProcessing, long images) {

        public double bestAggregatedThreshold() {
            return thresholds[argmax(aggregatedIou)];
        }

        public double bestAggregatedIou() {
            return aggregatedIou[argmax(aggregatedIou)];
        }

        public double bestMeanPerImageThreshold() {
            return thresholds[argmax(meanPerImageIou)];
        }

        public double bestMeanPerImageIou() {
            return meanPerImageIou[argmax(meanPerImageIou)];
        }

        private static int argmax(double[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best] || Double.isNaN(v[best])) {
                    best = i;
                }
            }
            return best;
        }

        @Override
        public String toString() {
            return "ThresholdSweep.Result[" + images + " images; best aggregated IoU " + bestAggregatedIou() + " at "
                    + bestAggregatedThreshold() + "; best mean IoU " + bestMeanPerImageIou() + " at "
                    + bestMeanPerImageThreshold() + "]";
        }
    }

    /** Defaults: 101 thresholds over [0, 1], no post-processing. */
    public static final class Builder {
        private int count = 101;
        private double lo = 0;
        private double hi = 1;
        private PostProcessing postProcessing = PostProcessing.none();

        public Builder count(int n) {
            this.count = n;
            return this;
        }

        public Builder range(double low, double high) {
            this.lo = low;
            this.hi = high;
            return this;
        }

        public Builder postProcessing(PostProcessing p) {
            this.postProcessing = java.util.Objects.requireNonNull(p, "postProcessing");
            return this;
        }

        public ThresholdSweep build() {
            return new ThresholdSweep(this);
        }
    }
}
