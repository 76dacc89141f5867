package dev.coin.core.mask;

import dev.coin.data.image.FloatImage;

/**
 * Pixel counts of a predicted binary mask against a ground-truth mask.
 *
 * @param tp predicted 1, truth 1
 * @param fp predicted 1, truth 0
 * @param fn predicted 0, truth 1
 * @param tn predicted 0, truth 0
 */
public record Confusion(long tp, long fp, long fn, long tn) {

    /** Counts for two same-size 0/1 masks. */
    public static Confusion of(FloatImage predicted, FloatImage truth) {
        Masks.requireSameSize(predicted, truth, "truth mask");
        return of(Masks.toBinary(predicted, "predicted mask"), Masks.toBinary(truth, "truth mask"));
    }

    public static Confusion of(boolean[] p, boolean[] t) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i]) {
                if (t[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (t[i]) {
                fn++;
            }
        }
        return new Confusion(tp, fp, fn, p.length - tp - fp - fn);
    }

    /** |P ∪ T|. */
    public long union() {
        return tp + fp + fn;
    }

    /**
     * This image's IoU with the reference's convention: tp / max(|P ∪ T|, 1e-8), so an empty union scores 0. The one
     * place the per-image formula lives ({@code Mask.iou}, the per-image mean and the sweeps use it).
     */
    public double iou() {
        return tp / Math.max((double) union(), 1e-8);
    }

    public long pixels() {
        return tp + fp + fn + tn;
    }
}
