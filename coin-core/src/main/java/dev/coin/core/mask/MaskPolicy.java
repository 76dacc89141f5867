package dev.coin.core.mask;

import dev.coin.data.image.FloatImage;
import java.util.Objects;

/**
 * How a weak segmentation mask is cut from a unit-space difference map (reference §7.1 steps 4–5): pixel on where
 * {@code diff > threshold} (strictly), then an optional {@link PostProcessing} (opening 3×3 → closing 3×3 → largest
 * 8-connected component, each step optional). Immutable; the withers return new policies.
 *
 * <pre>{@code
 * MaskPolicy.DEFAULT;                                                          // diff > 0.25, no clean-up
 * MaskPolicy clean = MaskPolicy.fixed(0.25).postProcess(PostProcessing.OPEN_CLOSE_LARGEST);
 * Mask m = clean.apply(explanation.differenceMap());
 * }</pre>
 */
public final class MaskPolicy {
    /** COIN's default: unit-space threshold 0.25 (0.5 in [−1, 1] image space), no post-processing. */
    public static final MaskPolicy DEFAULT = fixed(Masks.DEFAULT_DIFFERENCE_THRESHOLD);

    private final double threshold;
    private final PostProcessing postProcessing;

    private MaskPolicy(double threshold, PostProcessing postProcessing) {
        this.threshold = threshold;
        this.postProcessing = postProcessing;
    }

    /**
     * A fixed threshold on the unit-space difference map, without post-processing.
     *
     * @throws IllegalArgumentException when {@code threshold} is not in [0, 1]
     */
    public static MaskPolicy fixed(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1] (difference maps are in unit space), got "
                    + threshold + "; COIN's default is " + Masks.DEFAULT_DIFFERENCE_THRESHOLD + " (MaskPolicy.DEFAULT)");
        }
        return new MaskPolicy(threshold, PostProcessing.none());
    }

    /** This policy with another post-processing ({@link PostProcessing#none()} to switch it off). */
    public MaskPolicy postProcess(PostProcessing p) {
        return new MaskPolicy(threshold, Objects.requireNonNull(p,
                "postProcessing (use PostProcessing.none() for no clean-up)"));
    }

    /** This policy with another threshold (same post-processing). */
    public MaskPolicy threshold(double t) {
        return fixed(t).postProcess(postProcessing);
    }

    public double threshold() {
        return threshold;
    }

    public PostProcessing postProcessing() {
        return postProcessing;
    }

    /**
     * The mask of a unit-space difference map.
     *
     * @throws NullPointerException when {@code differenceMap} is null
     */
    public Mask apply(FloatImage differenceMap) {
        Objects.requireNonNull(differenceMap, "differenceMap");
        return new Mask(postProcessing.apply(Masks.threshold(differenceMap, threshold)), this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskPolicy p && Double.compare(p.threshold, threshold) == 0
                && p.postProcessing.equals(postProcessing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(threshold, postProcessing);
    }

    @Override
    public String toString() {
        return "MaskPolicy[diff > " + threshold + (postProcessing.isNone() ? "" : ", " + postProcessing) + "]";
    }
}
