package dev.coin.data.synth;

/**
 * The volume being painted: HU and tissue arrays in NIfTI order plus the mapping from voxels to the canonical
 * anatomical frame. Shapes are visited only inside their bounding boxes, so painting costs O(voxels touched).
 */
final class VoxelCanvas {
    /** Receives each voxel inside a shape. */
    @FunctionalInterface
    interface Visitor {
        /**
         * @param index flat voxel index
         * @param plane in-plane index {@code i + nx * j}
         * @param k     slice index
         * @param q     normalised squared radius of the voxel in the shape (&lt; qMax)
         */
        void visit(int index, int plane, int k, double q);
    }

    final int nx;
    final int ny;
    final int nz;
    final int planeSize;
    /** In-plane spacing in mm. */
    final double sp;
    /** Slice spacing in mm. */
    final double dz;
    final float[] hu;
    final byte[] tissue;
    /** Canonical u, v (mm) of each in-plane pixel. */
    final double[] u;
    final double[] v;
    private final double ox;
    private final double oy;
    private final double cos;
    private final double sin;

    /**
     * @param ox   body centre offset (mm, toward the patient's left) from the image centre
     * @param oy   body centre offset (mm, posterior)
     * @param theta in-plane rotation of the anatomy (radians)
     */
    VoxelCanvas(int nx, int ny, int nz, double sp, double dz, double ox, double oy, double theta) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.planeSize = nx * ny;
        this.sp = sp;
        this.dz = dz;
        this.hu = new float[planeSize * nz];
        this.tissue = new byte[planeSize * nz];
        this.ox = ox;
        this.oy = oy;
        this.cos = Math.cos(theta);
        this.sin = Math.sin(theta);
        this.u = new double[planeSize];
        this.v = new double[planeSize];
        for (int j = 0; j < ny; j++) {
            double y = (j - (ny - 1) / 2.0) * sp - oy;
            for (int i = 0; i < nx; i++) {
                double x = (i - (nx - 1) / 2.0) * sp - ox;
                u[i + nx * j] = cos * x + sin * y;
                v[i + nx * j] = -sin * x + cos * y;
            }
        }
    }

    /** Canonical z (mm) of slice {@code k}: 0 at the first slice. */
    double z(int k) {
        return k * dz;
    }

    /** Fractional voxel column {@code i} of canonical point (u, v). */
    double voxelI(double cu, double cv) {
        double x = cos * cu - sin * cv + ox;
        return x / sp + (nx - 1) / 2.0;
    }

    /** Fractional voxel row {@code j} of canonical point (u, v). */
    double voxelJ(double cu, double cv) {
        double y = sin * cu + cos * cv + oy;
        return y / sp + (ny - 1) / 2.0;
    }

    /** Fractional slice index of canonical height z. */
    double voxelK(double cz) {
        return cz / dz;
    }

    /** Visits every voxel with {@code e.q(...) < qMax}, scanning only the shape's bounding box. */
    void visit(Ellipsoid e, double qMax, Visitor visitor) {
        int k0;
        int k1;
        if (e.c == Double.POSITIVE_INFINITY) {
            k0 = 0;
            k1 = nz - 1;
        } else {
            double half = e.c * Math.sqrt(qMax);
            k0 = Math.max(0, (int) Math.ceil((e.cz - half) / dz));
            k1 = Math.min(nz - 1, (int) Math.floor((e.cz + half) / dz));
        }
        double ci = voxelI(e.cu, e.cv);
        double cj = voxelJ(e.cu, e.cv);
        for (int k = k0; k <= k1; k++) {
            double qz = e.qZ(z(k));
            double rest = qMax - qz;
            if (rest <= 0) {
                continue;
            }
            // The in-plane section lies in the disc of radius maxAxis·√rest around the centre (any rotation).
            double r = e.maxInPlaneAxis() * Math.sqrt(rest) / sp + 1;
            int i0 = Math.max(0, (int) Math.floor(ci - r));
            int i1 = Math.min(nx - 1, (int) Math.ceil(ci + r));
            int j0 = Math.max(0, (int) Math.floor(cj - r));
            int j1 = Math.min(ny - 1, (int) Math.ceil(cj + r));
            int base = planeSize * k;
            for (int j = j0; j <= j1; j++) {
                for (int i = i0; i <= i1; i++) {
                    int p = i + nx * j;
                    double q = e.qInPlane(u[p], v[p]) + qz;
                    if (q < qMax) {
                        visitor.visit(base + p, p, k, q);
                    }
                }
            }
        }
    }

    void set(int index, byte t, double value) {
        tissue[index] = t;
        hu[index] = (float) value;
    }
}
