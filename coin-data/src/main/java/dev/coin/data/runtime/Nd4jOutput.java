package dev.coin.data.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Keeps ND4J quiet on {@code System.out}: ND4J 1.0.0-M2.1 prints one {@code Added differentiated op …} line per op
 * every time it builds a gradient graph (about 2,000 in a small training run), which buries the program's own
 * output. The library therefore filters those lines by default, and only those.
 *
 * <p>{@link NativeBackend#configure()} (called by every library entry point before ND4J loads) calls
 * {@link #install()}, which wraps {@code System.out} once. Switches:
 * <ul>
 *   <li>{@code -Dcoin.nd4j.verbose=true}: {@code install()} leaves {@code System.out} alone and ND4J prints
 *       everything;</li>
 *   <li>{@link #quiet(boolean)} at run time: {@code quiet(false)} lets everything through from the next line on,
 *       {@code quiet(true)} filters again (and installs the filter if it was not installed).</li>
 * </ul>
 *
 * <p>Only lines that start with {@value #NOISE_PREFIX} are dropped (with their line terminator). Everything else
 * reaches the original stream unchanged, byte for byte, through the same kind of call (bytes as bytes, text as text
 * in the original stream's encoding), flushes included. The one delay: a partial line that is still a prefix of the
 * message (at most 23 ASCII bytes, e.g. {@code "Added"} then {@code flush()}) is held until its next character
 * decides it, or until {@code close()}. The filter is thread-safe; {@code println} from several threads keeps whole
 * lines, as {@link PrintStream} does.
 */
public final class Nd4jOutput {
    /** System property: {@code true} (or a bare {@code -Dcoin.nd4j.verbose}) turns the filter off at install. */
    public static final String VERBOSE_PROPERTY = "coin.nd4j.verbose";
    /** Lines starting with this text are ND4J's gradient-graph noise. */
    public static final String NOISE_PREFIX = "Added differentiated op";

    private static final byte[] NOISE = NOISE_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static volatile boolean quiet;

    private Nd4jOutput() {
    }

    /**
     * Wraps {@code System.out} in the filter unless {@value #VERBOSE_PROPERTY} is {@code true}. Idempotent: when
     * {@code System.out} already is the filter, nothing changes. Returns whether the filter is on.
     */
    public static synchronized boolean install() {
        String verbose = System.getProperty(VERBOSE_PROPERTY, "false").trim().toLowerCase(Locale.ROOT);
        if (verbose.isEmpty()) {
            verbose = "true"; // -Dcoin.nd4j.verbose on its own
        }
        if (!verbose.equals("true") && !verbose.equals("false")) {
            throw new IllegalArgumentException("System property " + VERBOSE_PROPERTY + " is '"
                    + System.getProperty(VERBOSE_PROPERTY) + "'; use true (print ND4J's gradient-graph lines) or"
                    + " false (drop them, the default)");
        }
        if (verbose.equals("false")) {
            quiet(true);
        }
        return quiet;
    }

    /**
     * Turns the filter on or off at run time; takes effect from the next line. {@code quiet(true)} installs the
     * filter on {@code System.out} if it is not there yet; {@code quiet(false)} leaves it in place, passing
     * everything through (so a stream someone set after installing is never replaced).
     */
    public static synchronized void quiet(boolean on) {
        quiet = on;
        if (on) {
            PrintStream out = System.out;
            PrintStream wrapped = wrap(out);
            if (wrapped != out) {
                System.setOut(wrapped);
            }
        }
    }

    /** Whether the filter drops ND4J's lines now (it acts wherever it is installed). */
    public static boolean isQuiet() {
        return quiet;
    }

    /** Whether {@code stream} is this filter (e.g. {@code isFilter(System.out)}). */
    public static boolean isFilter(PrintStream stream) {
        return stream instanceof Filter;
    }

    /** The filter around {@code target}; {@code target} itself when it already is one (never wraps twice). */
    static PrintStream wrap(PrintStream target) {
        Objects.requireNonNull(target, "target stream");
        return target instanceof Filter ? target : new Filter(target);
    }

    /** {@code System.out}'s replacement: every write goes through {@link LineFilter}, text as text. */
    private static final class Filter extends PrintStream {
        private final LineFilter filter;

        Filter(PrintStream target) {
            this(new LineFilter(target));
        }

        private Filter(LineFilter filter) {
            // Anything that still reaches PrintStream's own encoder (println's line separator) arrives as bytes.
            super(filter, false);
            this.filter = filter;
        }

        @Override
        public void write(int b) {
            filter.write(b);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            filter.write(buf, off, len);
        }

        @Override
        public void write(byte[] buf) {
            filter.write(buf, 0, buf.length);
        }

        @Override
        public void writeBytes(byte[] buf) {
            filter.write(buf, 0, buf.length);
        }

        @Override
        public void print(String s) {
            filter.text(String.valueOf(s));
        }

        @Override
        public void print(char[] s) {
            filter.text(new String(s));
        }

        @Override
        public void print(char c) {
            filter.text(String.valueOf(c));
        }

        @Override
        public void print(boolean b) {
            filter.text(String.valueOf(b));
        }

        @Override
        public void print(int i) {
            filter.text(String.valueOf(i));
        }

        @Override
        public void print(long l) {
            filter.text(String.valueOf(l));
        }

        @Override
        public void print(float f) {
            filter.text(String.valueOf(f));
        }

        @Override
        public void print(double d) {
            filter.text(String.valueOf(d));
        }

        @Override
        public void print(Object obj) {
            filter.text(String.valueOf(obj));
        }

        @Override
        public void flush() {
            filter.flush();
        }

        @Override
        public void close() {
            filter.close();
        }

        @Override
        public boolean checkError() {
            return filter.target.checkError() || super.checkError();
        }
    }

    /**
     * The line state machine. At the start of a line it holds bytes while they are a prefix of the message; as
     * soon as they diverge they go out and the rest of the line passes; when the whole prefix matched, the rest of
     * the line is dropped. Text and bytes share the state (the prefix is ASCII, the same in either form).
     */
    private static final class LineFilter extends OutputStream {
        private enum State { LINE_START, PASS, DROP }

        final PrintStream target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(NOISE.length);
        private State state = State.LINE_START;

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            if (decide((byte) b)) {
                target.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) {
            Objects.checkFromIndexSize(off, len, buf.length);
            int run = off; // start of the run of bytes that pass
            for (int i = off; i < off + len; i++) {
                if (!decide(buf[i])) {
                    if (i > run) {
                        target.write(buf, run, i - run);
                    }
                    run = i + 1;
                }
            }
            if (off + len > run) {
                target.write(buf, run, off + len - run);
            }
        }

        synchronized void text(String s) {
            int run = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                // Non-ASCII never matches the prefix; pass it as a character so the target encodes it.
                if (!decide(c < 0x80 ? (byte) c : (byte) 0x80)) {
                    if (i > run) {
                        target.print(s.substring(run, i));
                    }
                    run = i + 1;
                }
            }
            if (s.length() > run) {
                target.print(run == 0 ? s : s.substring(run));
            }
        }

        /**
         * Advances the state by one byte; true when this byte goes out now. Held bytes that turn out not to be the
         * message are written here first, so the order is kept.
         */
        private boolean decide(byte b) {
            switch (state) {
                case PASS -> {
                    if (b == '\n') {
                        state = State.LINE_START;
                    }
                    return true;
                }
                case DROP -> {
                    if (b == '\n') {
                        state = State.LINE_START;
                    }
                    return false;
                }
                default -> {
                    if (!quiet) {
                        releasePending();
                        state = b == '\n' ? State.LINE_START : State.PASS;
                        return true;
                    }
                    int n = pending.size();
                    if (b == NOISE[n]) {
                        if (n + 1 == NOISE.length) {
                            pending.reset();
                            state = State.DROP;
                        } else {
                            pending.write(b);
                        }
                        return false;
                    }
                    releasePending();
                    state = b == '\n' ? State.LINE_START : State.PASS;
                    return true;
                }
            }
        }

        private void releasePending() {
            if (pending.size() > 0) {
                target.write(pending.toByteArray(), 0, pending.size());
                pending.reset();
            }
        }

        @Override
        public synchronized void flush() {
            target.flush();
        }

        @Override
        public synchronized void close() {
            releasePending();
            target.close();
        }
    }
}
