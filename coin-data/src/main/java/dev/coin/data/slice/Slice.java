package dev.coin.data.slice;

import dev.coin.data.image.FloatImage;
import dev.coin.data.image.MaskedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One axial slice ready for training: the normalised image in [−1, 1], one binary mask per named class, the slice
 * label (1 = abnormal), and where it came from. Immutable ({@link FloatImage} is immutable and the lists are
 * copied).
 *
 * <pre>{@code
 * Slice s = slices.get(0);   // Slice[scan=case_00012, k=57, label=1, h=0.43, 256x256, kidney 812 px, tumour 1204 px]
 * FloatImage tumour = s.mask("tumour");
 * Slice withAnomaly = s.withMask("anomaly", blob).withLabel(1);
 * }</pre>
 *
 * @param scanId         the scan's id
 * @param sliceIndex     voxel index k along the scan's axial axis, in storage order
 * @param anatomicalIndex the slice's position counted from the scan's most inferior slice (0) upward; equals
 *                       {@code sliceIndex} unless the slice index runs head to feet
 *                       ({@link SliceSelection#anatomicalIndex(int)})
 * @param label          0 (normal) or 1 (abnormal)
 * @param relativeHeight position within the scan's kept slices, in [0, 1]: 0 = most inferior, 1 = most superior
 *                       ({@link HeightOrder#ANATOMICAL}), or the reference's storage-order height
 *                       ({@link HeightOrder#STORAGE})
 * @param image          the image, values in [−1, 1]
 * @param maskNames      channel names, unique, same order as {@code masks}
 * @param masks          binary (0/1) masks, each the size of {@code image}
 */
public record Slice(String scanId, int sliceIndex, int anatomicalIndex, int label, double relativeHeight,
                    FloatImage image, List<String> maskNames, List<FloatImage> masks) implements MaskedImage {

    /**
     * A slice whose anatomical index is its storage index, i.e. a scan stored feet to head (or toy data without
     * geometry). The {@link Slicer} uses the canonical constructor.
     */
    public Slice(String scanId, int sliceIndex, int label, double relativeHeight, FloatImage image,
                 List<String> maskNames, List<FloatImage> masks) {
        this(scanId, sliceIndex, sliceIndex, label, relativeHeight, image, maskNames, masks);
    }

    /** @throws IllegalArgumentException naming the inconsistent component */
    public Slice {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(image, "image");
        if (sliceIndex < 0) {
            throw new IllegalArgumentException("sliceIndex must be >= 0, got " + sliceIndex);
        }
        if (anatomicalIndex < 0) {
            throw new IllegalArgumentException("anatomicalIndex must be >= 0, got " + anatomicalIndex);
        }
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 (normal) or 1 (abnormal), got " + label);
        }
        if (!(relativeHeight >= 0 && relativeHeight <= 1)) {
            throw new IllegalArgumentException("relativeHeight must be in [0, 1], got " + relativeHeight);
        }
        maskNames = List.copyOf(maskNames);
        masks = List.copyOf(masks);
        if (maskNames.size() != masks.size()) {
            throw new IllegalArgumentException("maskNames " + maskNames + " must name each of the " + masks.size()
                    + " masks");
        }
        if (new HashSet<>(maskNames).size() != maskNames.size()) {
            throw new IllegalArgumentException("maskNames must be unique, got " + maskNames);
        }
        for (int c = 0; c < masks.size(); c++) {
            FloatImage m = masks.get(c);
            if (m.height() != image.height() || m.width() != image.width()) {
                throw new IllegalArgumentException("mask '" + maskNames.get(c) + "' is " + m.height() + "x" + m.width()
                        + " but the image is " + image.height() + "x" + image.width() + "; resize it to the image");
            }
        }
    }

    public int height() {
        return image.height();
    }

    public int width() {
        return image.width();
    }

    public boolean hasMask(String name) {
        return maskNames.contains(name);
    }

    /**
     * The mask called {@code name}.
     *
     * @throws IllegalArgumentException listing the channels if there is none
     */
    public FloatImage mask(String name) {
        int c = maskNames.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("slice " + scanId + "#" + sliceIndex + " has no mask '" + name
                    + "'; its masks are " + maskNames);
        }
        return masks.get(c);
    }

    /** This slice with another image (same size). */
    public Slice withImage(FloatImage newImage) {
        return new Slice(scanId, sliceIndex, anatomicalIndex, label, relativeHeight, newImage, maskNames, masks);
    }

    /**
     * This slice at another size: the image bilinearly (half-pixel centres), the masks by nearest neighbour, as the
     * {@link Slicer} resizes ({@link Resize}).
     */
    public Slice resized(int newHeight, int newWidth) {
        if (newHeight == height() && newWidth == width()) {
            return this;
        }
        List<FloatImage> small = new ArrayList<>(masks.size());
        for (FloatImage m : masks) {
            small.add(Resize.nearest(m, newHeight, newWidth));
        }
        return new Slice(scanId, sliceIndex, anatomicalIndex, label, relativeHeight,
                Resize.bilinear(image, newHeight, newWidth), maskNames, small);
    }

    /** This slice with another label. */
    public Slice withLabel(int newLabel) {
        return new Slice(scanId, sliceIndex, anatomicalIndex, newLabel, relativeHeight, image, maskNames, masks);
    }

    /**
     * This slice with one more mask channel appended.
     *
     * @throws IllegalArgumentException if a mask called {@code name} exists already
     */
    public Slice withMask(String name, FloatImage mask) {
        if (hasMask(name)) {
            throw new IllegalArgumentException("slice " + scanId + "#" + sliceIndex + " already has a mask '" + name
                    + "'; pick another name");
        }
        List<String> names = new ArrayList<>(maskNames);
        names.add(name);
        List<FloatImage> ms = new ArrayList<>(masks);
        ms.add(mask);
        return new Slice(scanId, sliceIndex, anatomicalIndex, label, relativeHeight, image, names, ms);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("Slice[scan=%s, k=%d%s, label=%d, h=%.2f, %dx%d", scanId,
                sliceIndex, anatomicalIndex == sliceIndex ? "" : " (anatomical " + anatomicalIndex + ")", label,
                relativeHeight, image.height(), image.width()));
        for (int c = 0; c < masks.size(); c++) {
            if (!maskNames.get(c).equals(LabelMap.BACKGROUND)) {
                b.append(", ").append(maskNames.get(c)).append(' ').append(masks.get(c).countPositive()).append(" px");
            }
        }
        return b.append(']').toString();
    }
}
