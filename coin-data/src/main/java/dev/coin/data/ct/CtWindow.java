package dev.coin.data.ct;

import dev.coin.data.image.FloatImage;

/**
 * The reference "ct" intensity normalisation: clip Hounsfield units to a window {@code [lo, hi]} and map it
 * linearly onto {@code [-1, 1]}:
 * <pre>v = 2 · (clip(x, lo, hi) − lo) / (hi − lo) − 1</pre>
 * The reference also z-scores with the fingerprint mean/std before rescaling; the two cancel algebraically, so only
 * the window matters. NaN input stays NaN (callers that need finite output check for it).
 *
 * <pre>{@code
 * CtWindow w = Fingerprint.read(path).toWindow();   // lo = percentile 0.5, hi = percentile 99.5
 * CtWindow soft = CtWindow.of(-79, 304);
 * float v = soft.apply(40f);                        // ≈ -0.381
 * }</pre>
 */
public final class CtWindow {
    private final double lo;
    private final double hi;
    private final float loF;
    private final float hiF;
    private final float range;

    private CtWindow(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
        this.loF = (float) lo;
        this.hiF = (float) hi;
        this.range = hiF - loF;
    }

    /**
     * @param lo lower window bound (HU), finite
     * @param hi upper window bound (HU), finite and &gt; lo (also after rounding both to float; hi − lo must
     *           fit in a float)
     * @throws IllegalArgumentException naming the bad bound
     */
    public static CtWindow of(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("window bounds must be finite, got lo=" + lo + ", hi=" + hi
                    + "; pass finite Hounsfield values, e.g. CtWindow.of(-79, 304)");
        }
        if (!((float) lo < (float) hi) || Float.isInfinite((float) hi - (float) lo)) {
            throw new IllegalArgumentException("window lo must be < hi, got lo=" + lo + ", hi=" + hi
                    + "; swap them or widen the window");
        }
        return new CtWindow(lo, hi);
    }

    public double lo() {
        return lo;
    }

    public double hi() {
        return hi;
    }

    /** The normalised value of one voxel. */
    public float apply(float x) {
        float c = x < loF ? loF : (x > hiF ? hiF : x); // NaN falls through both tests and stays NaN
        // divide (not multiply by 2/range) so that x >= hi maps to exactly 1, as x <= lo maps to exactly -1
        return 2f * (c - loF) / range - 1f;
    }

    /** Normalises {@code values} in place. */
    public void applyInPlace(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = apply(values[i]);
        }
    }

    /** A normalised copy of {@code image}. */
    public FloatImage apply(FloatImage image) {
        float[] p = image.toArray();
        applyInPlace(p);
        return FloatImage.wrap(image.height(), image.width(), p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CtWindow w && Double.compare(w.lo, lo) == 0 && Double.compare(w.hi, hi) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lo) * 31 + Double.hashCode(hi);
    }

    @Override
    public String toString() {
        return "CtWindow[lo=" + lo + ", hi=" + hi + " HU -> [-1, 1]]";
    }
}
