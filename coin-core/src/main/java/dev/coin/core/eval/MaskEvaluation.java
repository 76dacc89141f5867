package dev.coin.core.eval;

import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.mask.Confusion;

import dev.coin.data.image.FloatImage;
import java.util.Objects;

/**
 * One method's segmentation metrics at one threshold: map → (map > threshold) → post-processing → aggregated IoU,
 * mean per-image IoU and PER, all streaming. Add only GT-abnormal slices (reference §7.1).
 *
 * <pre>{@code
 * MaskEvaluation coin = new MaskEvaluation("COIN", 0.25, PostProcessing.none());
 * coin.add(Masks.differenceMap(x, xCf), tumourMask);
 * coin.aggregatedIou().value();
 * }</pre>
 */
public final class MaskEvaluation {
    private final String method;
    private final double threshold;
    private final PostProcessing postProcessing;
    private final AggregatedIou aggregated = new AggregatedIou();
    private final MeanPerImageIou perImage = new MeanPerImageIou();
    private final PixelErrorRate per = new PixelErrorRate();

    public MaskEvaluation(String method, double threshold, PostProcessing postProcessing) {
        this.method = Objects.requireNonNull(method, "method");
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
        this.threshold = threshold;
        this.postProcessing = Objects.requireNonNull(postProcessing, "postProcessing");
    }

    /** Thresholds and post-processes {@code map}, scores it against {@code truth}, returns the mask used. */
    public FloatImage add(FloatImage map, FloatImage truth) {
        FloatImage mask = postProcessing.apply(Masks.threshold(map, threshold));
        Confusion c = Confusion.of(mask, truth);
        aggregated.add(c);
        perImage.add(c);
        per.add(c);
        return mask;
    }

    public String method() {
        return method;
    }

    public double threshold() {
        return threshold;
    }

    public PostProcessing postProcessing() {
        return postProcessing;
    }

    public AggregatedIou aggregatedIou() {
        return aggregated;
    }

    public MeanPerImageIou meanPerImageIou() {
        return perImage;
    }

    public PixelErrorRate pixelErrorRate() {
        return per;
    }

    @Override
    public String toString() {
        return "MaskEvaluation[" + method + " t=" + threshold + " " + postProcessing + ": IoU_agg=" + aggregated.value()
                + ", IoU_mean=" + perImage.value() + ", PER=" + per.value() + ", n=" + aggregated.count() + "]";
    }
}
