package dev.coin.core.mask;


import dev.coin.data.image.FloatImage;
import java.util.Locale;
import java.util.Objects;

/**
 * A binary weak-segmentation mask (0/1 {@link FloatImage}) and the {@link MaskPolicy} that made it.
 *
 * <pre>{@code
 * Mask m = explanation.mask();              // Mask[57 px (5.6 % of 32x32), MaskPolicy[diff > 0.25]]
 * m.area();                                  // 57
 * m.iou(slice.mask("anomaly"));              // per-image IoU; 0 when both masks are empty
 * }</pre>
 */
public final class Mask {
    private final FloatImage image;
    private final MaskPolicy policy;
    private final int area;

    /**
     * @throws IllegalArgumentException when {@code image} is not 0/1
     */
    public Mask(FloatImage image, MaskPolicy policy) {
        this.image = Objects.requireNonNull(image, "image");
        this.policy = Objects.requireNonNull(policy, "policy");
        int n = 0;
        for (boolean b : Masks.toBinary(image, "mask image")) {
            n += b ? 1 : 0;
        }
        this.area = n;
    }

    /** The 0/1 mask. */
    public FloatImage image() {
        return image;
    }

    public MaskPolicy policy() {
        return policy;
    }

    /** Number of pixels that are on. */
    public int area() {
        return area;
    }

    /** {@link #area()} over the image's pixel count. */
    public double areaFraction() {
        return area / (double) (image.height() * image.width());
    }

    /**
     * Pixel counts against a ground-truth mask.
     *
     * @throws IllegalArgumentException when {@code truth} has another size or is not 0/1
     */
    public Confusion confusion(FloatImage truth) {
        Objects.requireNonNull(truth, "truth");
        return Confusion.of(image, truth);
    }

    /**
     * Per-image IoU |M ∩ T| / |M ∪ T| with COIN-Aligned's convention: an empty union scores 0
     * ({@link Confusion#iou}).
     *
     * @throws IllegalArgumentException when {@code truth} has another size or is not 0/1
     */
    public double iou(FloatImage truth) {
        return confusion(truth).iou();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.image.equals(image) && m.policy.equals(policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, policy);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Mask[%d px (%.1f %% of %dx%d), %s]", area, 100 * areaFraction(),
                image.height(), image.width(), policy);
    }
}
