package dev.coin.data.synth;

import dev.coin.data.volume.Volume;
import java.util.Objects;

/**
 * A CT volume (Hounsfield units) and its label volume with the same geometry. Labels follow the TUH/KiTS
 * convention: 0 background, 1 kidney, 2 tumour, 3 cyst.
 *
 * @param image HU volume
 * @param label label volume, same shape as {@code image}
 */
public record LabeledVolume(Volume image, Volume label) {
    /** Label value of background. */
    public static final int BACKGROUND = 0;
    /** Label value of kidney parenchyma (cortex and medulla; renal sinus fat is background). */
    public static final int KIDNEY = 1;
    /** Label value of a (malignant) tumour. */
    public static final int TUMOUR = 2;
    /** Label value of a (benign) cyst. */
    public static final int CYST = 3;

    public LabeledVolume {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
        if (!image.sameShape(label)) {
            throw new IllegalArgumentException("image and label must have the same shape, got " + image + " and "
                    + label);
        }
    }
}
