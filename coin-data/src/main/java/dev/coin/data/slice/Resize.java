package dev.coin.data.slice;

import dev.coin.data.image.FloatImage;

/**
 * Image resizing with OpenCV's conventions (what the reference's albumentations {@code Resize} calls), on
 * row-major float arrays.
 *
 * <ul>
 *   <li>{@link #bilinear} = {@code cv2.INTER_LINEAR} on float images: half-pixel centres,
 *       {@code src = (dst + 0.5)·(srcSize/dstSize) − 0.5}, a coordinate below 0 or above {@code srcSize − 1} is
 *       clamped to the border pixel; interpolated along rows first, then between rows, in float as OpenCV does.</li>
 *   <li>{@link #nearest} = {@code cv2.INTER_NEAREST}: {@code src = min(floor(dst·(srcSize/dstSize)), srcSize − 1)},
 *       with the scale computed in double exactly as OpenCV does ({@code 1 / (dstSize/srcSize)}), which for some
 *       size pairs lands one pixel below the exact rational floor; for integer ratios (512 → 256) both agree.</li>
 * </ul>
 * Both run in O(output pixels) with precomputed per-column coordinates.
 *
 * <pre>{@code
 * FloatImage small = Resize.bilinear(image, 256, 256);
 * FloatImage maskSmall = Resize.nearest(mask, 256, 256);
 * }</pre>
 */
public final class Resize {
    private Resize() {
    }

    /** Bilinear resize of an image ({@code cv2.INTER_LINEAR}). */
    public static FloatImage bilinear(FloatImage image, int dstHeight, int dstWidth) {
        float[] out = bilinear(image.toArray(), image.height(), image.width(), dstHeight, dstWidth);
        return FloatImage.wrap(dstHeight, dstWidth, out);
    }

    /** Nearest-neighbour resize of an image ({@code cv2.INTER_NEAREST}). */
    public static FloatImage nearest(FloatImage image, int dstHeight, int dstWidth) {
        float[] out = nearest(image.toArray(), image.height(), image.width(), dstHeight, dstWidth);
        return FloatImage.wrap(dstHeight, dstWidth, out);
    }

    /**
     * Bilinear resize of a row-major array.
     *
     * @return a new {@code dstHeight × dstWidth} row-major array
     */
    public static float[] bilinear(float[] src, int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
        check(src, srcHeight, srcWidth, dstHeight, dstWidth);
        int[] x0 = new int[dstWidth];
        int[] x1 = new int[dstWidth];
        float[] ax = new float[dstWidth];
        linearTaps(srcWidth, dstWidth, x0, x1, ax);
        int[] y0 = new int[dstHeight];
        int[] y1 = new int[dstHeight];
        float[] ay = new float[dstHeight];
        linearTaps(srcHeight, dstHeight, y0, y1, ay);

        float[] out = new float[dstHeight * dstWidth];
        float[] row0 = new float[dstWidth];
        float[] row1 = new float[dstWidth];
        int cached0 = -1;
        int cached1 = -1;
        for (int dy = 0; dy < dstHeight; dy++) {
            // horizontal pass of the two source rows, reused while consecutive output rows share them
            if (y0[dy] != cached0) {
                if (y0[dy] == cached1) {
                    float[] t = row0;
                    row0 = row1;
                    row1 = t;
                    cached1 = cached0;
                } else {
                    horizontal(src, y0[dy] * srcWidth, x0, x1, ax, row0);
                }
                cached0 = y0[dy];
            }
            if (y1[dy] != cached1) {
                horizontal(src, y1[dy] * srcWidth, x0, x1, ax, row1);
                cached1 = y1[dy];
            }
            float b1 = ay[dy];
            float b0 = 1f - b1;
            int o = dy * dstWidth;
            for (int dx = 0; dx < dstWidth; dx++) {
                out[o + dx] = row0[dx] * b0 + row1[dx] * b1;
            }
        }
        return out;
    }

    private static void horizontal(float[] src, int rowStart, int[] x0, int[] x1, float[] ax, float[] out) {
        for (int dx = 0; dx < out.length; dx++) {
            float a1 = ax[dx];
            out[dx] = src[rowStart + x0[dx]] * (1f - a1) + src[rowStart + x1[dx]] * a1;
        }
    }

    /** Source taps and the weight of the second tap for each output coordinate (OpenCV INTER_LINEAR). */
    static void linearTaps(int srcSize, int dstSize, int[] i0, int[] i1, float[] w1) {
        double scale = 1.0 / ((double) dstSize / srcSize);
        for (int d = 0; d < dstSize; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            f -= s;
            if (s < 0) {
                s = 0;
                f = 0;
            }
            if (s >= srcSize - 1) {
                s = srcSize - 1;
                f = 0;
            }
            i0[d] = s;
            i1[d] = Math.min(s + 1, srcSize - 1);
            w1[d] = f;
        }
    }

    /**
     * Nearest-neighbour resize of a row-major array.
     *
     * @return a new {@code dstHeight × dstWidth} row-major array
     */
    public static float[] nearest(float[] src, int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
        check(src, srcHeight, srcWidth, dstHeight, dstWidth);
        int[] xs = nearestTaps(srcWidth, dstWidth);
        int[] ys = nearestTaps(srcHeight, dstHeight);
        float[] out = new float[dstHeight * dstWidth];
        for (int dy = 0; dy < dstHeight; dy++) {
            int s = ys[dy] * srcWidth;
            int o = dy * dstWidth;
            for (int dx = 0; dx < dstWidth; dx++) {
                out[o + dx] = src[s + xs[dx]];
            }
        }
        return out;
    }

    /** Source index per output coordinate (OpenCV INTER_NEAREST). */
    static int[] nearestTaps(int srcSize, int dstSize) {
        double inverse = 1.0 / ((double) dstSize / srcSize);
        int[] taps = new int[dstSize];
        for (int d = 0; d < dstSize; d++) {
            taps[d] = Math.min((int) Math.floor(d * inverse), srcSize - 1);
        }
        return taps;
    }

    private static void check(float[] src, int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
        if (srcHeight <= 0 || srcWidth <= 0) {
            throw new IllegalArgumentException("source size must be positive, got " + srcHeight + "x" + srcWidth);
        }
        if (dstHeight <= 0 || dstWidth <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + dstHeight + "x" + dstWidth);
        }
        if (src == null || src.length != srcHeight * srcWidth) {
            throw new IllegalArgumentException("src must hold srcHeight*srcWidth = " + srcHeight * srcWidth
                    + " values, got " + (src == null ? "null" : src.length));
        }
    }
}
