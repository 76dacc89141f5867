package dev.coin.data.nifti;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Raw (unscaled) voxel values stored compactly in a primitive array of the file's datatype, so an int16 volume
 * costs 2 bytes per voxel and write→read round trips are bit exact. Unsigned types live in the signed array of the
 * same width and are widened on access. Bulk conversion to and from bytes goes through {@link ByteBuffer} views
 * (one call per chunk, never per voxel).
 */
abstract class VoxelData {
    private final NiftiDataType type;

    private VoxelData(NiftiDataType type) {
        this.type = type;
    }

    final NiftiDataType type() {
        return type;
    }

    /** Number of voxels. */
    abstract int length();

    /** Raw value at {@code i} as a double (exact except int64 beyond 2^53). */
    abstract double raw(int i);

    /** Raw value at {@code i} as a long: exact for every integer type; floats are truncated toward zero. */
    abstract long rawLong(int i);

    /** Stores an already rounded, in-range raw value. */
    abstract void set(int i, double raw);

    /** Decodes {@code count} voxels from {@code src} (position 0, byte order set) into {@code [offset, offset+count)}. */
    abstract void decode(ByteBuffer src, int offset, int count);

    /** Encodes {@code count} voxels starting at {@code offset} into {@code dst} (position 0, byte order set). */
    abstract void encode(ByteBuffer dst, int offset, int count);

    /** All voxels as {@code raw * slope + inter} in double precision, rounded to float. */
    void scaledTo(float[] dst, double slope, double inter) {
        int n = length();
        for (int i = 0; i < n; i++) {
            dst[i] = (float) (raw(i) * slope + inter);
        }
    }

    /** True when both hold the same type and bit-identical values. */
    abstract boolean sameAs(VoxelData other);

    static VoxelData allocate(NiftiDataType type, int count) {
        return switch (type) {
            case UINT8, INT8 -> new Bytes(type, new byte[count]);
            case INT16, UINT16 -> new Shorts(type, new short[count]);
            case INT32, UINT32 -> new Ints(type, new int[count]);
            case INT64 -> new Longs(new long[count]);
            case FLOAT32 -> new Floats(new float[count]);
            case FLOAT64 -> new Doubles(new double[count]);
        };
    }

    static VoxelData ofBytes(NiftiDataType type, byte[] values) {
        return new Bytes(type, values);
    }

    static VoxelData ofShorts(NiftiDataType type, short[] values) {
        return new Shorts(type, values);
    }

    static VoxelData ofInts(NiftiDataType type, int[] values) {
        return new Ints(type, values);
    }

    static VoxelData ofLongs(long[] values) {
        return new Longs(values);
    }

    static VoxelData ofFloats(float[] values) {
        return new Floats(values);
    }

    static VoxelData ofDoubles(double[] values) {
        return new Doubles(values);
    }

    private static final class Bytes extends VoxelData {
        private final byte[] v;
        private final boolean unsigned;

        Bytes(NiftiDataType type, byte[] v) {
            super(type);
            this.v = v;
            this.unsigned = type == NiftiDataType.UINT8;
        }

        @Override
        int length() {
            return v.length;
        }

        @Override
        double raw(int i) {
            return unsigned ? v[i] & 0xFF : v[i];
        }

        @Override
        long rawLong(int i) {
            return unsigned ? v[i] & 0xFF : v[i];
        }

        @Override
        void set(int i, double raw) {
            v[i] = (byte) (int) raw;
        }

        @Override
        void decode(ByteBuffer src, int offset, int count) {
            src.get(v, offset, count);
        }

        @Override
        void encode(ByteBuffer dst, int offset, int count) {
            dst.put(v, offset, count);
        }

        @Override
        void scaledTo(float[] dst, double slope, double inter) {
            if (unsigned) {
                for (int i = 0; i < v.length; i++) {
                    dst[i] = (float) ((v[i] & 0xFF) * slope + inter);
                }
            } else {
                for (int i = 0; i < v.length; i++) {
                    dst[i] = (float) (v[i] * slope + inter);
                }
            }
        }

        @Override
        boolean sameAs(VoxelData other) {
            return other instanceof Bytes o && o.type() == type() && Arrays.equals(v, o.v);
        }
    }

    private static final class Shorts extends VoxelData {
        private final short[] v;
        private final boolean unsigned;

        Shorts(NiftiDataType type, short[] v) {
            super(type);
            this.v = v;
            this.unsigned = type == NiftiDataType.UINT16;
        }

        @Override
        int length() {
            return v.length;
        }

        @Override
        double raw(int i) {
            return unsigned ? v[i] & 0xFFFF : v[i];
        }

        @Override
        long rawLong(int i) {
            return unsigned ? v[i] & 0xFFFF : v[i];
        }

        @Override
        void set(int i, double raw) {
            v[i] = (short) (int) raw;
        }

        @Override
        void decode(ByteBuffer src, int offset, int count) {
            src.asShortBuffer().get(v, offset, count);
        }

        @Override
        void encode(ByteBuffer dst, int offset, int count) {
            dst.asShortBuffer().put(v, offset, count);
        }

        @Override
        void scaledTo(float[] dst, double slope, double inter) {
            if (unsigned) {
                for (int i = 0; i < v.length; i++) {
                    dst[i] = (float) ((v[i] & 0xFFFF) * slope + inter);
                }
            } else {
                for (int i = 0; i < v.length; i++) {
                    dst[i] = (float) (v[i] * slope + inter);
                }
            }
        }

        @Override
        boolean sameAs(VoxelData other) {
            return other instanceof Shorts o && o.type() == type() && Arrays.equals(v, o.v);
        }
    }

    private static final class Ints extends VoxelData {
        private final int[] v;
        private final boolean unsigned;

        Ints(NiftiDataType type, int[] v) {
            super(type);
            this.v = v;
            this.unsigned = type == NiftiDataType.UINT32;
        }

        @Override
        int length() {
            return v.length;
        }

        @Override
        double raw(int i) {
            return unsigned ? v[i] & 0xFFFFFFFFL : v[i];
        }

        @Override
        long rawLong(int i) {
            return unsigned ? v[i] & 0xFFFFFFFFL : v[i];
        }

        @Override
        void set(int i, double raw) {
            v[i] = (int) (long) raw; // via long so uint32 values above 2^31 wrap to their bit pattern
        }

        @Override
        void decode(ByteBuffer src, int offset, int count) {
            src.asIntBuffer().get(v, offset, count);
        }

        @Override
        void encode(ByteBuffer dst, int offset, int count) {
            dst.asIntBuffer().put(v, offset, count);
        }

        @Override
        boolean sameAs(VoxelData other) {
            return other instanceof Ints o && o.type() == type() && Arrays.equals(v, o.v);
        }
    }

    private static final class Longs extends VoxelData {
        private final long[] v;

        Longs(long[] v) {
            super(NiftiDataType.INT64);
            this.v = v;
        }

        @Override
        int length() {
            return v.length;
        }

        @Override
        double raw(int i) {
            return v[i];
        }

        @Override
        long rawLong(int i) {
            return v[i];
        }

        @Override
        void set(int i, double raw) {
            v[i] = (long) raw;
        }

        @Override
        void decode(ByteBuffer src, int offset, int count) {
            src.asLongBuffer().get(v, offset, count);
        }

        @Override
        void encode(ByteBuffer dst, int offset, int count) {
            dst.asLongBuffer().put(v, offset, count);
        }

        @Override
        boolean sameAs(VoxelData other) {
            return other instanceof Longs o && Arrays.equals(v, o.v);
        }
    }

    private static final class Floats extends VoxelData {
        private final float[] v;

        Floats(float[] v) {
            super(NiftiDataType.FLOAT32);
            this.v = v;
        }

        @Override
        int length() {
            return v.length;
        }

        @Override
        double raw(int i) {
            return v[i];
        }

        @Override
        long rawLong(int i) {
            return (long) v[i];
        }

        @Override
        void set(int i, double raw) {
            v[i] = (float) raw;
        }

        @Override
        void decode(ByteBuffer src, int offset, int count) {
            src.asFloatBuffer().get(v, offset, count);
        }

        @Override
        void encode(ByteBuffer dst, int offset, int count) {
            dst.asFloatBuffer().put(v, offset, count);
        }

        @Override
        void scaledTo(float[] dst, double slope, double inter) {
            if (slope == 1 && inter == 0) {
                System.arraycopy(v, 0, dst, 0, v.length);
                return;
            }
            for (int i = 0; i < v.length; i++) {
                dst[i] = (float) (v[i] * slope + inter);
            }
        }

        @Override
        boolean sameAs(VoxelData other) {
            // Arrays.equals compares floatToIntBits, so NaN equals NaN and -0 differs from 0, as a file comparison should.
            return other instanceof Floats o && Arrays.equals(v, o.v);
        }
    }

    private static final class Doubles extends VoxelData {
        private final double[] v;

        Doubles(double[] v) {
            super(NiftiDataType.FLOAT64);
            this.v = v;
        }

        @Override
        int length() {
            return v.length;
        }

        @Override
        double raw(int i) {
            return v[i];
        }

        @Override
        long rawLong(int i) {
            return (long) v[i];
        }

        @Override
        void set(int i, double raw) {
            v[i] = raw;
        }

        @Override
        void decode(ByteBuffer src, int offset, int count) {
            src.asDoubleBuffer().get(v, offset, count);
        }

        @Override
        void encode(ByteBuffer dst, int offset, int count) {
            dst.asDoubleBuffer().put(v, offset, count);
        }

        @Override
        boolean sameAs(VoxelData other) {
            return other instanceof Doubles o && Arrays.equals(v, o.v);
        }
    }
}
