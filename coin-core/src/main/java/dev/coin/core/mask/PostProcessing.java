package dev.coin.core.mask;

import dev.coin.data.image.FloatImage;

/**
 * Optional clean-up of a binary mask, in the reference order (§7.1 step 5, CLI {@code -pcf}): opening 3×3 →
 * closing 3×3 → keep the largest 8-connected component (if there is none, the mask is unchanged). Each step can be
 * switched off. See {@link Morphology} for the border rule.
 *
 * <pre>{@code
 * FloatImage clean = PostProcessing.OPEN_CLOSE_LARGEST.apply(mask);
 * PostProcessing onlyLargest = PostProcessing.builder().largestComponent(true).build();
 * }</pre>
 */
public final class PostProcessing {
    /** All three steps, as the reference's {@code -pcf}. */
    public static final PostProcessing OPEN_CLOSE_LARGEST = builder().opening(true).closing(true).largestComponent(true).build();
    private static final PostProcessing NONE = builder().build();

    private final boolean opening;
    private final boolean closing;
    private final boolean largestComponent;

    private PostProcessing(Builder b) {
        this.opening = b.opening;
        this.closing = b.closing;
        this.largestComponent = b.largestComponent;
    }

    /** No post-processing (the reference default; also used for saliency baselines). */
    public static PostProcessing none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().opening(opening).closing(closing).largestComponent(largestComponent);
    }

    public boolean opening() {
        return opening;
    }

    public boolean closing() {
        return closing;
    }

    public boolean largestComponent() {
        return largestComponent;
    }

    public boolean isNone() {
        return !opening && !closing && !largestComponent;
    }

    /** The post-processed mask (input must be 0/1). */
    public FloatImage apply(FloatImage mask) {
        if (isNone()) {
            Masks.toBinary(mask, "mask");
            return mask;
        }
        int h = mask.height();
        int w = mask.width();
        return Masks.fromBinary(h, w, apply(Masks.toBinary(mask, "mask"), h, w));
    }

    public boolean[] apply(boolean[] m, int h, int w) {
        boolean[] out = m;
        if (opening) {
            out = Morphology.open(out, h, w);
        }
        if (closing) {
            out = Morphology.close(out, h, w);
        }
        if (largestComponent) {
            out = Morphology.largestComponent(out, h, w);
        }
        return out;
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "PostProcessing[none]";
        }
        StringBuilder s = new StringBuilder("PostProcessing[");
        if (opening) {
            s.append("open3x3 ");
        }
        if (closing) {
            s.append("close3x3 ");
        }
        if (largestComponent) {
            s.append("largest8 ");
        }
        return s.deleteCharAt(s.length() - 1).append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostProcessing p && p.opening == opening && p.closing == closing
                && p.largestComponent == largestComponent;
    }

    @Override
    public int hashCode() {
        return (opening ? 1 : 0) + (closing ? 2 : 0) + (largestComponent ? 4 : 0);
    }

    /** All steps off by default. */
    public static final class Builder {
        private boolean opening;
        private boolean closing;
        private boolean largestComponent;

        public Builder opening(boolean on) {
            this.opening = on;
            return this;
        }

        public Builder closing(boolean on) {
            this.closing = on;
            return this;
        }

        public Builder largestComponent(boolean on) {
            this.largestComponent = on;
            return this;
        }

        public PostProcessing build() {
            return new PostProcessing(this);
        }
    }
}
