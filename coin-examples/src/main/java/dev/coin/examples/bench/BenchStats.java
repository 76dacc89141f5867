package dev.coin.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Medians, spread and peak memory for the benchmark harnesses. */
public final class BenchStats {
    private BenchStats() {
    }

    /** Times {@code task} {@code repeats} times after {@code warmup} untimed runs; seconds per run. */
    public static double[] time(int warmup, int repeats, Runnable task) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            task.run();
            s[i] = (System.nanoTime() - t) / 1e9;
        }
        return s;
    }

    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** "median 1.23 s (min 1.10, max 1.40, n 5)". */
    public static String summary(double[] seconds) {
        return String.format(Locale.ROOT, "median %.3f s (min %.3f, max %.3f, n %d)", median(seconds),
                Arrays.stream(seconds).min().orElse(Double.NaN), Arrays.stream(seconds).max().orElse(Double.NaN),
                seconds.length);
    }

    /**
     * Prints the machine-readable line the shell harness pairs with the PyTorch twin's:
     * {@code RESULT java <case> <phase> <median s> <min> <max> <peak RSS MiB>}.
     */
    public static void printResult(String name, String phase, double[] seconds) {
        System.out.printf(Locale.ROOT, "RESULT java %s %s %.4f %.4f %.4f %.0f%n", name, phase, median(seconds),
                Arrays.stream(seconds).min().orElse(Double.NaN), Arrays.stream(seconds).max().orElse(Double.NaN),
                peakRssMib());
    }

    /** Peak resident set size of this process in MiB (VmHWM), or -1 where /proc is unavailable. */
    public static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
