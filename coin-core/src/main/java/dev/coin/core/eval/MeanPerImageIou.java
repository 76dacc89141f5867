package dev.coin.core.eval;

import dev.coin.core.mask.Confusion;
import dev.coin.core.internal.DoubleList;

/**
 * COIN-Aligned's IoU (reference §7.1, §9.9): the mean over images of I / max(U, 1e-8), so an image whose prediction
 * and truth are both empty scores 0. Keeps the per-image values (8 bytes each) for box plots.
 *
 * <pre>{@code
 * MeanPerImageIou iou = new MeanPerImageIou();
 * iou.add(predictedMask, tumourMask);
 * double mean = iou.value();
 * double[] perImage = iou.perImage();
 * }</pre>
 */
public final class MeanPerImageIou implements SegmentationMetric {
    private final DoubleList values = new DoubleList();

    /** One image's IoU with the reference's convention. */
    public static double iou(Confusion c) {
        return c.iou();
    }

    @Override
    public String name() {
        return "IoU_mean";
    }

    @Override
    public void add(Confusion c) {
        values.add(iou(c));
    }

    @Override
    public long count() {
        return values.size();
    }

    @Override
    public double value() {
        return values.mean();
    }

    /** The per-image IoUs in the order added. */
    public double[] perImage() {
        return values.toArray();
    }

    @Override
    public String toString() {
        return "MeanPerImageIou[" + value() + " over " + count() + " images]";
    }
}
