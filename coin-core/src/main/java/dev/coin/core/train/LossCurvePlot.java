package dev.coin.core.train;

import dev.coin.core.EpochMetrics;
import dev.coin.core.report.LineChart;

import dev.coin.data.image.PngWriter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws the per-epoch curves of the weighted loss terms, the totals, epoch-level values (validation) and the flip rate
 * into {@code loss-curves.png} in the trainer's run folder after every epoch ({@link LineChart}: epochs on x, value
 * on y, one colour per series, legend below).
 */
public final class LossCurvePlot implements TrainingListener<Object> {
    /** The file name in the run folder. */
    public static final String FILE = "loss-curves.png";
    private final int width;
    private final int height;

    /** 900×560 pixels into {@code <run folder>/loss-curves.png}. */
    public LossCurvePlot() {
        this(900, 560);
    }

    /** {@code width}×{@code height} pixels into {@code <run folder>/loss-curves.png}. */
    public LossCurvePlot(int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("plot size must be at least 200×150, got " + width + "×" + height
                    + "; pass a larger width and height");
        }
        this.width = width;
        this.height = height;
    }

    @Override
    public void onStart(TrainingContext<?> context) {
        context.requireRunDirectory("LossCurvePlot");
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingContext<?> context) {
        PngWriter.write(render(context.history()), context.requireRunDirectory("LossCurvePlot").resolve(FILE));
    }

    /**
     * The series drawn: weighted terms ({@code loss/x} without {@code /raw}), epoch-level values without counts
     * ({@code /confusion/}), and the flip rate when an epoch has one.
     */
    static List<String> series(List<EpochMetrics> history) {
        Set<String> names = new LinkedHashSet<>();
        boolean flips = false;
        for (EpochMetrics m : history) {
            for (String k : m.losses().keySet()) {
                if (!k.endsWith("/raw") && !k.contains("/confusion/")) {
                    names.add(k);
                }
            }
            flips |= !Double.isNaN(m.flipRate());
        }
        List<String> out = new ArrayList<>(names);
        if (flips) {
            out.add("flip rate");
        }
        return out;
    }

    static double value(EpochMetrics m, String series) {
        return series.equals("flip rate") ? m.flipRate() : m.loss(series);
    }

    /**
     * The curves of {@code history} by series name ({@code loss/} dropped), one value per epoch (NaN where an epoch
     * lacks the term): what {@link #render} draws, and what a report's loss chart takes.
     */
    public static Map<String, double[]> curves(List<EpochMetrics> history) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String s : series(history)) {
            double[] v = new double[history.size()];
            for (int e = 0; e < v.length; e++) {
                v[e] = value(history.get(e), s);
            }
            out.put(s.startsWith("loss/") ? s.substring(5) : s, v);
        }
        return out;
    }

    /** Renders the plot. */
    public BufferedImage render(List<EpochMetrics> history) {
        return LineChart.builder().title("loss terms per epoch").yLabel("loss (weighted) / flip rate")
                .size(width, height).build().render(curves(history));
    }
}
