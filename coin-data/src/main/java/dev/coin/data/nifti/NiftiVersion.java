package dev.coin.data.nifti;

/** The two NIfTI header layouts: NIfTI-1 (348-byte header, 32-bit floats) and NIfTI-2 (540 bytes, 64-bit). */
public enum NiftiVersion {
    /** 348-byte header, {@code short} dims, {@code float} geometry; magic {@code n+1} / {@code ni1}. */
    NIFTI1(348, 352),
    /** 540-byte header, {@code long} dims, {@code double} geometry; magic {@code n+2} / {@code ni2}. */
    NIFTI2(540, 544);

    private final int headerSize;
    private final int minSingleFileOffset;

    NiftiVersion(int headerSize, int minSingleFileOffset) {
        this.headerSize = headerSize;
        this.minSingleFileOffset = minSingleFileOffset;
    }

    /** The value of {@code sizeof_hdr}. */
    public int headerSize() {
        return headerSize;
    }

    /** Header plus the 4-byte extension flag: the smallest {@code vox_offset} of a single {@code .nii} file. */
    public int minSingleFileOffset() {
        return minSingleFileOffset;
    }
}
