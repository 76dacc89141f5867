package dev.coin.data.image;

import java.util.Arrays;

/**
 * An immutable 2-D single-channel image, row-major: pixel {@code (row, col)} is at {@code row * width + col}.
 * Used for slices, masks (0/1 values) and difference maps throughout the data module.
 */
public final class FloatImage {
    private final int height;
    private final int width;
    private final float[] pixels;

    private FloatImage(int height, int width, float[] pixels) {
        this.height = height;
        this.width = width;
        this.pixels = pixels;
    }

    /** Wraps a copy of {@code pixels} (row-major, {@code height * width} values). */
    public static FloatImage of(int height, int width, float[] pixels) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be > 0, got " + height + "x" + width);
        }
        if (pixels == null || pixels.length != height * width) {
            throw new IllegalArgumentException("pixels must hold height*width = " + (height * width)
                    + " values, got " + (pixels == null ? "null" : pixels.length));
        }
        return new FloatImage(height, width, pixels.clone());
    }

    /** An all-zero image. */
    public static FloatImage zeros(int height, int width) {
        return of(height, width, new float[height * width]);
    }

    /** Takes ownership of {@code pixels} without copying; for producers that never touch the array again. */
    public static FloatImage wrap(int height, int width, float[] pixels) {
        if (pixels == null || pixels.length != height * width || height <= 0 || width <= 0) {
            return of(height, width, pixels); // same validation and message
        }
        return new FloatImage(height, width, pixels);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public float get(int row, int col) {
        return pixels[row * width + col];
    }

    /** A copy of the pixels, row-major. */
    public float[] toArray() {
        return pixels.clone();
    }

    /** Number of pixels whose value is &gt; 0.5 (for masks). */
    public int countPositive() {
        int n = 0;
        for (float v : pixels) {
            if (v > 0.5f) {
                n++;
            }
        }
        return n;
    }

    public float min() {
        float m = Float.POSITIVE_INFINITY;
        for (float v : pixels) {
            m = Math.min(m, v);
        }
        return m;
    }

    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : pixels) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatImage f && f.height == height && f.width == width && Arrays.equals(f.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return String.format("FloatImage[%dx%d, min %.4g, max %.4g]", height, width, min(), max());
    }
}
