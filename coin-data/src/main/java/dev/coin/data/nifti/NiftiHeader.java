package dev.coin.data.nifti;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable NIfTI-1 or NIfTI-2 header: dimensions, datatype, voxel sizes, intensity scaling, orientation
 * (qform and sform) and descriptive fields. Obtain one from {@link NiftiReader#readHeader(java.nio.file.Path)} or
 * {@link NiftiImage#header()}, or build one with {@link #builder()}.
 *
 * <pre>{@code
 * NiftiHeader h = NiftiReader.readHeader(Path.of("ct.nii.gz"));
 * int[] shape = h.shape();          // dim[1..ndim]
 * double[][] a = h.affine();        // sform if sform_code > 0, else qform, else pixdim diagonal
 * }</pre>
 */
public final class NiftiHeader {
    /** The largest number of dimensions a NIfTI header can describe. */
    public static final int MAX_DIMS = 7;

    private final NiftiVersion version;
    private final ByteOrder byteOrder;
    private final boolean singleFile;
    private final int[] shape;
    private final NiftiDataType dataType;
    private final double[] pixdim;
    private final long voxOffset;
    private final double sclSlope;
    private final double sclInter;
    private final int qformCode;
    private final int sformCode;
    private final double[] quatern;
    private final double[] qoffset;
    private final double[][] srow;
    private final int intentCode;
    private final double[] intentParams;
    private final String intentName;
    private final int dimInfo;
    private final int sliceCode;
    private final long sliceStart;
    private final long sliceEnd;
    private final double sliceDuration;
    private final double toffset;
    private final int xyztUnits;
    private final double calMin;
    private final double calMax;
    private final String description;
    private final String auxFile;

    private NiftiHeader(Builder b) {
        this.version = b.version;
        this.byteOrder = b.byteOrder;
        this.singleFile = b.singleFile;
        this.shape = b.shape.clone();
        this.dataType = b.dataType;
        this.pixdim = b.pixdim.clone();
        this.voxOffset = b.voxOffset;
        this.sclSlope = b.sclSlope;
        this.sclInter = b.sclInter;
        this.qformCode = b.qformCode;
        this.sformCode = b.sformCode;
        this.quatern = b.quatern.clone();
        this.qoffset = b.qoffset.clone();
        this.srow = copy3x4(b.srow);
        this.intentCode = b.intentCode;
        this.intentParams = b.intentParams.clone();
        this.intentName = b.intentName;
        this.dimInfo = b.dimInfo;
        this.sliceCode = b.sliceCode;
        this.sliceStart = b.sliceStart;
        this.sliceEnd = b.sliceEnd;
        this.sliceDuration = b.sliceDuration;
        this.toffset = b.toffset;
        this.xyztUnits = b.xyztUnits;
        this.calMin = b.calMin;
        this.calMax = b.calMax;
        this.description = b.description;
        this.auxFile = b.auxFile;
    }

    /** A builder with NIfTI-1, little-endian, single-file defaults; shape and data type must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with every field of this header. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public NiftiVersion version() {
        return version;
    }

    /** Byte order of the file the header was read from (or will be written with). */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** True for single-file magic ({@code n+1}, {@code n+2}), false for a {@code .hdr}/{@code .img} pair. */
    public boolean singleFile() {
        return singleFile;
    }

    /** Number of dimensions, dim[0] (1..7). */
    public int ndim() {
        return shape.length;
    }

    /** dim[1..ndim], a copy. */
    public int[] shape() {
        return shape.clone();
    }

    /** Product of the shape. */
    public long voxelCount() {
        long n = 1;
        for (int s : shape) {
            n *= s; // cannot overflow: checked when built
        }
        return n;
    }

    /** Bytes of voxel data: voxel count times bytes per voxel. */
    public long dataBytes() {
        return voxelCount() * dataType.bytesPerVoxel();
    }

    public NiftiDataType dataType() {
        return dataType;
    }

    /** All eight pixdim entries (index 0 is qfac), a copy. */
    public double[] pixdim() {
        return pixdim.clone();
    }

    /** Voxel sizes pixdim[1..ndim] (mm for spatial axes, usually seconds for time), a copy. */
    public double[] spacing() {
        return Arrays.copyOfRange(pixdim, 1, 1 + shape.length);
    }

    /** Byte offset of the voxel data in the {@code .nii} (or {@code .img}) file. */
    public long voxOffset() {
        return voxOffset;
    }

    /** scl_slope as stored; see {@link #hasScaling()}. */
    public double sclSlope() {
        return sclSlope;
    }

    /** scl_inter as stored. */
    public double sclInter() {
        return sclInter;
    }

    /** True when scl_slope is neither 0 nor NaN (the standard's "no scaling") and the pair is not (1, 0). */
    public boolean hasScaling() {
        return sclSlope != 0 && !Double.isNaN(sclSlope) && !(sclSlope == 1 && effectiveInter() == 0);
    }

    /** The slope applied to raw values: scl_slope, or 1 when scaling is off. */
    public double effectiveSlope() {
        return sclSlope == 0 || Double.isNaN(sclSlope) ? 1 : sclSlope;
    }

    /** The intercept applied to raw values: scl_inter, or 0 when scaling is off or the intercept is NaN. */
    public double effectiveInter() {
        return sclSlope == 0 || Double.isNaN(sclSlope) || Double.isNaN(sclInter) ? 0 : sclInter;
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    /** quatern_b, quatern_c, quatern_d, a copy. */
    public double[] quatern() {
        return quatern.clone();
    }

    /** qoffset_x, qoffset_y, qoffset_z, a copy. */
    public double[] qoffset() {
        return qoffset.clone();
    }

    /** srow_x, srow_y, srow_z as a 3×4 matrix, a copy. */
    public double[][] srow() {
        return copy3x4(srow);
    }

    /**
     * The voxel-to-world matrix (world = A · [i, j, k, 1]): the sform when sform_code &gt; 0, else the qform when
     * qform_code &gt; 0, else diag(pixdim[1..3]) (voxel sizes ≤ 0 or missing read as 1).
     */
    public double[][] affine() {
        if (sformCode > 0) {
            return sformAffine();
        }
        if (qformCode > 0) {
            return qformAffine();
        }
        double[][] a = new double[4][4];
        for (int d = 0; d < 3; d++) {
            a[d][d] = pixdim[d + 1] > 0 ? pixdim[d + 1] : 1;
        }
        a[3][3] = 1;
        return a;
    }

    /** The matrix of the sform rows, whatever sform_code says. */
    public double[][] sformAffine() {
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            a[r] = srow[r].clone();
        }
        a[3] = new double[] {0, 0, 0, 1};
        return a;
    }

    /** The matrix of the quaternion fields, pixdim and qfac, whatever qform_code says. */
    public double[][] qformAffine() {
        return QuaternionForm.toAffine(quatern[0], quatern[1], quatern[2], pixdim, qoffset);
    }

    public int intentCode() {
        return intentCode;
    }

    /** intent_p1..p3, a copy. */
    public double[] intentParams() {
        return intentParams.clone();
    }

    public String intentName() {
        return intentName;
    }

    public int dimInfo() {
        return dimInfo;
    }

    public int sliceCode() {
        return sliceCode;
    }

    public long sliceStart() {
        return sliceStart;
    }

    public long sliceEnd() {
        return sliceEnd;
    }

    public double sliceDuration() {
        return sliceDuration;
    }

    public double toffset() {
        return toffset;
    }

    /** Spatial and temporal units code (e.g. 2 = mm, 8 = s; 10 = mm + s). */
    public int xyztUnits() {
        return xyztUnits;
    }

    public double calMin() {
        return calMin;
    }

    public double calMax() {
        return calMax;
    }

    /** The descrip field. */
    public String description() {
        return description;
    }

    public String auxFile() {
        return auxFile;
    }

    private static double[][] copy3x4(double[][] m) {
        return new double[][] {m[0].clone(), m[1].clone(), m[2].clone()};
    }

    @Override
    public String toString() {
        return "NiftiHeader[" + version + ", " + (byteOrder == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, "
                + (singleFile ? "single file" : "hdr/img pair") + ", shape " + Arrays.toString(shape) + ", "
                + dataType.name().toLowerCase() + ", spacing " + Arrays.toString(spacing())
                + (hasScaling() ? ", scl " + sclSlope + "/" + sclInter : "")
                + ", qform_code " + qformCode + ", sform_code " + sformCode + ", vox_offset " + voxOffset
                + (description.isEmpty() ? "" : ", \"" + description + "\"") + "]";
    }

    /** Builder for {@link NiftiHeader}; every setter validates its argument. */
    public static final class Builder {
        private NiftiVersion version = NiftiVersion.NIFTI1;
        private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        private boolean singleFile = true;
        private int[] shape;
        private NiftiDataType dataType;
        private double[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
        private long voxOffset = -1;
        private double sclSlope = 1;
        private double sclInter = 0;
        private int qformCode;
        private int sformCode;
        private double[] quatern = new double[3];
        private double[] qoffset = new double[3];
        private double[][] srow = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
        private int intentCode;
        private double[] intentParams = new double[3];
        private String intentName = "";
        private int dimInfo;
        private int sliceCode;
        private long sliceStart;
        private long sliceEnd;
        private double sliceDuration;
        private double toffset;
        private int xyztUnits = 2 | 8; // mm and seconds
        private double calMin;
        private double calMax;
        private String description = "";
        private String auxFile = "";

        private Builder() {
        }

        private Builder(NiftiHeader h) {
            version = h.version;
            byteOrder = h.byteOrder;
            singleFile = h.singleFile;
            shape = h.shape.clone();
            dataType = h.dataType;
            pixdim = h.pixdim.clone();
            voxOffset = h.voxOffset;
            sclSlope = h.sclSlope;
            sclInter = h.sclInter;
            qformCode = h.qformCode;
            sformCode = h.sformCode;
            quatern = h.quatern.clone();
            qoffset = h.qoffset.clone();
            srow = copy3x4(h.srow);
            intentCode = h.intentCode;
            intentParams = h.intentParams.clone();
            intentName = h.intentName;
            dimInfo = h.dimInfo;
            sliceCode = h.sliceCode;
            sliceStart = h.sliceStart;
            sliceEnd = h.sliceEnd;
            sliceDuration = h.sliceDuration;
            toffset = h.toffset;
            xyztUnits = h.xyztUnits;
            calMin = h.calMin;
            calMax = h.calMax;
            description = h.description;
            auxFile = h.auxFile;
        }

        public Builder version(NiftiVersion v) {
            this.version = Objects.requireNonNull(v, "version");
            return this;
        }

        public Builder byteOrder(ByteOrder order) {
            this.byteOrder = Objects.requireNonNull(order, "byteOrder");
            return this;
        }

        /** Single file ({@code .nii}, magic {@code n+1}/{@code n+2}) or {@code .hdr}/{@code .img} pair. */
        public Builder singleFile(boolean single) {
            this.singleFile = single;
            return this;
        }

        /**
         * dim[1..ndim].
         *
         * @throws IllegalArgumentException when there are not 1..7 entries, an entry is ≤ 0, or the voxel count
         *                                  overflows a long
         */
        public Builder shape(int... dims) {
            if (dims == null || dims.length < 1 || dims.length > MAX_DIMS) {
                throw new IllegalArgumentException("shape must have 1.." + MAX_DIMS + " entries, got "
                        + Arrays.toString(dims));
            }
            for (int d = 0; d < dims.length; d++) {
                if (dims[d] <= 0) {
                    throw new IllegalArgumentException("shape[" + d + "] must be > 0, got " + Arrays.toString(dims));
                }
            }
            try {
                voxelCountOf(dims);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^63 voxels", e);
            }
            this.shape = dims.clone();
            return this;
        }

        public Builder dataType(NiftiDataType type) {
            this.dataType = Objects.requireNonNull(type, "dataType");
            return this;
        }

        /** All eight pixdim entries; pixdim[0] is qfac (±1), pixdim[1..3] the voxel sizes. */
        public Builder pixdim(double[] values) {
            if (values == null || values.length != 8) {
                throw new IllegalArgumentException("pixdim must have 8 entries, got " + Arrays.toString(values));
            }
            this.pixdim = values.clone();
            return this;
        }

        /** Sets pixdim[1..n] from voxel sizes, keeping pixdim[0] and the rest. */
        public Builder spacing(double... sizes) {
            if (sizes == null || sizes.length > MAX_DIMS) {
                throw new IllegalArgumentException("spacing must have at most " + MAX_DIMS + " entries, got "
                        + Arrays.toString(sizes));
            }
            System.arraycopy(sizes, 0, pixdim, 1, sizes.length);
            return this;
        }

        /** Data offset in bytes; -1 (the default) lets the writer choose the smallest valid offset. */
        public Builder voxOffset(long offset) {
            if (offset < -1) {
                throw new IllegalArgumentException("voxOffset must be >= 0 (or -1 = automatic), got " + offset);
            }
            this.voxOffset = offset;
            return this;
        }

        /** Scaling: value = raw · slope + intercept; slope 0 or NaN means no scaling. */
        public Builder scaling(double slope, double intercept) {
            if (Double.isInfinite(slope) || Double.isInfinite(intercept)) {
                throw new IllegalArgumentException("scl_slope/scl_inter must be finite (or slope NaN/0 = none), got "
                        + slope + "/" + intercept);
            }
            this.sclSlope = slope;
            this.sclInter = intercept;
            return this;
        }

        /** The quaternion orientation: code, (b, c, d), offset; qfac and voxel sizes live in pixdim. */
        public Builder qform(int code, double b, double c, double d, double[] offset) {
            if (offset == null || offset.length != 3) {
                throw new IllegalArgumentException("qform offset must have 3 entries, got " + Arrays.toString(offset));
            }
            this.qformCode = checkXformCode("qform_code", code);
            this.quatern = new double[] {b, c, d};
            this.qoffset = offset.clone();
            return this;
        }

        /** The sform: code and the first three rows of the affine (3×4 or 4×4). */
        public Builder sform(int code, double[][] rows) {
            if (rows == null || rows.length < 3) {
                throw new IllegalArgumentException("sform needs at least 3 rows of 4, got "
                        + (rows == null ? "null" : rows.length + " rows"));
            }
            double[][] s = new double[3][];
            for (int r = 0; r < 3; r++) {
                if (rows[r] == null || rows[r].length != 4) {
                    throw new IllegalArgumentException("sform row " + r + " must have 4 entries, got "
                            + Arrays.toString(rows[r]));
                }
                s[r] = rows[r].clone();
            }
            this.sformCode = checkXformCode("sform_code", code);
            this.srow = s;
            return this;
        }

        /** Sets qform_code (e.g. 0 to switch the qform off). */
        public Builder qformCode(int code) {
            this.qformCode = checkXformCode("qform_code", code);
            return this;
        }

        /** Sets sform_code (e.g. 0 to switch the sform off). */
        public Builder sformCode(int code) {
            this.sformCode = checkXformCode("sform_code", code);
            return this;
        }

        /**
         * Sets the orientation from a voxel-to-world affine: the sform with {@code code}, pixdim[1..3] from the
         * column lengths, and a matching qform (same code, qfac in pixdim[0]) when the affine is a rotation times a
         * scaling; otherwise qform_code 0.
         *
         * Check {@code build().qformCode()} to see whether a qform was set.
         */
        public Builder affine(double[][] affine, int code) {
            checkAffine(affine);
            sform(code, affine);
            QuaternionForm q = QuaternionForm.fromAffine(affine);
            if (q == null) {
                this.qformCode = 0;
                for (int col = 0; col < 3; col++) {
                    double n = Math.sqrt(affine[0][col] * affine[0][col] + affine[1][col] * affine[1][col]
                            + affine[2][col] * affine[2][col]);
                    pixdim[col + 1] = n > 0 ? n : 1;
                }
                return this;
            }
            pixdim[0] = q.qfac;
            System.arraycopy(q.zooms, 0, pixdim, 1, 3);
            return qform(code, q.b, q.c, q.d, new double[] {affine[0][3], affine[1][3], affine[2][3]});
        }

        public Builder intent(int code, double p1, double p2, double p3, String name) {
            this.intentCode = code;
            this.intentParams = new double[] {p1, p2, p3};
            this.intentName = text("intentName", name, 16);
            return this;
        }

        /** dim_info, slice_code, slice_start, slice_end, slice_duration (slice timing metadata, carried through). */
        public Builder sliceInfo(int dimInfo, int sliceCode, long sliceStart, long sliceEnd, double sliceDuration) {
            this.dimInfo = dimInfo;
            this.sliceCode = sliceCode;
            this.sliceStart = sliceStart;
            this.sliceEnd = sliceEnd;
            this.sliceDuration = sliceDuration;
            return this;
        }

        public Builder toffset(double value) {
            this.toffset = value;
            return this;
        }

        public Builder xyztUnits(int units) {
            this.xyztUnits = units;
            return this;
        }

        /** cal_min, cal_max: the display range. */
        public Builder calibration(double min, double max) {
            this.calMin = min;
            this.calMax = max;
            return this;
        }

        /** The descrip field, at most 80 Latin-1 characters. */
        public Builder description(String text) {
            this.description = text("description", text, 80);
            return this;
        }

        /** The aux_file field, at most 24 Latin-1 characters. */
        public Builder auxFile(String text) {
            this.auxFile = text("auxFile", text, 24);
            return this;
        }

        /**
         * @throws IllegalArgumentException when shape or data type is missing
         */
        public NiftiHeader build() {
            if (shape == null) {
                throw new IllegalArgumentException("shape is not set; call shape(nx, ny, nz, ...)");
            }
            if (dataType == null) {
                throw new IllegalArgumentException("dataType is not set; call dataType(NiftiDataType.X)");
            }
            try {
                Math.multiplyExact(voxelCountOf(shape), (long) dataType.bytesPerVoxel());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dataType
                        + " needs more than 2^63 bytes", e);
            }
            return new NiftiHeader(this);
        }

        private static long voxelCountOf(int[] dims) {
            long n = 1;
            for (int d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        private static int checkXformCode(String field, int code) {
            if (code < 0 || code > 5) {
                throw new IllegalArgumentException(field + " must be 0..5 (0 unknown, 1 scanner, 2 aligned, 3 talairach,"
                        + " 4 mni152, 5 template), got " + code);
            }
            return code;
        }

        private static String text(String field, String value, int max) {
            Objects.requireNonNull(value, field);
            if (value.length() > max || !value.chars().allMatch(ch -> ch > 0 && ch < 256)) {
                throw new IllegalArgumentException(field + " must be at most " + max
                        + " Latin-1 characters without NUL, got \"" + value + "\"");
            }
            return value;
        }
    }

    static void checkAffine(double[][] affine) {
        if (affine == null || affine.length < 3) {
            throw new IllegalArgumentException("affine must be a 4x4 (or 3x4) matrix, got "
                    + (affine == null ? "null" : affine.length + " rows"));
        }
        for (int r = 0; r < 3; r++) {
            if (affine[r] == null || affine[r].length != 4) {
                throw new IllegalArgumentException("affine row " + r + " must have 4 entries, got "
                        + Arrays.toString(affine[r]));
            }
            for (double v : affine[r]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("affine entries must be finite, row " + r + " is "
                            + Arrays.toString(affine[r]));
                }
            }
        }
    }
}
