package dev.coin.data.nifti;

import java.util.Arrays;
import java.util.Objects;

/**
 * A NIfTI image in memory: its {@link NiftiHeader} and the raw voxels in the file's own datatype (int16 costs two
 * bytes per voxel). Values handed out are scaled ({@code raw · scl_slope + scl_inter}, when scaling is on) and in
 * NIfTI order: the first axis varies fastest, flat index {@code i + n1·(j + n2·(k + ...))}. Immutable.
 *
 * <pre>{@code
 * NiftiImage ct = NiftiReader.read(Path.of("case_00000.nii.gz"));
 * int[] shape = ct.shape();                 // e.g. {512, 512, 611}
 * double hu = ct.get(256, 256, 300);        // scaled value
 * float[] all = ct.toFloatArray();          // scaled, flat
 *
 * NiftiImage labels = NiftiImage.builder().shape(4, 4, 2).uint8(new byte[32]).affine(ct.affine()).build();
 * NiftiWriter.defaults().write(labels, Path.of("labels.nii.gz"));
 * }</pre>
 */
public final class NiftiImage {
    private final NiftiHeader header;
    private final VoxelData data;
    private final int[] shape;
    private final double slope;
    private final double inter;

    /** Takes ownership of {@code data}; the header's shape and datatype must match it. */
    NiftiImage(NiftiHeader header, VoxelData data) {
        if (header.voxelCount() != data.length() || header.dataType() != data.type()) {
            throw new IllegalArgumentException("header " + header + " does not match " + data.length() + " voxels of "
                    + data.type());
        }
        this.header = header;
        this.data = data;
        this.shape = header.shape();
        this.slope = header.effectiveSlope();
        this.inter = header.effectiveInter();
    }

    /** A builder for images made from Java arrays. */
    public static Builder builder() {
        return new Builder();
    }

    public NiftiHeader header() {
        return header;
    }

    /** dim[1..ndim], a copy. */
    public int[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    public long voxelCount() {
        return data.length();
    }

    /** The datatype of the stored (raw) voxels. */
    public NiftiDataType dataType() {
        return data.type();
    }

    /** Voxel sizes pixdim[1..ndim]. */
    public double[] spacing() {
        return header.spacing();
    }

    /** Voxel-to-world matrix, see {@link NiftiHeader#affine()}; a fresh copy. */
    public double[][] affine() {
        return header.affine();
    }

    /**
     * The scaled value at a flat index (first axis fastest).
     *
     * @throws IndexOutOfBoundsException naming the index and the voxel count
     */
    public double getDouble(long flatIndex) {
        return data.raw(checkFlat(flatIndex)) * slope + inter;
    }

    /**
     * The scaled value at a voxel index with one entry per dimension.
     *
     * @throws IllegalArgumentException  when the number of indices is not {@link #ndim()}
     * @throws IndexOutOfBoundsException naming the axis and the bad index
     */
    public double get(int... index) {
        return data.raw((int) flatIndex(index)) * slope + inter;
    }

    /** The stored value before scaling, as a double (exact except int64 beyond 2^53). */
    public double getRaw(long flatIndex) {
        return data.raw(checkFlat(flatIndex));
    }

    /** The stored integer before scaling, exact for every integer type including int64 and uint32. */
    public long getRawLong(long flatIndex) {
        return data.rawLong(checkFlat(flatIndex));
    }

    /** The flat index of a voxel index (first axis fastest). */
    public long flatIndex(int... index) {
        Objects.requireNonNull(index, "index");
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index needs " + shape.length + " entries for shape "
                    + Arrays.toString(shape) + ", got " + Arrays.toString(index));
        }
        int flat = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index[" + d + "] = " + index[d] + " is outside 0.."
                        + (shape[d] - 1) + " for shape " + Arrays.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    /** All scaled values as floats, flat, first axis fastest (NaN kept). */
    public float[] toFloatArray() {
        float[] out = new float[data.length()];
        data.scaledTo(out, slope, inter);
        return out;
    }

    /** All scaled values as doubles, flat, first axis fastest. */
    public double[] toDoubleArray() {
        int n = data.length();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = data.raw(i) * slope + inter;
        }
        return out;
    }

    /** True when both images store the same datatype, shape and bit-identical raw voxels (headers may differ). */
    public boolean sameVoxels(NiftiImage other) {
        return Arrays.equals(shape, other.shape) && data.sameAs(other.data);
    }

    /** The same voxels with another header (same shape and datatype), e.g. after changing the description. */
    public NiftiImage withHeader(NiftiHeader newHeader) {
        if (!Arrays.equals(newHeader.shape(), shape) || newHeader.dataType() != data.type()) {
            throw new IllegalArgumentException("newHeader must keep shape " + Arrays.toString(shape) + " and datatype "
                    + data.type() + ", got " + newHeader);
        }
        return new NiftiImage(newHeader, data);
    }

    VoxelData data() {
        return data;
    }

    private int checkFlat(long flatIndex) {
        if (flatIndex < 0 || flatIndex >= data.length()) {
            throw new IndexOutOfBoundsException("flatIndex " + flatIndex + " is outside 0.." + (data.length() - 1));
        }
        return (int) flatIndex;
    }

    @Override
    public String toString() {
        return "NiftiImage" + Arrays.toString(shape) + " " + data.type().name().toLowerCase() + " " + header;
    }

    /**
     * Builds an image from a shape, one typed array and optional geometry. The array is copied. Geometry: an
     * {@link #affine(double[][])} (sets sform, a matching qform and pixdim), or only {@link #spacing(double...)}
     * (no orientation codes; the affine is then the pixdim diagonal), or a template {@link #header(NiftiHeader)}
     * whose metadata and geometry are kept.
     */
    public static final class Builder {
        private NiftiHeader template;
        private int[] shape;
        private VoxelData data;
        private double[][] affine;
        private int xformCode = 1;
        private double[] spacing;
        private double slope = 1;
        private double inter;
        private String description;

        private Builder() {
        }

        /** Start from this header's metadata and geometry (shape, datatype and scaling come from this builder). */
        public Builder header(NiftiHeader header) {
            this.template = Objects.requireNonNull(header, "header");
            return this;
        }

        /** dim[1..ndim] (1 to 7 entries, each &gt; 0). */
        public Builder shape(int... dims) {
            this.shape = Objects.requireNonNull(dims, "shape").clone();
            return this;
        }

        public Builder uint8(byte[] values) {
            return data(VoxelData.ofBytes(NiftiDataType.UINT8, values.clone()));
        }

        public Builder int8(byte[] values) {
            return data(VoxelData.ofBytes(NiftiDataType.INT8, values.clone()));
        }

        public Builder int16(short[] values) {
            return data(VoxelData.ofShorts(NiftiDataType.INT16, values.clone()));
        }

        /** Unsigned 16-bit values in their bit pattern ({@code (short) 65535} is 65535). */
        public Builder uint16(short[] values) {
            return data(VoxelData.ofShorts(NiftiDataType.UINT16, values.clone()));
        }

        public Builder int32(int[] values) {
            return data(VoxelData.ofInts(NiftiDataType.INT32, values.clone()));
        }

        /** Unsigned 32-bit values in their bit pattern ({@code -1} is 4294967295). */
        public Builder uint32(int[] values) {
            return data(VoxelData.ofInts(NiftiDataType.UINT32, values.clone()));
        }

        public Builder int64(long[] values) {
            return data(VoxelData.ofLongs(values.clone()));
        }

        public Builder float32(float[] values) {
            return data(VoxelData.ofFloats(values.clone()));
        }

        public Builder float64(double[] values) {
            return data(VoxelData.ofDoubles(values.clone()));
        }

        private Builder data(VoxelData d) {
            this.data = d;
            return this;
        }

        /** Voxel-to-world matrix (4×4 or 3×4), written as sform and (when it has no shear) qform with code 1. */
        public Builder affine(double[][] matrix) {
            return affine(matrix, 1);
        }

        /** As {@link #affine(double[][])} with an explicit xform code (1 scanner, 2 aligned, 3 talairach, 4 mni). */
        public Builder affine(double[][] matrix, int code) {
            NiftiHeader.checkAffine(matrix);
            if (code < 1 || code > 5) {
                throw new IllegalArgumentException("xform code must be 1..5 for an affine, got " + code);
            }
            this.affine = matrix;
            this.xformCode = code;
            return this;
        }

        /** Voxel sizes (pixdim[1..n]); used when no affine is given. */
        public Builder spacing(double... sizes) {
            this.spacing = Objects.requireNonNull(sizes, "spacing").clone();
            return this;
        }

        /** Scaling stored with the raw values: value = raw · slope + intercept (slope 0 or NaN = none). */
        public Builder scaling(double slope, double intercept) {
            this.slope = slope;
            this.inter = intercept;
            return this;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /**
         * @throws IllegalArgumentException when shape or data is missing or their sizes disagree
         */
        public NiftiImage build() {
            if (shape == null) {
                throw new IllegalArgumentException("shape is not set; call shape(nx, ny, nz, ...)");
            }
            if (data == null) {
                throw new IllegalArgumentException("voxel data is not set; call float32(..), int16(..), uint8(..) ...");
            }
            NiftiHeader.Builder h = template == null ? NiftiHeader.builder() : template.toBuilder();
            h.shape(shape).dataType(data.type()).scaling(slope, inter).voxOffset(-1);
            long n = h.build().voxelCount();
            if (n != data.length()) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                        + " voxels, the data array has " + data.length());
            }
            if (affine != null) {
                h.affine(affine, xformCode);
            } else if (spacing != null) {
                h.spacing(spacing);
            }
            if (description != null) {
                h.description(description);
            }
            return new NiftiImage(h.build(), data);
        }
    }
}
