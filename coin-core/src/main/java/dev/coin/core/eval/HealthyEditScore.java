package dev.coin.core.eval;

import dev.coin.core.Explanation;
import dev.coin.core.TrainedPipeline;
import dev.coin.data.slice.Slice;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * How much a pipeline edits slices known to be healthy: a high percentile of their difference maps (the same
 * statistic as {@link LabelFreeThreshold}). A good counterfactual generator leaves healthy slices almost unchanged,
 * so lower is better. It needs image-level labels only, never tumour masks, which keeps model selection weakly
 * supervised.
 *
 * <pre>{@code
 * double edit = HealthyEditScore.of(healthySlices, 99).applyAsDouble(trained);   // e.g. 0.13
 * }</pre>
 */
public final class HealthyEditScore implements ToDoubleFunction<TrainedPipeline> {
    private final List<Slice> healthy;
    private final double percentile;

    private HealthyEditScore(List<Slice> healthy, double percentile) {
        this.healthy = healthy;
        this.percentile = percentile;
    }

    /**
     * @param healthy    slices with image label 0
     * @param percentile in [0, 100]
     * @throws IllegalArgumentException when the list is empty, holds a slice labelled abnormal, or the percentile is
     *                                  outside [0, 100]
     */
    public static HealthyEditScore of(List<Slice> healthy, double percentile) {
        Objects.requireNonNull(healthy, "healthy");
        if (healthy.isEmpty()) {
            throw new IllegalArgumentException("healthy slices are empty; pass the label-0 validation slices");
        }
        for (int i = 0; i < healthy.size(); i++) {
            if (healthy.get(i).label() != 0) {
                throw new IllegalArgumentException("healthy slice " + i + " has label " + healthy.get(i).label()
                        + "; keep only label-0 slices (e.g. filter(s -> s.label() == 0))");
            }
        }
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        return new HealthyEditScore(List.copyOf(healthy), percentile);
    }

    @Override
    public double applyAsDouble(TrainedPipeline pipeline) {
        LabelFreeThreshold t = LabelFreeThreshold.builder().percentile(percentile).build();
        for (Explanation e : pipeline.explain(healthy)) {
            t.add(e.differenceMap());
        }
        return t.threshold();
    }

    @Override
    public String toString() {
        return "HealthyEditScore[p" + percentile + " of " + healthy.size() + " healthy slices]";
    }
}
