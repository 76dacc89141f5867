package dev.coin.data.volume;

import java.util.Arrays;

/**
 * Which voxel axis of a volume runs along the body's superior–inferior direction, i.e. the axis whose index
 * selects an axial slice.
 *
 * <p>{@link #detect(double[][])} reads it from the voxel-to-world affine: column {@code d} of the affine's 3×3 part
 * is the world direction of voxel axis {@code d}, and the axial axis is the one whose direction is most aligned
 * with world z (superior–inferior in both RAS and LPS conventions). Some datasets carry affines that do not describe
 * their voxel layout (KiTS19 stores the axial axis first); use {@link #fixed(int)} for those.
 *
 * <p>The two remaining axes are the in-plane axes, in increasing voxel-axis order
 * ({@link #firstInPlaneAxis()} &lt; {@link #secondInPlaneAxis()}); how they map to image rows and columns is
 * decided in one place, {@code dev.coin.data.slice.SliceOrientation}.
 *
 * <pre>{@code
 * AxialAxis a = AxialAxis.detect(volume.affine());   // e.g. AxialAxis[axis=2, superior towards +k, from affine]
 * int slices = a.sliceCount(volume);
 * AxialAxis kits = AxialAxis.fixed(0);               // KiTS19: axial axis first, whatever the affine says
 * }</pre>
 */
public final class AxialAxis {
    /** Two axes whose alignment with world z differs by less than this are a tie: the choice would be arbitrary. */
    static final double TIE_TOLERANCE = 1e-6;

    private final int axis;
    private final int superiorSign;
    private final boolean fromAffine;

    private AxialAxis(int axis, int superiorSign, boolean fromAffine) {
        this.axis = axis;
        this.superiorSign = superiorSign;
        this.fromAffine = fromAffine;
    }

    /**
     * An axial axis fixed by hand (ignoring the affine). Its superior direction is unknown ({@link #superiorSign()}
     * is 0), because the affine of a file that needs an override is not trusted.
     *
     * @param axis voxel axis 0, 1 or 2
     */
    public static AxialAxis fixed(int axis) {
        checkAxis(axis, "axis");
        return new AxialAxis(axis, 0, false);
    }

    /** The axial axis of a volume, read from its affine ({@link #detect(double[][])}). */
    public static AxialAxis detect(Volume volume) {
        return detect(volume.affine());
    }

    /**
     * The voxel axis whose world direction has the largest |cos| with world z.
     *
     * @param affine 4×4 (or at least 3×3 upper-left) voxel-to-world matrix
     * @throws IllegalArgumentException if a direction column is zero or not finite, or if two axes are equally
     *                                  aligned with world z (e.g. a 45° oblique acquisition): fix the axis with
     *                                  {@link #fixed(int)} then
     */
    public static AxialAxis detect(double[][] affine) {
        if (affine == null || affine.length < 3) {
            throw new IllegalArgumentException("affine must be a 4x4 voxel-to-world matrix, got "
                    + (affine == null ? "null" : affine.length + " rows"));
        }
        double[] cos = new double[3];
        for (int d = 0; d < 3; d++) {
            double x = entry(affine, 0, d);
            double y = entry(affine, 1, d);
            double z = entry(affine, 2, d);
            double norm = Math.sqrt(x * x + y * y + z * z);
            if (!(norm > 0) || Double.isInfinite(norm)) {
                throw new IllegalArgumentException("affine column " + d + " (direction of voxel axis " + d
                        + ") is " + Arrays.toString(new double[] {x, y, z})
                        + "; the axial axis cannot be derived from it: set it explicitly (AxialAxis.fixed(k) or "
                        + "SliceConfig.builder().axialAxis(k))");
            }
            cos[d] = Math.abs(z) / norm;
        }
        int best = 0;
        for (int d = 1; d < 3; d++) {
            if (cos[d] > cos[best]) {
                best = d;
            }
        }
        for (int d = 0; d < 3; d++) {
            if (d != best && cos[best] - cos[d] < TIE_TOLERANCE) {
                throw new IllegalArgumentException("affine is ambiguous about the axial axis: voxel axes " + best
                        + " and " + d + " are equally aligned with world z (|cos| = " + Arrays.toString(cos)
                        + "); set the axial axis explicitly (AxialAxis.fixed(k) or SliceConfig.builder().axialAxis(k))");
            }
        }
        int sign = (int) Math.signum(entry(affine, 2, best));
        return new AxialAxis(best, sign, true);
    }

    private static double entry(double[][] affine, int row, int col) {
        if (affine[row] == null || affine[row].length < 3) {
            throw new IllegalArgumentException("affine row " + row + " must have 4 entries, got "
                    + Arrays.toString(affine[row]));
        }
        return affine[row][col];
    }

    private static void checkAxis(int axis, String name) {
        if (axis < 0 || axis > 2) {
            throw new IllegalArgumentException(name + " must be a voxel axis 0, 1 or 2, got " + axis);
        }
    }

    /** The voxel axis (0, 1 or 2) whose index is the slice index. */
    public int axis() {
        return axis;
    }

    /** The lower-numbered of the two in-plane voxel axes. */
    public int firstInPlaneAxis() {
        return axis == 0 ? 1 : 0;
    }

    /** The higher-numbered of the two in-plane voxel axes. */
    public int secondInPlaneAxis() {
        return axis == 2 ? 1 : 2;
    }

    /**
     * +1 if increasing the slice index moves towards world +z (superior), −1 if it moves inferior, 0 if unknown
     * (axis fixed by hand). Slices are always indexed by voxel index; this sign only tells which end is the head.
     */
    public int superiorSign() {
        return superiorSign;
    }

    /** True when the axis was read from an affine, false when it was fixed by hand. */
    public boolean fromAffine() {
        return fromAffine;
    }

    /** Number of axial slices of {@code volume}: its size along {@link #axis()}. */
    public int sliceCount(Volume volume) {
        return volume.size(axis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AxialAxis a && a.axis == axis && a.superiorSign == superiorSign
                && a.fromAffine == fromAffine;
    }

    @Override
    public int hashCode() {
        return (axis * 3 + superiorSign + 1) * 2 + (fromAffine ? 1 : 0);
    }

    @Override
    public String toString() {
        String dir = superiorSign > 0 ? "superior towards +k" : superiorSign < 0 ? "superior towards -k"
                : "superior direction unknown";
        return "AxialAxis[axis=" + axis + ", " + dir + ", " + (fromAffine ? "from affine" : "fixed") + "]";
    }
}
