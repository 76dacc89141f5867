package dev.coin.data.dataset;

/**
 * What a sampler needs to know about a slice without touching its pixels.
 *
 * @param scanId         the scan it came from
 * @param sliceIndex     its voxel index along the axial axis
 * @param label          image-level label (1 = abnormal)
 * @param relativeHeight position within the scan's kidney range, in [0, 1]
 */
public record SliceInfo(String scanId, int sliceIndex, int label, double relativeHeight) {
}
