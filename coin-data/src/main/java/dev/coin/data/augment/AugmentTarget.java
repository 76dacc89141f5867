package dev.coin.data.augment;

import dev.coin.data.image.FloatImage;
import java.util.List;
import java.util.Objects;

/**
 * What an augmentation acts on: one image and any number of masks of the same size. Geometric transforms move the
 * masks with the image (nearest interpolation, so 0/1 masks stay 0/1); intensity transforms leave them alone.
 *
 * @param image image, in [−1, 1] for the reference transforms
 * @param masks masks, each the size of {@code image}
 */
public record AugmentTarget(FloatImage image, List<FloatImage> masks) {
    public AugmentTarget {
        Objects.requireNonNull(image, "image");
        masks = List.copyOf(Objects.requireNonNull(masks, "masks"));
        for (int i = 0; i < masks.size(); i++) {
            FloatImage m = masks.get(i);
            if (m.height() != image.height() || m.width() != image.width()) {
                throw new IllegalArgumentException("masks[" + i + "] is " + m.height() + "x" + m.width()
                        + " but the image is " + image.height() + "x" + image.width() + "; resize them together");
            }
        }
    }

    public static AugmentTarget of(FloatImage image, FloatImage... masks) {
        return new AugmentTarget(image, List.of(masks));
    }

    /** The same masks with another image (for intensity transforms). */
    public AugmentTarget withImage(FloatImage newImage) {
        return new AugmentTarget(newImage, masks);
    }

    public int height() {
        return image.height();
    }

    public int width() {
        return image.width();
    }
}
