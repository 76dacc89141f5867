package dev.coin.data.dataset;

/**
 * What a sampler needs to know about a slice without touching its pixels.
 *
 * @param scanId          the scan it came from
 * @param sliceIndex      its voxel index along the axial axis, in storage order
 * @param anatomicalIndex its position counted from the scan's most inferior slice upward
 *                        ({@link dev.coin.data.slice.Slice#anatomicalIndex()})
 * @param label           image-level label (1 = abnormal)
 * @param relativeHeight  position within the scan's kidney range, in [0, 1] (0 = most inferior with
 *                        {@link dev.coin.data.slice.HeightOrder#ANATOMICAL})
 */
public record SliceInfo(String scanId, int sliceIndex, int anatomicalIndex, int label, double relativeHeight) {
    /** The sampler view of {@code s}. */
    public static SliceInfo of(dev.coin.data.slice.Slice s) {
        return new SliceInfo(s.scanId(), s.sliceIndex(), s.anatomicalIndex(), s.label(), s.relativeHeight());
    }
}
