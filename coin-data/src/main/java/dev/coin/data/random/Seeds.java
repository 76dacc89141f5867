package dev.coin.data.random;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a seed and a path of integers, so that e.g. scan 7 of a phantom set,
 * or transform 2 of an augmentation pipeline applied to item 40 in epoch 3, gets the same numbers no matter in
 * which order (or on which thread) the work is done.
 *
 * <pre>{@code
 * SplittableRandom rng = Seeds.rng(seed, scanIndex, NOISE_STREAM);  // a pure function of its arguments
 * double g = Seeds.gaussian(rng);
 * }</pre>
 *
 * <p>Mixing uses the SplitMix64 finaliser (Steele, Lea &amp; Flood 2014); every path element is mixed in turn,
 * so {@code (1, 2)} and {@code (2, 1)} give unrelated streams.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A 64-bit seed that is a pure function of {@code seed} and {@code path}. */
    public static long derive(long seed, long... path) {
        long h = mix64(seed + GOLDEN);
        for (long p : path) {
            h = mix64(h ^ mix64(p + GOLDEN * 3));
        }
        return h;
    }

    /** A generator seeded with {@link #derive(long, long...)}. */
    public static SplittableRandom rng(long seed, long... path) {
        return new SplittableRandom(derive(seed, path));
    }

    /**
     * A standard normal deviate by Marsaglia's polar method on {@code nextDouble()}; written out (rather than
     * {@code RandomGenerator.nextGaussian()}, whose algorithm is a JDK implementation detail) so that the same
     * seed gives the same numbers on every JDK.
     */
    public static double gaussian(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /**
     * Adds {@code sigma}·N(0,1) to every element, using both deviates of each polar-method pair (twice as fast as
     * calling {@link #gaussian} per element).
     */
    public static void addGaussianNoise(SplittableRandom rng, float[] values, double sigma) {
        int n = values.length;
        int i = 0;
        while (i < n) {
            double u;
            double v;
            double s;
            do {
                u = 2 * rng.nextDouble() - 1;
                v = 2 * rng.nextDouble() - 1;
                s = u * u + v * v;
            } while (s >= 1 || s == 0);
            double f = sigma * Math.sqrt(-2 * Math.log(s) / s);
            values[i] += (float) (u * f);
            if (i + 1 < n) {
                values[i + 1] += (float) (v * f);
            }
            i += 2;
        }
    }

    /** The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
