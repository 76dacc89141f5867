package dev.coin.data.slice;

import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;
import java.util.SplittableRandom;

/**
 * A small labelled scan defined by formulas and a seeded generator only (no phantom code), so that digests of the
 * slicer's output on it pin the slicer alone: kidney-like ellipsoids on both sides, a tumour and a cyst, HU noise.
 * Stored RAS (diag(0.8, 0.9, 2.5)), feet to head; {@link #headFirst()} is the same anatomy stored head to feet.
 */
final class GoldenScan {
    static final int NX = 40;
    static final int NY = 36;
    static final int NZ = 30;

    private GoldenScan() {
    }

    static LabelledScan ras() {
        float[] hu = new float[NX * NY * NZ];
        float[] lab = new float[hu.length];
        SplittableRandom rng = new SplittableRandom(20240613L);
        int n = 0;
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++, n++) {
                    double v = -60 + 3 * i - 2 * j + k + rng.nextInt(-40, 41);
                    int l = 0;
                    if (inside(i, j, k, 11, 20, 12, 6, 5, 7)) { // kidney at low i
                        l = 1;
                        v += 180;
                    }
                    if (inside(i, j, k, 29, 19, 16, 5, 6, 8)) { // kidney at high i, higher up
                        l = 1;
                        v += 170;
                    }
                    if (inside(i, j, k, 30, 17, 18, 3, 3, 3)) {
                        l = 2;
                        v += 40;
                    }
                    if (inside(i, j, k, 10, 22, 9, 2, 2, 2)) {
                        l = 3;
                        v = 5;
                    }
                    hu[n] = (float) Math.rint(v);
                    lab[n] = l;
                }
            }
        }
        double[][] a = {{0.8, 0, 0, -16}, {0, 0.9, 0, -15}, {0, 0, 2.5, -40}, {0, 0, 0, 1}};
        int[] shape = {NX, NY, NZ};
        double[] spacing = {0.8, 0.9, 2.5};
        return new LabelledScan(Volume.of("golden", shape, hu, spacing, a), Volume.of("golden_seg", shape, lab,
                spacing, a));
    }

    /** The same anatomy with the slice index running head to feet (affine column 2 = −2.5 z). */
    static LabelledScan headFirst() {
        LabelledScan s = ras();
        return new LabelledScan(flipK(s.image()), flipK(s.label()));
    }

    private static Volume flipK(Volume v) {
        float[] out = new float[NX * NY * NZ];
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    out[i + NX * (j + NY * k)] = v.get(i, j, NZ - 1 - k);
                }
            }
        }
        double[][] a = v.affine();
        a[2][3] += a[2][2] * (NZ - 1);
        a[2][2] = -a[2][2];
        return Volume.of(v.id(), v.shape(), out, v.spacing(), a);
    }

    private static boolean inside(int i, int j, int k, double ci, double cj, double ck, double ri, double rj,
                                  double rk) {
        double x = (i - ci) / ri;
        double y = (j - cj) / rj;
        double z = (k - ck) / rk;
        return x * x + y * y + z * z <= 1;
    }
}
