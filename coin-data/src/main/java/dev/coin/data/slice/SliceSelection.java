package dev.coin.data.slice;

import dev.coin.data.volume.AxialAxis;
import java.util.Arrays;

/**
 * Which slices of one scan a {@link Slicer} keeps and how it labels them, decided from native-resolution voxel
 * counts; cheap to compute (one pass over the label volume, no images), e.g. for stratified splits.
 *
 * @param scanId        the scan's id
 * @param axis          the axial axis used
 * @param kidneyCounts  kidney voxels per slice index (all slices of the scan)
 * @param tumourCounts  tumour voxels per slice index (all zero without a tumour class)
 * @param kept          kept slice indices, ascending
 * @param labels        label (0/1) of each kept slice, parallel to {@code kept}
 */
public record SliceSelection(String scanId, AxialAxis axis, int[] kidneyCounts, int[] tumourCounts, int[] kept,
                             int[] labels) {
    public SliceSelection {
        kidneyCounts = kidneyCounts.clone();
        tumourCounts = tumourCounts.clone();
        kept = kept.clone();
        labels = labels.clone();
        if (kept.length != labels.length) {
            throw new IllegalArgumentException("kept (" + kept.length + ") and labels (" + labels.length
                    + ") must be parallel arrays");
        }
    }

    @Override
    public int[] kidneyCounts() {
        return kidneyCounts.clone();
    }

    @Override
    public int[] tumourCounts() {
        return tumourCounts.clone();
    }

    @Override
    public int[] kept() {
        return kept.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Number of kept slices. */
    public int size() {
        return kept.length;
    }

    /**
     * Relative height of the {@code n}-th kept slice: {@code (k − k_min)/(k_max − k_min)} over the kept indices;
     * 0.5 for a scan with a single kept slice (it is neither the top nor the bottom, and there is nothing to divide
     * by).
     */
    public double relativeHeight(int n) {
        int lo = kept[0];
        int hi = kept[kept.length - 1];
        return hi == lo ? 0.5 : (kept[n] - lo) / (double) (hi - lo);
    }

    /** Number of kept slices labelled 1. */
    public int abnormalCount() {
        int n = 0;
        for (int l : labels) {
            n += l;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SliceSelection s && s.scanId.equals(scanId) && s.axis.equals(axis)
                && Arrays.equals(s.kidneyCounts, kidneyCounts) && Arrays.equals(s.tumourCounts, tumourCounts)
                && Arrays.equals(s.kept, kept) && Arrays.equals(s.labels, labels);
    }

    @Override
    public int hashCode() {
        return scanId.hashCode() * 31 + Arrays.hashCode(kept) * 7 + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "SliceSelection[scan=" + scanId + ", " + axis + ", kept " + kept.length + " of " + kidneyCounts.length
                + " slices" + (kept.length == 0 ? "" : " (k " + kept[0] + ".." + kept[kept.length - 1] + ")") + ", "
                + abnormalCount() + " labelled 1]";
    }
}
