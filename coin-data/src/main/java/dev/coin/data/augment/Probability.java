package dev.coin.data.augment;

/** Validation shared by the transforms. */
final class Probability {
    private Probability() {
    }

    static double check(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }

    static double nonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite value >= 0, got " + v);
        }
        return v;
    }
}
