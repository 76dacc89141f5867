package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import dev.coin.losses.LossSet;
import dev.coin.losses.Player;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress for either trainer: a one-line bar redrawn in place on a terminal (steps, epoch, losses,
 * ETA), or without a terminal ({@code System.console() == null}, e.g. CI or a log file) an INFO log line every
 * {@code logEvery} steps, and a line at each epoch end with every epoch mean.
 *
 * <p>Which step values the bar shows: the players' totals ({@code loss/generator}, {@code loss/discriminator}) and
 * the components of a total ({@code loss/d_adv/real}) when the step logs totals; otherwise every weighted term
 * ({@code loss/bce} for a classifier, a user's own terms). Raw (unweighted) values are left to the metrics file.
 */
public final class ProgressBar implements TrainingListener<Object> {
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
    public void onStart(TrainingContext<?> c) {
        startNanos = System.nanoTime();
        startStep = c.globalStep();
    }

    /** The status line for a step (also used for the log lines). */
    String line(StepReport s, TrainingContext<?> c) {
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
        for (Map.Entry<String, Double> e : shown(s.losses()).entrySet()) {
            b.append(String.format(Locale.ROOT, " %s %.4g", e.getKey(), e.getValue()));
        }
        b.append(String.format(Locale.ROOT, " ETA %s", formatSeconds(eta)));
        return b.toString();
    }

    /** The values a line shows, by short name ({@code loss/} dropped). */
    static Map<String, Double> shown(Map<String, Double> values) {
        Set<String> totals = new HashSet<>();
        for (Player p : Player.values()) {
            totals.add(LossSet.totalName(p));
        }
        boolean hasTotals = values.keySet().stream().anyMatch(totals::contains);
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(Comparator.comparing((String k) -> !totals.contains(k)).thenComparing(Comparator.naturalOrder()));
        for (String k : keys) {
            if (k.endsWith("/raw") || k.contains("/confusion/")) {
                continue;
            }
            boolean component = k.chars().filter(ch -> ch == '/').count() >= 2;
            if (!hasTotals || totals.contains(k) || component) {
                out.put(k.startsWith("loss/") ? k.substring(5) : k, values.get(k));
            }
        }
        return out;
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
    }

    @Override
    public void onStep(StepReport step, TrainingContext<?> context) {
        String l = line(step, context);
        if (terminal) {
            out.print("\r" + l);
            out.flush();
        } else if ((step.globalStep() + 1) % logEvery == 0) {
            LOG.info(l);
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics m, TrainingContext<?> context) {
        if (terminal) {
            out.println();
        }
        LOG.info(epochLine(m, context.totalEpochs()));
    }

    /** The epoch-end line: every shown mean, the flip rate when there is one, the wall time. */
    static String epochLine(EpochMetrics m, int totalEpochs) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d:", m.epoch() + 1, totalEpochs));
        String sep = " ";
        for (Map.Entry<String, Double> e : shown(m.losses()).entrySet()) {
            b.append(sep).append(String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue()));
            sep = ", ";
        }
        if (!Double.isNaN(m.flipRate())) {
            b.append(sep).append(String.format(Locale.ROOT, "flip rate %.3f (%d abnormal)", m.flipRate(),
                    m.abnormalSlices()));
        }
        return b.append(String.format(Locale.ROOT, "; %.1f s", m.seconds())).toString();
    }
}
