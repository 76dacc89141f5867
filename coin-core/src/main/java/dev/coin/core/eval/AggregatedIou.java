package dev.coin.core.eval;

import dev.coin.core.mask.Confusion;

/**
 * Dataset-level IoU of the COIN paper (reference §7.1 {@code cf_iou_xc}, torchmetrics BinaryJaccardIndex):
 * ΣTP / Σ(TP + FP + FN) over all added images. Large tumours weigh more than small ones; not comparable with
 * {@link MeanPerImageIou}.
 *
 * <p>Empty cases: no image added → NaN; images added but ΣTP + ΣFP + ΣFN = 0 (all truths and predictions empty)
 * → 0, torchmetrics' {@code zero_division = 0} convention.
 *
 * <pre>{@code
 * AggregatedIou iou = new AggregatedIou();
 * for (...) iou.add(predictedMask, tumourMask);
 * double v = iou.value();
 * }</pre>
 */
public final class AggregatedIou implements SegmentationMetric {
    private long tp;
    private long fp;
    private long fn;
    private long images;

    @Override
    public String name() {
        return "IoU_agg";
    }

    @Override
    public void add(Confusion c) {
        tp += c.tp();
        fp += c.fp();
        fn += c.fn();
        images++;
    }

    @Override
    public long count() {
        return images;
    }

    @Override
    public double value() {
        if (images == 0) {
            return Double.NaN;
        }
        long union = tp + fp + fn;
        return union == 0 ? 0.0 : (double) tp / union;
    }

    /** Totals so far (TN is not tracked: 0). */
    public Confusion totals() {
        return new Confusion(tp, fp, fn, 0);
    }

    @Override
    public String toString() {
        return "AggregatedIou[" + value() + " over " + images + " images]";
    }
}
