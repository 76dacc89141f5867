package dev.coin.examples;

import java.nio.file.Path;

/**
 * The README's main job. Until the training and evaluation stages land it runs the data path on the embedded
 * synthetic data ({@link DataTour}).
 *
 * <p>Options: {@code --work DIR} (default {@code coin-work}), {@code --scans N} (default 12), {@code --matrix M}
 * (phantom matrix, default 512: 0.64–0.88 mm pixels).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Path work = Path.of("coin-work");
        int scans = 12;
        int matrix = 512;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(value(args, ++i, "--work"));
                case "--scans" -> scans = Integer.parseInt(value(args, ++i, "--scans"));
                case "--matrix" -> matrix = Integer.parseInt(value(args, ++i, "--matrix"));
                case "--help", "-h" -> {
                    System.out.println("usage: Main [--work DIR] [--scans N] [--matrix M]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; known: --work DIR, --scans N, --matrix M, --help");
            }
        }
        DataTour.run(work, scans, matrix);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
