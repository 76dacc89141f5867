package dev.coin.data.nifti;

/**
 * The NIfTI "method 2" orientation: a rotation stored as the quaternion (b, c, d) with a ≥ 0 implied, voxel sizes,
 * a handedness factor {@code qfac} (stored in pixdim[0]) and an offset. Converts both ways with the formulas of the
 * NIfTI-1 standard (nifti1.h, "METHOD 2").
 */
final class QuaternionForm {
    /** Columns of a matrix that is a rotation times a diagonal scaling must be orthogonal to this tolerance. */
    static final double ORTHOGONALITY_TOLERANCE = 1e-4;

    final double b;
    final double c;
    final double d;
    final double qfac;
    final double[] zooms;

    private QuaternionForm(double b, double c, double d, double qfac, double[] zooms) {
        this.b = b;
        this.c = c;
        this.d = d;
        this.qfac = qfac;
        this.zooms = zooms;
    }

    /**
     * The 4×4 voxel-to-world matrix of a qform.
     *
     * @param pixdim header pixdim (index 0 is qfac, 1..3 the voxel sizes)
     */
    static double[][] toAffine(double b, double c, double d, double[] pixdim, double[] offset) {
        double a;
        double bb = b * b + c * c + d * d;
        double sq = 1.0 - bb;
        if (sq < 1e-7) {
            // (b, c, d) is (almost) a unit vector: a 180-degree rotation; renormalise as nifti1_io does.
            double inv = 1.0 / Math.sqrt(bb);
            b *= inv;
            c *= inv;
            d *= inv;
            a = 0;
        } else {
            a = Math.sqrt(sq);
        }
        double xd = pixdim[1] > 0 ? pixdim[1] : 1;
        double yd = pixdim[2] > 0 ? pixdim[2] : 1;
        double zd = pixdim[3] > 0 ? pixdim[3] : 1;
        if (pixdim[0] < 0) {
            zd = -zd; // qfac = -1: left-handed voxel grid
        }
        double[][] m = new double[4][4];
        m[0][0] = (a * a + b * b - c * c - d * d) * xd;
        m[0][1] = 2 * (b * c - a * d) * yd;
        m[0][2] = 2 * (b * d + a * c) * zd;
        m[1][0] = 2 * (b * c + a * d) * xd;
        m[1][1] = (a * a + c * c - b * b - d * d) * yd;
        m[1][2] = 2 * (c * d - a * b) * zd;
        m[2][0] = 2 * (b * d - a * c) * xd;
        m[2][1] = 2 * (c * d + a * b) * yd;
        m[2][2] = (a * a + d * d - c * c - b * b) * zd;
        m[0][3] = offset[0];
        m[1][3] = offset[1];
        m[2][3] = offset[2];
        m[3][3] = 1;
        return m;
    }

    /**
     * Decomposes the 3×3 part of an affine into rotation, zooms and qfac, or returns null when its columns are not
     * orthogonal (a shear, which a qform cannot express) or a column is zero.
     */
    static QuaternionForm fromAffine(double[][] affine) {
        double[][] r = new double[3][3];
        double[] zooms = new double[3];
        for (int col = 0; col < 3; col++) {
            double norm = Math.sqrt(sq(affine[0][col]) + sq(affine[1][col]) + sq(affine[2][col]));
            if (!(norm > 0) || Double.isInfinite(norm)) {
                return null;
            }
            zooms[col] = norm;
            for (int row = 0; row < 3; row++) {
                r[row][col] = affine[row][col] / norm;
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double dot = r[0][i] * r[0][j] + r[1][i] * r[1][j] + r[2][i] * r[2][j];
                if (Math.abs(dot) > ORTHOGONALITY_TOLERANCE) {
                    return null;
                }
            }
        }
        double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
                - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            for (int row = 0; row < 3; row++) {
                r[row][2] = -r[row][2];
            }
        }
        // Rotation matrix to quaternion, choosing the numerically largest component first.
        double a;
        double b;
        double c;
        double d;
        double trace = r[0][0] + r[1][1] + r[2][2];
        if (trace > 0) {
            double s = 2 * Math.sqrt(trace + 1);
            a = 0.25 * s;
            b = (r[2][1] - r[1][2]) / s;
            c = (r[0][2] - r[2][0]) / s;
            d = (r[1][0] - r[0][1]) / s;
        } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
            double s = 2 * Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
            a = (r[2][1] - r[1][2]) / s;
            b = 0.25 * s;
            c = (r[0][1] + r[1][0]) / s;
            d = (r[0][2] + r[2][0]) / s;
        } else if (r[1][1] > r[2][2]) {
            double s = 2 * Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
            a = (r[0][2] - r[2][0]) / s;
            b = (r[0][1] + r[1][0]) / s;
            c = 0.25 * s;
            d = (r[1][2] + r[2][1]) / s;
        } else {
            double s = 2 * Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
            a = (r[1][0] - r[0][1]) / s;
            b = (r[0][2] + r[2][0]) / s;
            c = (r[1][2] + r[2][1]) / s;
            d = 0.25 * s;
        }
        if (a < 0) { // the header stores b, c, d only and implies a >= 0; q and -q are the same rotation
            b = -b;
            c = -c;
            d = -d;
        }
        return new QuaternionForm(b, c, d, qfac, zooms);
    }

    private static double sq(double v) {
        return v * v;
    }
}
