package dev.coin.data.synth;

import dev.coin.data.image.FloatImage;

/**
 * COIN's anomaly template: a Gaussian blob on a {@code size × size} grid whose x and y take {@code size} evenly
 * spaced values in [−1, 1]; {@code blob = exp(−d²/(2σ²))} with d the distance from the origin, and the mask is
 * {@code blob > threshold}. With the reference values (20, σ 0.4, threshold 0.25) the maximum is 0.983 (the grid
 * has no point at the origin) and the mask is a 120-pixel disc.
 *
 * @param image the blob, row-major
 * @param mask  0/1 mask, row-major
 */
public record BlobTemplate(FloatImage image, FloatImage mask) {
    /**
     * @throws IllegalArgumentException if {@code size < 2}, {@code sigma <= 0} or {@code threshold} is not in
     *                                  [0, 1)
     */
    public static BlobTemplate of(int size, double sigma, double threshold) {
        if (size < 2) {
            throw new IllegalArgumentException("size must be >= 2, got " + size);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a positive finite number, got " + sigma);
        }
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
        }
        float[] blob = new float[size * size];
        float[] mask = new float[size * size];
        for (int r = 0; r < size; r++) {
            double y = -1 + 2.0 * r / (size - 1);
            for (int c = 0; c < size; c++) {
                double x = -1 + 2.0 * c / (size - 1);
                double b = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
                blob[r * size + c] = (float) b;
                mask[r * size + c] = b > threshold ? 1f : 0f;
            }
        }
        return new BlobTemplate(FloatImage.wrap(size, size, blob), FloatImage.wrap(size, size, mask));
    }

    public int size() {
        return image.height();
    }
}
