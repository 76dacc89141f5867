package dev.coin.data.volume;

import java.util.Arrays;
import java.util.Objects;

/**
 * A CT volume and its label volume (integer class indices per voxel), checked to have the same shape.
 *
 * @param image the CT volume (Hounsfield units)
 * @param label the label volume of the same scan
 */
public record LabelledScan(Volume image, Volume label) {
    /** @throws IllegalArgumentException if the shapes differ */
    public LabelledScan {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
        if (!image.sameShape(label)) {
            throw new IllegalArgumentException("label volume " + label.id() + " has shape "
                    + Arrays.toString(label.shape()) + " but image volume " + image.id() + " has shape "
                    + Arrays.toString(image.shape()) + "; pass the label volume that belongs to this scan");
        }
    }

    /** The scan id: the image volume's id. */
    public String id() {
        return image.id();
    }
}
