package dev.coin.core.explain;

import java.util.SplittableRandom;

/**
 * RISE's random masks for one input size (Petsiuk et al. 2018; reference §8), generated deterministically from a
 * seed: mask i is a Bernoulli(p1) {@code s × s} grid, bilinearly upsampled (half-pixel centres, mirror edges,
 * no anti-aliasing: skimage {@code resize(order=1, mode="reflect")}) to {@code (s+1)·cell} with
 * {@code cell = ceil(size/s)} per axis, then cropped to {@code H × W} at a random offset in {@code [0, cell)}.
 *
 * <p>Only the grids and offsets are stored (N·s² floats); masks are materialised on demand, so 6,000 masks at 256²
 * do not need 1.5 GB. The random stream, per mask: s² draws {@code nextDouble() < p1} row-major, then the row offset
 * {@code nextInt(cellH)}, then the column offset {@code nextInt(cellW)}.
 *
 * <pre>{@code
 * RiseMasks masks = RiseMasks.generate(6000, 8, 0.1, 256, 256, 42L);
 * float[] m = new float[256 * 256];
 * masks.fill(0, m, 0);
 * }</pre>
 */
public final class RiseMasks {
    private final int count;
    private final int gridSize;
    private final double keepProbability;
    private final int height;
    private final int width;
    private final long seed;
    private final float[][] grids;
    private final int[] rowOffsets;
    private final int[] colOffsets;
    private final BilinearResize.Axis rowAxis;
    private final BilinearResize.Axis colAxis;

    private RiseMasks(int count, int gridSize, double keepProbability, int height, int width, long seed) {
        this.count = count;
        this.gridSize = gridSize;
        this.keepProbability = keepProbability;
        this.height = height;
        this.width = width;
        this.seed = seed;
        int cellH = ceilDiv(height, gridSize);
        int cellW = ceilDiv(width, gridSize);
        rowAxis = BilinearResize.Axis.of(gridSize, (gridSize + 1) * cellH, BilinearResize.Edge.MIRROR);
        colAxis = BilinearResize.Axis.of(gridSize, (gridSize + 1) * cellW, BilinearResize.Edge.MIRROR);
        grids = new float[count][gridSize * gridSize];
        rowOffsets = new int[count];
        colOffsets = new int[count];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < gridSize * gridSize; j++) {
                grids[i][j] = rnd.nextDouble() < keepProbability ? 1f : 0f;
            }
            rowOffsets[i] = rnd.nextInt(cellH);
            colOffsets[i] = rnd.nextInt(cellW);
        }
    }

    /**
     * Generates {@code count} masks for {@code height × width} inputs.
     *
     * @throws IllegalArgumentException for a non-positive count, size or grid, or p1 outside (0, 1]
     */
    public static RiseMasks generate(int count, int gridSize, double keepProbability, int height, int width, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        if (gridSize < 1 || gridSize > Math.min(height, width)) {
            throw new IllegalArgumentException("gridSize must be in [1, min(H, W)], got " + gridSize + " for " + height + "x" + width);
        }
        if (!(keepProbability > 0 && keepProbability <= 1)) {
            throw new IllegalArgumentException("keepProbability must be in (0, 1], got " + keepProbability + "; the reference uses 0.1");
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be >= 1, got " + height + "x" + width);
        }
        return new RiseMasks(count, gridSize, keepProbability, height, width, seed);
    }

    /** Writes mask {@code index} (row-major {@code H × W}, values in [0, 1]) into {@code dst} at {@code offset}. */
    public void fill(int index, float[] dst, int offset) {
        float[] g = grids[index];
        int dy = rowOffsets[index];
        int dx = colOffsets[index];
        int s = gridSize;
        for (int r = 0; r < height; r++) {
            int u = r + dy;
            int a = rowAxis.i0[u] * s;
            int b = rowAxis.i1[u] * s;
            float wr = rowAxis.w1[u];
            int o = offset + r * width;
            for (int c = 0; c < width; c++) {
                int v = c + dx;
                int c0 = colAxis.i0[v];
                int c1 = colAxis.i1[v];
                float wc = colAxis.w1[v];
                float top = g[a + c0] + wc * (g[a + c1] - g[a + c0]);
                float bottom = g[b + c0] + wc * (g[b + c1] - g[b + c0]);
                dst[o + c] = top + wr * (bottom - top);
            }
        }
    }

    /** A copy of mask {@code index}'s s×s Bernoulli grid (row-major). */
    public float[] grid(int index) {
        return grids[index].clone();
    }

    /** {row offset, column offset} of mask {@code index}'s crop. */
    public int[] offset(int index) {
        return new int[] {rowOffsets[index], colOffsets[index]};
    }

    public int count() {
        return count;
    }

    public int gridSize() {
        return gridSize;
    }

    public double keepProbability() {
        return keepProbability;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public long seed() {
        return seed;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String toString() {
        return "RiseMasks[N=" + count + ", s=" + gridSize + ", p1=" + keepProbability + ", " + height + "x" + width
                + ", seed=" + seed + "]";
    }
}
