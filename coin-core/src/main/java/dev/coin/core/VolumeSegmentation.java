package dev.coin.core;

import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.nifti.NiftiHeader;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One scan's result from {@link VolumeSegmenter}: the 0/1 mask volume and the difference-map volume, both in the
 * CT's voxel grid (shape, spacing, affine), zero outside the explained slices; which slices were explained and how
 * many the classifier called abnormal. Files are written in the source file's geometry when the scan was read from
 * one (its qform and sform with their codes, pixdim), else with the volume's affine.
 *
 * <pre>{@code
 * VolumeSegmentation s = segmenter.segment(ctPath, kidneyPath);
 * s;   // VolumeSegmentation[ct, 512x512x90, 41 slices explained, 7 abnormal, mask 5320 voxels (12.4 ml)]
 * s.writeMask(Path.of("ct_mask.nii.gz"));
 * }</pre>
 */
public final class VolumeSegmentation {
    private final Volume mask;
    private final Volume differenceMap;
    private final int[] explainedSlices;
    private final int abnormalSlices;
    private final NiftiHeader source;
    private final long maskVoxels;

    VolumeSegmentation(Volume mask, Volume differenceMap, int[] explainedSlices, int abnormalSlices,
                       NiftiHeader source) {
        this.mask = mask;
        this.differenceMap = differenceMap;
        this.explainedSlices = explainedSlices.clone();
        this.abnormalSlices = abnormalSlices;
        this.source = source;
        long n = 0;
        for (int i = 0; i < mask.voxelCount(); i++) {
            if (mask.getFlat(i) != 0) {
                n++;
            }
        }
        this.maskVoxels = n;
    }

    /** The 0/1 mask in the CT's voxel grid. */
    public Volume mask() {
        return mask;
    }

    /** |x − x_cf| / 2 in [0, 1] in the CT's voxel grid (bilinear back to native resolution). */
    public Volume differenceMap() {
        return differenceMap;
    }

    /** Storage indices along the axial axis of the explained slices, ascending. */
    public int[] explainedSlices() {
        return explainedSlices.clone();
    }

    /** Explained slices the classifier called abnormal (p ≥ 0.5). */
    public int abnormalSlices() {
        return abnormalSlices;
    }

    /** Number of mask voxels. */
    public long maskVoxels() {
        return maskVoxels;
    }

    /** Mask volume in millilitres: voxel count × the voxel volume from the spacing (mm³ / 1000). */
    public double maskMillilitres() {
        double[] s = mask.spacing();
        return maskVoxels * s[0] * s[1] * s[2] / 1000.0;
    }

    /** The header of the file the CT was read from; empty for a volume given in memory. */
    public Optional<NiftiHeader> sourceHeader() {
        return Optional.ofNullable(source);
    }

    /**
     * Writes the mask as uint8 NIfTI ({@code .nii} or {@code .nii.gz}) in the source geometry.
     *
     * @return {@code file}
     * @throws UncheckedIOException when writing fails
     */
    public Path writeMask(Path file) {
        return write(mask, file, NiftiDataType.UINT8);
    }

    /**
     * Writes the difference map as float32 NIfTI in the source geometry.
     *
     * @return {@code file}
     * @throws UncheckedIOException when writing fails
     */
    public Path writeDifferenceMap(Path file) {
        return write(differenceMap, file, NiftiDataType.FLOAT32);
    }

    private Path write(Volume v, Path file, NiftiDataType type) {
        Objects.requireNonNull(file, "file");
        try {
            if (source != null) {
                NiftiVolumes.writeLike(v, source, file, type);
            } else {
                NiftiVolumes.write(v, file, type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "VolumeSegmentation[%s, %dx%dx%d, %d slices explained, %d abnormal, "
                        + "mask %d voxels (%.1f ml)]", mask.id().replaceFirst("_mask$", ""), mask.nx(), mask.ny(),
                mask.nz(), explainedSlices.length, abnormalSlices, maskVoxels, maskMillilitres());
    }
}
