package dev.coin.core.eval;

/** Argument checks for probability arrays. */
final class Probabilities {
    private Probabilities() {
    }

    static void check(double[] v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + v[i]
                        + " is not a probability in [0, 1]; pass sigmoid(logits)");
            }
        }
    }
}
