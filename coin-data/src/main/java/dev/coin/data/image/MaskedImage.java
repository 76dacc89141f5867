package dev.coin.data.image;

import java.util.List;

/**
 * An image with named binary masks, e.g. a {@code dev.coin.data.slice.Slice}; what {@link Renderer} overlays.
 * Masks are parallel to their names and have the image's size.
 */
public interface MaskedImage {
    /** The image, values in [−1, 1]. */
    FloatImage image();

    /** Mask channel names, parallel to {@link #masks()}. */
    List<String> maskNames();

    /** Binary masks (a pixel is inside when its value is &gt; 0.5). */
    List<FloatImage> masks();
}
