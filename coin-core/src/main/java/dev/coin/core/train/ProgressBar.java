package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress: a one-line bar redrawn in place on a terminal (steps, epoch, main losses, ETA), or
 * without a terminal ({@code System.console() == null}, e.g. CI or a log file) an INFO log line every
 * {@code logEvery} steps and at each epoch end.
 */
public final class ProgressBar implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressBar.class);
    private final boolean terminal;
    private final PrintStream out;
    private final int logEvery;
    private long startNanos;
    private long startStep;

    /** Bar on a terminal, log lines every 50 steps otherwise. */
    public ProgressBar() {
        this(System.console() != null, System.err, 50);
    }

    /** Explicit mode (for tests and tools). */
    public ProgressBar(boolean terminal, PrintStream out, int logEvery) {
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery must be >= 1, got " + logEvery);
        }
        this.terminal = terminal;
        this.out = out;
        this.logEvery = logEvery;
    }

    @Override
    public void onStart(TrainingContext c) {
        startNanos = System.nanoTime();
        startStep = c.globalStep();
    }

    /** The status line for a step (also used for the log lines). */
    String line(StepReport s, TrainingContext c) {
        long total = (long) c.totalEpochs() * c.stepsPerEpoch();
        long done = s.globalStep() + 1;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long doneHere = done - startStep;
        double eta = doneHere > 0 ? elapsed / doneHere * Math.max(0, total - done) : Double.NaN;
        StringBuilder b = new StringBuilder();
        int width = 20;
        int filled = total == 0 ? 0 : (int) Math.min(width, width * done / total);
        b.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        b.append(String.format(Locale.ROOT, "step %d/%d epoch %d/%d", done, total, s.epoch() + 1, c.totalEpochs()));
        for (Map.Entry<String, Double> e : s.losses().entrySet()) {
            String k = e.getKey();
            if (k.equals("loss/generator") || k.equals("loss/discriminator") || k.equals("loss/d_adv/real")
                    || k.equals("loss/d_adv/fake")) {
                b.append(String.format(Locale.ROOT, " %s %.4g", k.substring(5), e.getValue()));
            }
        }
        b.append(String.format(Locale.ROOT, " ETA %s", formatSeconds(eta)));
        return b.toString();
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
    }

    @Override
    public void onStep(StepReport step, TrainingContext context) {
        String l = line(step, context);
        if (terminal) {
            out.print("\r" + l);
            out.flush();
        } else if ((step.globalStep() + 1) % logEvery == 0) {
            LOG.info(l);
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics m, TrainingContext context) {
        if (terminal) {
            out.println();
        }
        LOG.info(String.format(Locale.ROOT, "epoch %d/%d: G %.4g, D %.4g, flip rate %.3f (%d abnormal), %.1f s",
                m.epoch() + 1, context.totalEpochs(), m.loss("loss/generator"), m.loss("loss/discriminator"),
                m.flipRate(), m.abnormalSlices(), m.seconds()));
    }
}
