package dev.coin.data.volume;

import java.util.Arrays;
import java.util.Objects;

/**
 * A 3-D scalar volume: voxel values in NIfTI order (the first voxel axis varies fastest), the voxel spacing and
 * the voxel-to-world affine. CT volumes hold Hounsfield units, label volumes hold small integer class indices.
 *
 * <p>Flat index of voxel {@code (i, j, k)} is {@code i + nx * (j + ny * k)}. The class is immutable: the voxel
 * array is copied on the way in and never handed out; use {@link #get(int, int, int)} or {@link #copyVoxels()}.
 */
public final class Volume {
    private final String id;
    private final int nx;
    private final int ny;
    private final int nz;
    private final float[] voxels;
    private final double[] spacing;
    private final double[][] affine;

    private Volume(String id, int nx, int ny, int nz, float[] voxels, double[] spacing, double[][] affine) {
        this.id = id;
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.voxels = voxels;
        this.spacing = spacing;
        this.affine = affine;
    }

    /**
     * Creates a volume, copying every array.
     *
     * @param id      a name for messages and scan ids (e.g. the file name without extension)
     * @param shape   {nx, ny, nz}, each &gt; 0
     * @param voxels  nx·ny·nz values, first axis fastest
     * @param spacing voxel size along each axis in mm, each &gt; 0
     * @param affine  4×4 voxel-to-world matrix (world = affine · [i, j, k, 1])
     * @throws IllegalArgumentException naming the bad argument
     */
    public static Volume of(String id, int[] shape, float[] voxels, double[] spacing, double[][] affine) {
        Objects.requireNonNull(id, "id");
        if (shape == null || shape.length != 3) {
            throw new IllegalArgumentException("shape must have 3 entries {nx, ny, nz}, got " + Arrays.toString(shape));
        }
        for (int d = 0; d < 3; d++) {
            if (shape[d] <= 0) {
                throw new IllegalArgumentException("shape[" + d + "] must be > 0, got " + Arrays.toString(shape));
            }
        }
        long n = (long) shape[0] * shape[1] * shape[2];
        if (voxels == null || voxels.length != n) {
            throw new IllegalArgumentException("voxels must hold nx*ny*nz = " + n + " values for shape "
                    + Arrays.toString(shape) + ", got " + (voxels == null ? "null" : voxels.length));
        }
        if (spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException("spacing must have 3 entries, got " + Arrays.toString(spacing));
        }
        for (int d = 0; d < 3; d++) {
            if (!(spacing[d] > 0) || Double.isInfinite(spacing[d])) {
                throw new IllegalArgumentException("spacing[" + d + "] must be a positive finite size in mm, got "
                        + Arrays.toString(spacing));
            }
        }
        return new Volume(id, shape[0], shape[1], shape[2], voxels.clone(), spacing.clone(), copyAffine(affine));
    }

    /** A volume with a diagonal affine built from the spacing (voxel axes = world axes). */
    public static Volume of(String id, int[] shape, float[] voxels, double[] spacing) {
        double[][] a = new double[4][4];
        for (int d = 0; d < 3; d++) {
            a[d][d] = spacing == null || spacing.length != 3 ? 1 : spacing[d];
        }
        a[3][3] = 1;
        return of(id, shape, voxels, spacing, a);
    }

    private static double[][] copyAffine(double[][] affine) {
        if (affine == null || affine.length != 4) {
            throw new IllegalArgumentException("affine must be a 4x4 matrix, got "
                    + (affine == null ? "null" : affine.length + " rows"));
        }
        double[][] c = new double[4][];
        for (int r = 0; r < 4; r++) {
            if (affine[r] == null || affine[r].length != 4) {
                throw new IllegalArgumentException("affine must be a 4x4 matrix, row " + r + " is "
                        + Arrays.toString(affine[r]));
            }
            c[r] = affine[r].clone();
        }
        return c;
    }

    /** A volume with the same geometry (shape, spacing, affine) and other voxels, e.g. a label volume. */
    public Volume withVoxels(String newId, float[] newVoxels) {
        return of(newId, shape(), newVoxels, spacing, affine);
    }

    /** The same volume under another id (the voxel array is shared: both are immutable). */
    public Volume withId(String newId) {
        return new Volume(java.util.Objects.requireNonNull(newId, "newId"), nx, ny, nz, voxels, spacing, affine);
    }

    public String id() {
        return id;
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    /** {nx, ny, nz}. */
    public int[] shape() {
        return new int[] {nx, ny, nz};
    }

    public int size(int axis) {
        return switch (axis) {
            case 0 -> nx;
            case 1 -> ny;
            case 2 -> nz;
            default -> throw new IllegalArgumentException("axis must be 0, 1 or 2, got " + axis);
        };
    }

    public long voxelCount() {
        return voxels.length;
    }

    public float get(int i, int j, int k) {
        return voxels[i + nx * (j + ny * k)];
    }

    /** The value at a flat index (first axis fastest). */
    public float getFlat(int index) {
        return voxels[index];
    }

    /** A copy of the voxels, first axis fastest. */
    public float[] copyVoxels() {
        return voxels.clone();
    }

    /** Voxel spacing in mm per voxel axis. */
    public double[] spacing() {
        return spacing.clone();
    }

    /** Voxel-to-world affine, a copy. */
    public double[][] affine() {
        return copyAffine(affine);
    }

    /** True when both volumes have the same shape (the condition for an image/label pair). */
    public boolean sameShape(Volume other) {
        return nx == other.nx && ny == other.ny && nz == other.nz;
    }

    @Override
    public String toString() {
        return String.format("Volume[%s, %dx%dx%d, spacing %.3gx%.3gx%.3g mm]", id, nx, ny, nz,
                spacing[0], spacing[1], spacing[2]);
    }
}
