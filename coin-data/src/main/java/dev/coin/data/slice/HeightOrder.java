package dev.coin.data.slice;

/**
 * Which way a {@link Slicer} counts relative heights ({@link SliceSelection#relativeHeight(int)}).
 *
 * <ul>
 *   <li>{@link #ANATOMICAL} (default): 0 = most inferior kept slice, 1 = most superior, whatever the storage order,
 *       using the superior direction read from the affine ({@link dev.coin.data.volume.AxialAxis#superiorSign()}).
 *       Scans stored head to feet and feet to head get the same heights, so height-binned pairing
 *       ({@code PairedHealthySampler}) pairs the same anatomy. When the superior direction is unknown (axial axis
 *       fixed by hand) storage order is taken as feet to head, as the reference does.</li>
 *   <li>{@link #STORAGE}: the reference's {@code (k − k_min)/(k_max − k_min)} over storage indices, whatever the
 *       affine says; mirrored for head-first scans. Use it only to reproduce the reference's numbers bit for bit.</li>
 * </ul>
 */
public enum HeightOrder {
    /** 0 = most inferior kept slice, 1 = most superior. */
    ANATOMICAL,
    /** Ascending storage index, as the reference (mirrored for head-first scans). */
    STORAGE
}
