package dev.coin.core.eval;

import java.util.Arrays;

/** A growable primitive double list (per-image values without boxing). */
final class DoubleList {
    private double[] values = new double[64];
    private int size;

    void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int size() {
        return size;
    }

    double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += values[i];
        }
        return s / size;
    }
}
