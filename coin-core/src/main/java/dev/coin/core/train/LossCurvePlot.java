package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import dev.coin.data.image.PngWriter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Draws the per-epoch curves of the weighted loss terms, the two totals and the flip rate into
 * {@code loss-curves.png} (epochs on x, value on y, one colour per series, legend) after every epoch.
 */
public final class LossCurvePlot implements TrainingListener {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private final Path file;
    private final int width;
    private final int height;

    /** 900×560 pixels into {@code runDirectory/loss-curves.png}. */
    public LossCurvePlot(Path runDirectory) {
        this(runDirectory.resolve("loss-curves.png"), 900, 560);
    }

    public LossCurvePlot(Path file, int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("plot size must be at least 200×150, got " + width + "×" + height);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.width = width;
        this.height = height;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
        PngWriter.write(render(context.history()), file);
    }

    /** The series drawn: weighted terms ({@code loss/x} without {@code /raw}) and the flip rate. */
    static List<String> series(List<EpochMetrics> history) {
        Set<String> names = new LinkedHashSet<>();
        for (EpochMetrics m : history) {
            for (String k : m.losses().keySet()) {
                if (!k.endsWith("/raw")) {
                    names.add(k);
                }
            }
        }
        List<String> out = new ArrayList<>(names);
        out.add("flip rate");
        return out;
    }

    static double value(EpochMetrics m, String series) {
        return series.equals("flip rate") ? m.flipRate() : m.loss(series);
    }

    /** Renders the plot. */
    public BufferedImage render(List<EpochMetrics> history) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70;
        int right = width - 200;
        int top = 20;
        int bottom = height - 50;
        List<String> series = series(history);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (EpochMetrics m : history) {
            for (String s : series) {
                double v = value(m, s);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        int n = Math.max(1, history.size());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        for (int t = 0; t <= 5; t++) {
            double v = lo + (hi - lo) * t / 5;
            int y = bottom - (int) Math.round((bottom - top) * (double) t / 5);
            g.drawLine(left - 4, y, left, y);
            g.drawString(String.format(Locale.ROOT, "%.3g", v), 5, y + 4);
        }
        int ticks = Math.min(n, 10);
        for (int t = 0; t < ticks; t++) {
            int e = ticks == 1 ? 0 : (int) Math.round((double) t * (n - 1) / (ticks - 1));
            int xp = xPos(e, n, left, right);
            g.drawLine(xp, bottom, xp, bottom + 4);
            g.drawString(Integer.toString(e + 1), xp - 4, bottom + 18);
        }
        g.drawString("epoch", (left + right) / 2 - 15, height - 12);
        g.setStroke(new BasicStroke(2f));
        for (int si = 0; si < series.size(); si++) {
            String s = series.get(si);
            g.setColor(PALETTE[si % PALETTE.length]);
            int px = -1;
            int py = -1;
            for (int e = 0; e < history.size(); e++) {
                double v = value(history.get(e), s);
                if (!Double.isFinite(v)) {
                    px = -1;
                    continue;
                }
                int xp = xPos(e, n, left, right);
                int yp = bottom - (int) Math.round((v - lo) / (hi - lo) * (bottom - top));
                if (px >= 0) {
                    g.drawLine(px, py, xp, yp);
                }
                g.fillOval(xp - 2, yp - 2, 5, 5);
                px = xp;
                py = yp;
            }
            int ly = top + 10 + 18 * si;
            g.fillRect(right + 15, ly - 8, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.startsWith("loss/") ? s.substring(5) : s, right + 35, ly + 1);
        }
        g.dispose();
        return img;
    }

    private static int xPos(int e, int n, int left, int right) {
        return n == 1 ? (left + right) / 2 : left + (int) Math.round((double) e / (n - 1) * (right - left));
    }
}
