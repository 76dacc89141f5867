package dev.coin.examples;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Drops the lines ND4J 1.0.0-M2.1 prints to {@code System.out} each time it builds a gradient graph
 * ({@code Added differentiated op …}, hundreds per graph), so that the main job's own output stays readable.
 */
final class QuietStdout extends OutputStream {
    private static final String NOISE = "Added differentiated op";
    private final PrintStream target;
    private final StringBuilder line = new StringBuilder();

    private QuietStdout(PrintStream target) {
        this.target = target;
    }

    static void install() {
        if (!(System.out instanceof Filtered)) {
            System.setOut(new Filtered(new QuietStdout(System.out)));
        }
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine(true);
        } else {
            line.append((char) (b & 0xFF));
        }
    }

    @Override
    public synchronized void flush() {
        // Partial lines (progress bars redrawn with \r) go out as they are.
        if (line.length() > 0 && !NOISE.startsWith(line.toString()) && !line.toString().startsWith(NOISE)) {
            flushLine(false);
        }
        target.flush();
    }

    private void flushLine(boolean newline) {
        String s = new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        line.setLength(0);
        if (!s.startsWith(NOISE)) {
            target.print(newline ? s + System.lineSeparator() : s);
        }
    }

    /** Marker type so {@link #install()} is idempotent. */
    private static final class Filtered extends PrintStream {
        Filtered(OutputStream out) {
            super(out, true, StandardCharsets.UTF_8);
        }
    }
}
