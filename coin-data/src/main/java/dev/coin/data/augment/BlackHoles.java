package dev.coin.data.augment;

import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * COIN-Aligned's {@code Black_hole_aug} (§9.8): with probability {@code p}, draw n ∈ [minCount, maxCount) discs;
 * each has an integer radius r ∈ [⌊minRadiusFraction·H⌋, maxRadiusFraction·H) (i.e. r ≤ ⌈maxRadiusFraction·H⌉ − 1),
 * an integer centre x ∈ [⌈0.2·W⌉, ⌈0.8·W⌉), y ∈ [⌈0.2·H⌉, ⌈0.8·H⌉) and an offset U(−2, 0) added to every pixel with
 * (x−cx)² + (y−cy)² ≤ r² (overlaps accumulate); finally the image is clipped to [−1, 1]. Image only.
 * Reference: p 0.5, n ∈ [20, 60), radius fractions 0.001 and 0.05 (0–25 px at 512²).
 */
public record BlackHoles(double p, int minCount, int maxCount, double minRadiusFraction, double maxRadiusFraction)
        implements Transform {
    public BlackHoles {
        Probability.check(p, "p");
        if (minCount < 0 || maxCount <= minCount) {
            throw new IllegalArgumentException("counts must satisfy 0 <= minCount < maxCount, got [" + minCount
                    + ", " + maxCount + ")");
        }
        if (!(minRadiusFraction >= 0 && maxRadiusFraction > minRadiusFraction && maxRadiusFraction <= 0.5)) {
            throw new IllegalArgumentException("radius fractions must satisfy 0 <= min < max <= 0.5, got ["
                    + minRadiusFraction + ", " + maxRadiusFraction + ")");
        }
    }

    /** The reference setting: p 0.5, 20–59 discs, radii from 0.1 % to 5 % of the height. */
    public static BlackHoles reference() {
        return new BlackHoles(0.5, 20, 60, 0.001, 0.05);
    }

    /** Smallest radius for an image of height {@code h}. */
    public int minRadius(int h) {
        return (int) Math.floor(minRadiusFraction * h);
    }

    /** Largest radius (inclusive) for an image of height {@code h}: the largest integer below maxFraction·h. */
    public int maxRadius(int h) {
        return Math.max(minRadius(h), (int) Math.ceil(maxRadiusFraction * h) - 1);
    }

    /** One disc: integer centre (column cx, row cy), integer radius, offset in (−2, 0]. */
    public record Disc(int cx, int cy, int radius, float offset) {
    }

    /** Draws the discs for an image of size h×w (empty when the probability coin says no). */
    public List<Disc> plan(int h, int w, SplittableRandom rng) {
        if (!(rng.nextDouble() < p)) {
            return List.of();
        }
        int n = minCount + rng.nextInt(maxCount - minCount);
        int rMin = minRadius(h);
        int rMax = maxRadius(h);
        int x0 = (int) Math.ceil(0.2 * w);
        int x1 = Math.max(x0 + 1, (int) Math.ceil(0.8 * w));
        int y0 = (int) Math.ceil(0.2 * h);
        int y1 = Math.max(y0 + 1, (int) Math.ceil(0.8 * h));
        List<Disc> discs = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            int r = rMin + rng.nextInt(rMax - rMin + 1);
            int cx = x0 + rng.nextInt(x1 - x0);
            int cy = y0 + rng.nextInt(y1 - y0);
            discs.add(new Disc(cx, cy, r, (float) (-2 * rng.nextDouble())));
        }
        return discs;
    }

    @Override
    public AugmentTarget apply(AugmentTarget target, SplittableRandom rng) {
        int h = target.height();
        int w = target.width();
        List<Disc> discs = plan(h, w, rng);
        if (discs.isEmpty()) {
            return target;
        }
        float[] px = target.image().toArray();
        for (Disc d : discs) {
            int r = d.radius();
            for (int y = Math.max(0, d.cy() - r); y <= Math.min(h - 1, d.cy() + r); y++) {
                for (int x = Math.max(0, d.cx() - r); x <= Math.min(w - 1, d.cx() + r); x++) {
                    int dx = x - d.cx();
                    int dy = y - d.cy();
                    if (dx * dx + dy * dy <= r * r) {
                        px[y * w + x] += d.offset();
                    }
                }
            }
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.max(-1f, Math.min(1f, px[i]));
        }
        return target.withImage(FloatImage.wrap(h, w, px));
    }
}
