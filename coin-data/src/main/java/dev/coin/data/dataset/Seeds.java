package dev.coin.data.dataset;

/** Derives independent, reproducible seeds from a base seed and coordinates (SplitMix64 finaliser). */
public final class Seeds {
    private Seeds() {
    }

    /** A well-mixed seed for {@code (base, a, b)}; equal inputs give equal outputs on every platform. */
    public static long derive(long base, long a, long b) {
        return mix(mix(mix(base) ^ (a * 0x9E3779B97F4A7C15L)) ^ (b * 0xC2B2AE3D27D4EB4FL));
    }

    /** A well-mixed seed for {@code (base, a)}. */
    public static long derive(long base, long a) {
        return mix(mix(base) ^ (a * 0x9E3779B97F4A7C15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
