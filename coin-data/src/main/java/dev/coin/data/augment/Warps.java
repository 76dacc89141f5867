package dev.coin.data.augment;

/**
 * Resampling primitives on row-major float images, with OpenCV's conventions (the reference pipeline runs on
 * OpenCV through albumentations): pixel centres at integer coordinates, {@code x} = column, {@code y} = row.
 *
 * <ul>
 *   <li>{@link #resizeBilinear}: {@code cv2.resize(INTER_LINEAR)} — half-pixel centres, edge pixels replicated;</li>
 *   <li>{@link #resizeNearest}: {@code cv2.resize(INTER_NEAREST)} — source index {@code floor(dst · src/dst)};</li>
 *   <li>{@link #warpAffine} and {@link #remapSeparable}: {@code cv2.warpAffine}/{@code cv2.remap} with a constant
 *       border — bilinear blends outside neighbours as the border value, nearest rounds the source coordinate.</li>
 * </ul>
 * OpenCV quantises bilinear weights to 1/32 (and 11-bit fixed point in resize); these use exact weights, so values
 * agree with OpenCV to about 1e-2 of the local intensity step, and exactly for identity or integer-shift maps.
 */
public final class Warps {
    private Warps() {
    }

    /** Bilinear resize with half-pixel centres (cv2 INTER_LINEAR). */
    public static float[] resizeBilinear(float[] src, int h, int w, int newH, int newW) {
        check(src, h, w);
        checkSize(newH, newW);
        int[] x0 = new int[newW];
        int[] x1 = new int[newW];
        float[] fx = new float[newW];
        axisTable(w, newW, x0, x1, fx);
        int[] y0 = new int[newH];
        int[] y1 = new int[newH];
        float[] fy = new float[newH];
        axisTable(h, newH, y0, y1, fy);
        float[] out = new float[newH * newW];
        for (int r = 0; r < newH; r++) {
            int a = y0[r] * w;
            int b = y1[r] * w;
            float wy = fy[r];
            for (int c = 0; c < newW; c++) {
                float top = src[a + x0[c]] * (1 - fx[c]) + src[a + x1[c]] * fx[c];
                float bot = src[b + x0[c]] * (1 - fx[c]) + src[b + x1[c]] * fx[c];
                out[r * newW + c] = top * (1 - wy) + bot * wy;
            }
        }
        return out;
    }

    private static void axisTable(int n, int newN, int[] i0, int[] i1, float[] f) {
        double scale = (double) n / newN;
        for (int d = 0; d < newN; d++) {
            double s = (d + 0.5) * scale - 0.5;
            int lo = (int) Math.floor(s);
            double frac = s - lo;
            if (lo < 0) {
                lo = 0;
                frac = 0;
            }
            if (lo >= n - 1) {
                lo = n - 1;
                frac = 0;
            }
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, n - 1);
            f[d] = (float) frac;
        }
    }

    /** Nearest-neighbour resize (cv2 INTER_NEAREST: source index {@code floor(dst · src/dst)}). */
    public static float[] resizeNearest(float[] src, int h, int w, int newH, int newW) {
        check(src, h, w);
        checkSize(newH, newW);
        float[] out = new float[newH * newW];
        double sy = (double) h / newH;
        double sx = (double) w / newW;
        for (int r = 0; r < newH; r++) {
            int yr = Math.min((int) Math.floor(r * sy), h - 1);
            for (int c = 0; c < newW; c++) {
                int xc = Math.min((int) Math.floor(c * sx), w - 1);
                out[r * newW + c] = src[yr * w + xc];
            }
        }
        return out;
    }

    /**
     * Inverse-mapped affine warp to the same size: output pixel (x, y) samples the source at
     * {@code (m[0]·x + m[1]·y + m[2], m[3]·x + m[4]·y + m[5])}.
     *
     * @param inverse the 2×3 destination→source matrix, row-major
     * @param nearest nearest (rounded) sampling, for masks; otherwise bilinear
     * @param border  value of every pixel outside the source
     */
    public static float[] warpAffine(float[] src, int h, int w, double[] inverse, boolean nearest, float border) {
        check(src, h, w);
        if (inverse == null || inverse.length != 6) {
            throw new IllegalArgumentException("inverse must be a 2x3 matrix as 6 values, got "
                    + (inverse == null ? "null" : inverse.length + " values"));
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = inverse[0] * x + inverse[1] * y + inverse[2];
                double sy = inverse[3] * x + inverse[4] * y + inverse[5];
                out[y * w + x] = nearest ? nearest(src, h, w, sx, sy, border) : bilinear(src, h, w, sx, sy, border);
            }
        }
        return out;
    }

    /**
     * A separable remap to the same size: output (x, y) samples the source at {@code (mapX[x], mapY[y])}, with a
     * constant border (the single-cell grid distortion is of this form).
     */
    public static float[] remapSeparable(float[] src, int h, int w, double[] mapX, double[] mapY, boolean nearest,
                                         float border) {
        check(src, h, w);
        if (mapX.length != w || mapY.length != h) {
            throw new IllegalArgumentException("mapX must have width " + w + " and mapY height " + h
                    + " entries, got " + mapX.length + " and " + mapY.length);
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = nearest ? nearest(src, h, w, mapX[x], mapY[y], border)
                        : bilinear(src, h, w, mapX[x], mapY[y], border);
            }
        }
        return out;
    }

    /**
     * The destination→source matrix of {@code cv2.getRotationMatrix2D(centre, angle, scale)} followed by a shift
     * of (dx, dy) pixels, i.e. what {@code cv2.warpAffine} applies: a positive angle turns the content
     * counter-clockwise as displayed (rows down).
     */
    public static double[] rotateScaleShiftInverse(double cx, double cy, double angleDeg, double scale, double dx,
                                                   double dy) {
        double t = Math.toRadians(angleDeg);
        double a = Math.cos(t) / scale;
        double b = Math.sin(t) / scale;
        // forward: x' = s(cos·(x−cx) + sin·(y−cy)) + cx + dx, y' = s(−sin·(x−cx) + cos·(y−cy)) + cy + dy
        double ux = -cx - dx;
        double uy = -cy - dy;
        return new double[] {a, -b, a * ux - b * uy + cx, b, a, b * ux + a * uy + cy};
    }

    static float bilinear(float[] src, int h, int w, double sx, double sy, float border) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        if (fx == 0 && fy == 0) {
            return pixel(src, h, w, x0, y0, border);
        }
        double top = pixel(src, h, w, x0, y0, border) * (1 - fx) + pixel(src, h, w, x0 + 1, y0, border) * fx;
        double bot = pixel(src, h, w, x0, y0 + 1, border) * (1 - fx) + pixel(src, h, w, x0 + 1, y0 + 1, border) * fx;
        return (float) (top * (1 - fy) + bot * fy);
    }

    static float nearest(float[] src, int h, int w, double sx, double sy, float border) {
        return pixel(src, h, w, (int) Math.floor(sx + 0.5), (int) Math.floor(sy + 0.5), border);
    }

    private static float pixel(float[] src, int h, int w, int x, int y, float border) {
        return x < 0 || y < 0 || x >= w || y >= h ? border : src[y * w + x];
    }

    private static void check(float[] src, int h, int w) {
        checkSize(h, w);
        if (src == null || src.length != h * w) {
            throw new IllegalArgumentException("src must hold h*w = " + (h * w) + " values, got "
                    + (src == null ? "null" : src.length));
        }
    }

    private static void checkSize(int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w);
        }
    }
}
