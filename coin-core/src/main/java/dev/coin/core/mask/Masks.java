package dev.coin.core.mask;

import dev.coin.data.image.FloatImage;

/**
 * Binary masks from explanation maps, and COIN's difference map.
 *
 * <pre>{@code
 * FloatImage diff = Masks.differenceMap(x, xCf);                          // |x − x_cf| in unit space
 * FloatImage mask = Masks.threshold(diff, Masks.DEFAULT_DIFFERENCE_THRESHOLD);
 * }</pre>
 */
public final class Masks {
    /** COIN's default threshold on the unit-space difference map (0.25 unit = 0.5 in [−1, 1] image space). */
    public static final double DEFAULT_DIFFERENCE_THRESHOLD = 0.25;
    /** The reference's default threshold on [0, 1] saliency maps (CLI {@code -st}). */
    public static final double DEFAULT_SALIENCY_THRESHOLD = 0.975;

    private Masks() {
    }

    /** 1 where {@code map > threshold} (strictly, as the reference), else 0. */
    public static FloatImage threshold(FloatImage map, double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN; pass a number, e.g. " + DEFAULT_DIFFERENCE_THRESHOLD);
        }
        float[] v = map.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] > threshold ? 1f : 0f;
        }
        return FloatImage.wrap(map.height(), map.width(), v);
    }

    /**
     * |unit(x) − unit(x_cf)| with unit(v) = (v + 1)/2, i.e. |x − x_cf|/2, for images in [−1, 1]; values in [0, 1].
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public static FloatImage differenceMap(FloatImage x, FloatImage counterfactual) {
        requireSameSize(x, counterfactual, "counterfactual");
        float[] a = x.toArray();
        float[] b = counterfactual.toArray();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(a[i] - b[i]) * 0.5f;
        }
        return FloatImage.wrap(x.height(), x.width(), a);
    }

    public static void requireSameSize(FloatImage reference, FloatImage other, String name) {
        if (reference.height() != other.height() || reference.width() != other.width()) {
            throw new IllegalArgumentException(name + " is " + other.height() + "x" + other.width() + " but must match "
                    + reference.height() + "x" + reference.width());
        }
    }

    /** Pixels of a binary mask as booleans (value > 0.5), with a check that the mask is binary. */
    public static boolean[] toBinary(FloatImage mask, String name) {
        float[] v = mask.toArray();
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0f && v[i] != 1f) {
                throw new IllegalArgumentException(name + " must be a 0/1 mask, but pixel " + i + " is " + v[i]
                        + "; threshold it first with Masks.threshold");
            }
            out[i] = v[i] == 1f;
        }
        return out;
    }

    public static FloatImage fromBinary(int h, int w, boolean[] b) {
        float[] v = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] ? 1f : 0f;
        }
        return FloatImage.wrap(h, w, v);
    }
}
