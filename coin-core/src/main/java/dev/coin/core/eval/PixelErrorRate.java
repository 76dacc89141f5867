package dev.coin.core.eval;

import dev.coin.core.mask.Confusion;
import dev.coin.core.internal.DoubleList;

/**
 * COIN-Aligned's pixel-wise error rate ("PoW", reference §9.9): (FP + FN) / (H·W) per image, averaged over the
 * added (GT-abnormal) images. Lower is better.
 *
 * <pre>{@code
 * PixelErrorRate per = new PixelErrorRate();
 * per.add(predictedMask, tumourMask);
 * }</pre>
 */
public final class PixelErrorRate implements SegmentationMetric {
    private final DoubleList values = new DoubleList();

    @Override
    public String name() {
        return "PER";
    }

    @Override
    public void add(Confusion c) {
        if (c.pixels() == 0) {
            throw new IllegalArgumentException("confusion counts cover 0 pixels; PER needs the TN count too (use Confusion.of)");
        }
        values.add((double) (c.fp() + c.fn()) / c.pixels());
    }

    @Override
    public long count() {
        return values.size();
    }

    @Override
    public double value() {
        return values.mean();
    }

    public double[] perImage() {
        return values.toArray();
    }

    @Override
    public String toString() {
        return "PixelErrorRate[" + value() + " over " + count() + " images]";
    }
}
