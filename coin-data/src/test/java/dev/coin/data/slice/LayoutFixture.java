package dev.coin.data.slice;

import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;

/**
 * A tiny labelled scan defined in canonical coordinates (row r along the first in-plane axis, column c along the
 * second, slice k along the axial axis) and stored in several voxel layouts with matching affines.
 *
 * <p>Per slice, with kidney threshold 5 and tumour threshold 4 (kidney painted first, then tumour, then cyst):
 * <pre>
 * k=2: kidney 5                      -> dropped (5 is not > 5)
 * k=3: kidney 6, one voxel of class 9 -> kept, label 0
 * k=4: kidney 20, tumour 4, cyst 4    -> kept, label 0 (4 is not > 4)
 * k=5: kidney 31, tumour 5            -> kept, label 1
 * k=6: kidney 8, tumour 12            -> kept, label 1
 * k=7: kidney 5, tumour 42            -> dropped (tumour does not count as kidney)
 * k=8: class 9 only                   -> dropped
 * </pre>
 */
final class LayoutFixture {
    static final int R = 8;
    static final int C = 6;
    static final int S = 9;
    static final int KIDNEY = 1;
    static final int TUMOUR = 2;
    static final int CYST = 3;

    /** label[k][r][c]. */
    final int[][][] label = new int[S][R][C];

    LayoutFixture() {
        paint(2, KIDNEY, 0, 0, 0, 4);
        paint(3, KIDNEY, 2, 3, 1, 3);
        label[3][6][4] = 9;
        paint(4, KIDNEY, 0, 5, 0, 3);
        paint(4, TUMOUR, 4, 5, 2, 3);
        paint(4, CYST, 6, 7, 4, 5);
        paint(5, KIDNEY, 0, 5, 0, 5);
        paint(5, TUMOUR, 5, 5, 0, 4);
        paint(6, KIDNEY, 3, 4, 2, 5);
        paint(6, TUMOUR, 6, 7, 0, 5);
        paint(7, KIDNEY, 0, 0, 0, 4);
        paint(7, TUMOUR, 1, 7, 0, 5);
        paint(8, 9, 0, 2, 0, 2);
    }

    private void paint(int k, int value, int r0, int r1, int c0, int c1) {
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                label[k][r][c] = value;
            }
        }
    }

    /** CT value in HU at canonical (r, c, k): a ramp from -150 to 251 HU. */
    static float hu(int r, int c, int k) {
        return -150 + 40 * r + 13 * c + 7 * k;
    }

    /** Voxel layouts: where each canonical axis goes and what the affine says. */
    enum Layout {
        /** shape (R, C, S), RAS-like diagonal affine. */
        AXIAL_LAST_RAS(new int[] {0, 1, 2}, diag(0.7, 0.8, 3)),
        /** Same voxels, LPS-like affine with flipped in-plane axes. */
        AXIAL_LAST_LPS(new int[] {0, 1, 2}, diag(-0.7, -0.8, 3)),
        /** Same voxels, slice index running from head to feet. */
        AXIAL_LAST_HEAD_FIRST(new int[] {0, 1, 2}, diag(-0.7, -0.8, -3)),
        /** shape (S, R, C); the affine's column 0 points along world z. */
        AXIAL_FIRST_PERMUTED(new int[] {1, 2, 0}, columns(new double[] {0, 0, 3}, new double[] {0.7, 0, 0},
                new double[] {0, 0.8, 0})),
        /** shape (S, R, C) with an affine that wrongly says axis 2 (KiTS19-style); needs the override. */
        AXIAL_FIRST_MISLEADING(new int[] {1, 2, 0}, diag(0.7, 0.8, 3)),
        /** shape (R, S, C); the affine's column 1 points along world -z. */
        AXIAL_MIDDLE(new int[] {0, 2, 1}, columns(new double[] {0.7, 0, 0}, new double[] {0, 0, -3},
                new double[] {0, 0.8, 0}));

        /** voxel axis of canonical r, c, k. */
        final int[] axisOf;
        final double[][] affine;

        Layout(int[] axisOf, double[][] affine) {
            this.axisOf = axisOf;
            this.affine = affine;
        }
    }

    private static double[][] diag(double a, double b, double c) {
        return new double[][] {{a, 0, 0, 12}, {0, b, 0, -7}, {0, 0, c, 40}, {0, 0, 0, 1}};
    }

    private static double[][] columns(double[] c0, double[] c1, double[] c2) {
        return new double[][] {{c0[0], c1[0], c2[0], 12}, {c0[1], c1[1], c2[1], -7}, {c0[2], c1[2], c2[2], 40},
            {0, 0, 0, 1}};
    }

    LabelledScan scan(String id, Layout layout) {
        return scan(id, layout, Float.NaN, -1);
    }

    /** The scan in {@code layout}; if {@code nanSlice >= 0}, voxel (0, 0, nanSlice) of the image is NaN. */
    LabelledScan scan(String id, Layout layout, float nanValue, int nanSlice) {
        int[] canonicalSize = {R, C, S};
        int[] shape = new int[3];
        for (int a = 0; a < 3; a++) {
            shape[layout.axisOf[a]] = canonicalSize[a];
        }
        float[] img = new float[R * C * S];
        float[] lab = new float[R * C * S];
        int[] idx = new int[3];
        for (int k = 0; k < S; k++) {
            for (int r = 0; r < R; r++) {
                for (int c = 0; c < C; c++) {
                    idx[layout.axisOf[0]] = r;
                    idx[layout.axisOf[1]] = c;
                    idx[layout.axisOf[2]] = k;
                    int flat = idx[0] + shape[0] * (idx[1] + shape[1] * idx[2]);
                    img[flat] = (k == nanSlice && r == 0 && c == 0) ? nanValue : hu(r, c, k);
                    lab[flat] = label[k][r][c];
                }
            }
        }
        double[] spacing = {1, 1, 1};
        Volume image = Volume.of(id, shape, img, spacing, layout.affine);
        return new LabelledScan(image, Volume.of(id + "_seg", shape, lab, spacing, layout.affine));
    }
}
