package dev.coin.core.eval;

import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.SummaryTable;

import dev.coin.data.image.FloatImage;
import java.util.Objects;

/**
 * Segmentation quality of one explanation method over GT-abnormal slices, streaming: the metrics at a fixed
 * threshold ({@link MaskEvaluation}: aggregated IoU, mean per-image IoU, PER) and, optionally, the threshold
 * sweep. Works for COIN difference maps and saliency baselines alike.
 *
 * <pre>{@code
 * ExplanationEvaluation rise = ExplanationEvaluation.builder().method("RISE")
 *         .threshold(Masks.DEFAULT_SALIENCY_THRESHOLD).build();
 * rise.add(saliencyMap, tumourMask);
 * table.add(rise.fixedThresholdRow("default"));
 * table.add(rise.bestThresholdRow());
 * }</pre>
 */
public final class ExplanationEvaluation {
    private final MaskEvaluation fixed;
    private final ThresholdSweep sweep;

    private ExplanationEvaluation(Builder b) {
        fixed = new MaskEvaluation(Objects.requireNonNull(b.method, "method (set it with builder().method(...))"),
                b.threshold, b.postProcessing);
        sweep = b.sweepCount > 0 ? ThresholdSweep.builder().count(b.sweepCount).postProcessing(b.postProcessing).build() : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds one GT-abnormal slice; returns the thresholded, post-processed mask (for panels). */
    public FloatImage add(FloatImage map, FloatImage truth) {
        FloatImage mask = fixed.add(map, truth);
        if (sweep != null) {
            sweep.add(map, truth);
        }
        return mask;
    }

    public MaskEvaluation fixed() {
        return fixed;
    }

    /** The sweep result, or {@code null} when the sweep is off. */
    public ThresholdSweep.Result sweep() {
        return sweep == null ? null : sweep.result();
    }

    /** Summary row at the fixed threshold; {@code policy} says where that threshold came from. */
    public SummaryTable.Row fixedThresholdRow(String policy) {
        return SummaryTable.Row.of(fixed.method(), policy, fixed.threshold(), fixed.postProcessing())
                .metric("IoU_agg", fixed.aggregatedIou().value())
                .metric("IoU_mean", fixed.meanPerImageIou().value())
                .metric("PER", fixed.pixelErrorRate().value())
                .metric("n_abnormal", fixed.aggregatedIou().count());
    }

    /**
     * Summary row at the sweep's best aggregated-IoU threshold (chosen with labels: an optimistic upper bound).
     *
     * @throws IllegalStateException when the sweep is off
     */
    public SummaryTable.Row bestThresholdRow() {
        if (sweep == null) {
            throw new IllegalStateException("the threshold sweep is off; enable it with builder().sweep(101)");
        }
        ThresholdSweep.Result r = sweep.result();
        return SummaryTable.Row.of(fixed.method(), "best IoU_agg (sweep, uses labels)", r.bestAggregatedThreshold(),
                fixed.postProcessing())
                .metric("IoU_agg", r.bestAggregatedIou())
                .metric("best_IoU_mean", r.bestMeanPerImageIou())
                .metric("best_IoU_mean_threshold", r.bestMeanPerImageThreshold())
                .metric("n_abnormal", r.images());
    }

    @Override
    public String toString() {
        return "ExplanationEvaluation[" + fixed + (sweep == null ? "" : ", " + sweep) + "]";
    }

    /** Defaults: threshold 0.25 (COIN), no post-processing, 101-threshold sweep. */
    public static final class Builder {
        private String method;
        private double threshold = Masks.DEFAULT_DIFFERENCE_THRESHOLD;
        private PostProcessing postProcessing = PostProcessing.none();
        private int sweepCount = 101;

        public Builder method(String m) {
            this.method = m;
            return this;
        }

        public Builder threshold(double t) {
            this.threshold = t;
            return this;
        }

        public Builder postProcessing(PostProcessing p) {
            this.postProcessing = Objects.requireNonNull(p, "postProcessing");
            return this;
        }

        /** Number of sweep thresholds over [0, 1]; 0 turns the sweep off. */
        public Builder sweep(int count) {
            if (count != 0 && count < 2) {
                throw new IllegalArgumentException("sweep count must be 0 (off) or >= 2, got " + count);
            }
            this.sweepCount = count;
            return this;
        }

        public ExplanationEvaluation build() {
            return new ExplanationEvaluation(this);
        }
    }
}
