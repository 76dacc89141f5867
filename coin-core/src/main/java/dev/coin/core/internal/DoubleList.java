package dev.coin.core.internal;

import java.util.Arrays;

/** A growable primitive double list (per-image values without boxing). */
public final class DoubleList {
    private double[] values = new double[64];
    private int size;

    public void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public int size() {
        return size;
    }

    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public double mean() {
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
