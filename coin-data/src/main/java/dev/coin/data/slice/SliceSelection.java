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
 * @param kept          kept slice indices in storage order, ascending
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
     * Anatomical order index of the {@code n}-th kept slice: its position counted from the scan's most inferior
     * slice (0) upward. Equals the storage index {@code kept()[n]} unless the affine says the slice index runs
     * head to feet ({@link AxialAxis#superiorSign()} &lt; 0), then {@code slices − 1 − kept()[n]}.
     */
    public int anatomicalIndex(int n) {
        return anatomicalIndexOf(kept[n]);
    }

    /** The anatomical order index ({@link #anatomicalIndex(int)}) of storage index {@code k}. */
    public int anatomicalIndexOf(int k) {
        if (k < 0 || k >= kidneyCounts.length) {
            throw new IllegalArgumentException("slice index must be in 0.." + (kidneyCounts.length - 1) + " for scan "
                    + scanId + ", got " + k);
        }
        return axis.superiorSign() < 0 ? kidneyCounts.length - 1 - k : k;
    }

    /**
     * Relative height of the {@code n}-th kept slice in anatomical order ({@link HeightOrder#ANATOMICAL}):
     * {@code (a − a_min)/(a_max − a_min)} over the kept slices' {@link #anatomicalIndex(int) anatomical indices},
     * so 0 is the most inferior kept slice and 1 the most superior whatever the storage order; 0.5 for a scan with
     * a single kept slice (it is neither the top nor the bottom, and there is nothing to divide by).
     */
    public double relativeHeight(int n) {
        int lo = kept[0];
        int hi = kept[kept.length - 1];
        if (hi == lo) {
            return 0.5;
        }
        return axis.superiorSign() < 0 ? (hi - kept[n]) / (double) (hi - lo) : (kept[n] - lo) / (double) (hi - lo);
    }

    /**
     * The reference's relative height ({@link HeightOrder#STORAGE}): {@code (k − k_min)/(k_max − k_min)} over the
     * kept storage indices, mirrored for head-first scans; 0.5 for a single kept slice.
     */
    public double storageOrderHeight(int n) {
        int lo = kept[0];
        int hi = kept[kept.length - 1];
        return hi == lo ? 0.5 : (kept[n] - lo) / (double) (hi - lo);
    }

    /** {@link #relativeHeight(int)} or {@link #storageOrderHeight(int)}, as {@code order} says. */
    public double height(int n, HeightOrder order) {
        return order == HeightOrder.STORAGE ? storageOrderHeight(n) : relativeHeight(n);
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
