package dev.coin.data.nifti;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The voxel datatypes this package reads and writes, with their NIfTI {@code datatype} codes. Complex, RGB and
 * 128-bit types exist in the standard but are rejected with a {@link NiftiFormatException}.
 */
public enum NiftiDataType {
    UINT8(2, 1, true, 0, 255),
    INT16(4, 2, true, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(8, 4, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 4, false, -Float.MAX_VALUE, Float.MAX_VALUE),
    FLOAT64(64, 8, false, -Double.MAX_VALUE, Double.MAX_VALUE),
    INT8(256, 1, true, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT16(512, 2, true, 0, 65535),
    UINT32(768, 4, true, 0, 4294967295.0),
    INT64(1024, 8, true, Long.MIN_VALUE, Long.MAX_VALUE);

    private final int code;
    private final int bytes;
    private final boolean integer;
    private final double min;
    private final double max;

    NiftiDataType(int code, int bytes, boolean integer, double min, double max) {
        this.code = code;
        this.bytes = bytes;
        this.integer = integer;
        this.min = min;
        this.max = max;
    }

    /** The NIfTI {@code datatype} code, e.g. 4 for int16. */
    public int code() {
        return code;
    }

    /** Bytes per voxel; {@code bitpix} is 8 times this. */
    public int bytesPerVoxel() {
        return bytes;
    }

    /** True for the integer types (values are rounded when written). */
    public boolean isInteger() {
        return integer;
    }

    /** Smallest raw value the type holds (for INT64 rounded to a double). */
    public double minValue() {
        return min;
    }

    /** Largest raw value the type holds (for INT64 rounded to a double). */
    public double maxValue() {
        return max;
    }

    /**
     * The type for a NIfTI code.
     *
     * @throws IllegalArgumentException for codes this package does not support (RGB24 = 128, complex, float128...)
     */
    public static NiftiDataType fromCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("datatype code " + code + " (" + describeCode(code)
                + ") is not supported; supported: " + supportedList());
    }

    /** The NIfTI name of any standard code, for messages. */
    static String describeCode(int code) {
        return switch (code) {
            case 0 -> "unknown";
            case 1 -> "binary";
            case 2 -> "uint8";
            case 4 -> "int16";
            case 8 -> "int32";
            case 16 -> "float32";
            case 32 -> "complex64";
            case 64 -> "float64";
            case 128 -> "RGB24";
            case 256 -> "int8";
            case 512 -> "uint16";
            case 768 -> "uint32";
            case 1024 -> "int64";
            case 1280 -> "uint64";
            case 1536 -> "float128";
            case 1792 -> "complex128";
            case 2048 -> "complex256";
            case 2304 -> "RGBA32";
            default -> "not a NIfTI datatype";
        };
    }

    static String supportedList() {
        return Arrays.stream(values()).map(t -> t.name().toLowerCase() + "=" + t.code)
                .collect(Collectors.joining(", "));
    }
}
