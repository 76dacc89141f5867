package dev.coin.data.synth;

import java.util.SplittableRandom;

/**
 * A closed range {@code [min, max]} of a phantom parameter (mm, HU, a fraction…); {@code min == max} fixes it.
 *
 * @param min lower end, finite
 * @param max upper end, finite, &ge; min
 */
public record Interval(double min, double max) {
    public Interval {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("Interval needs finite min <= max, got [" + min + ", " + max
                    + "]; swap the ends or use Interval.of(v) for a fixed value");
        }
    }

    public static Interval of(double min, double max) {
        return new Interval(min, max);
    }

    /** A degenerate interval: the parameter is fixed to {@code value}. */
    public static Interval of(double value) {
        return new Interval(value, value);
    }

    /** A uniform draw in {@code [min, max)} ({@code min} when the interval is a point). */
    public double sample(SplittableRandom rng) {
        return min == max ? min : min + (max - min) * rng.nextDouble();
    }

    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    /** Checks that this interval lies inside {@code [lo, hi]}; {@code name} is the builder option for the message. */
    Interval requireWithin(String name, double lo, double hi) {
        if (min < lo || max > hi) {
            throw new IllegalArgumentException(name + " must lie within [" + lo + ", " + hi + "], got " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return min == max ? Double.toString(min) : "[" + min + ", " + max + "]";
    }
}
