package dev.coin.core.eval;

import dev.coin.core.mask.Confusion;

import dev.coin.data.image.FloatImage;

/**
 * A streaming segmentation metric: add predicted/ground-truth mask pairs one image at a time, read the value at
 * any point. Add only the images the metric is defined over (the reference: GT-abnormal slices).
 */
public interface SegmentationMetric {

    /** Short name for reports, e.g. {@code "IoU_agg"}. */
    String name();

    /** Adds one image's counts. */
    void add(Confusion counts);

    /** Adds one image: predicted and ground-truth 0/1 masks of the same size. */
    default void add(FloatImage predicted, FloatImage truth) {
        add(Confusion.of(predicted, truth));
    }

    /** Images added so far. */
    long count();

    /** The metric over the images added so far; NaN when none were added. */
    double value();
}
