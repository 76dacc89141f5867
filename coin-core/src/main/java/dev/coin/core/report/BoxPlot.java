package dev.coin.core.report;

import dev.coin.data.image.PngWriter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Box plots of per-image values (e.g. per-image IoU of several methods), drawn with java.awt and written as PNG.
 * Box = quartiles (numpy "linear" percentiles), median line, whiskers to the most extreme values within 1.5·IQR of
 * the box (matplotlib's default), values beyond as outlier dots. Layout: plot area from {@link #LEFT} to
 * {@code width − RIGHT} and {@link #TOP} to {@code height − BOTTOM}; method i's box is centred in the i-th of
 * equal-width slots; the value axis spans [lo, hi] (default [0, 1]) bottom to top.
 *
 * <pre>{@code
 * BoxPlot plot = BoxPlot.builder().title("per-image IoU").build();
 * plot.write(Map.of("COIN", coinIous, "RISE", riseIous), dir.resolve("iou-box.png"));
 * }</pre>
 */
public final class BoxPlot {
    public static final int LEFT = 48;
    public static final int RIGHT = 12;
    public static final int TOP = 24;
    public static final int BOTTOM = 36;
    public static final Color BOX_FILL = new Color(173, 216, 230);
    public static final Color MEDIAN = new Color(255, 127, 14);
    private static final int BOX_HALF_WIDTH_PERCENT = 30;

    private final int width;
    private final int height;
    private final double lo;
    private final double hi;
    private final String title;

    private BoxPlot(Builder b) {
        if (b.width < LEFT + RIGHT + 10 || b.height < TOP + BOTTOM + 10) {
            throw new IllegalArgumentException("plot size " + b.width + "x" + b.height + " too small; use at least "
                    + (LEFT + RIGHT + 10) + "x" + (TOP + BOTTOM + 10));
        }
        if (!(b.lo < b.hi)) {
            throw new IllegalArgumentException("value range must satisfy lo < hi, got [" + b.lo + ", " + b.hi + "]");
        }
        width = b.width;
        height = b.height;
        lo = b.lo;
        hi = b.hi;
        title = b.title;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Five-number summary plus outliers of one series. */
    public record Stats(double q1, double median, double q3, double whiskerLow, double whiskerHigh, double[] outliers) {
        public static Stats of(double[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("a box needs at least one value");
            }
            double[] v = values.clone();
            java.util.Arrays.sort(v);
            if (Double.isNaN(v[v.length - 1])) {
                throw new IllegalArgumentException("values contain NaN");
            }
            double q1 = percentile(v, 25);
            double q3 = percentile(v, 75);
            double iqr = q3 - q1;
            double wl = q1;
            double wh = q3;
            List<Double> out = new ArrayList<>();
            for (double x : v) {
                if (x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr) {
                    out.add(x);
                } else {
                    wl = Math.min(wl, x);
                    wh = Math.max(wh, x);
                }
            }
            return new Stats(q1, percentile(v, 50), q3, wl, wh, out.stream().mapToDouble(Double::doubleValue).toArray());
        }

        static double percentile(double[] sorted, double p) {
            double rank = p / 100 * (sorted.length - 1);
            int i = (int) Math.floor(rank);
            int j = Math.min(i + 1, sorted.length - 1);
            return sorted[i] + (rank - i) * (sorted[j] - sorted[i]);
        }
    }

    /** Pixel row of value {@code v}. */
    public int y(double v) {
        int plotH = height - TOP - BOTTOM;
        return TOP + (int) Math.round((hi - v) / (hi - lo) * plotH);
    }

    /** Pixel column of the centre of box {@code i} of {@code n}. */
    public int x(int i, int n) {
        int plotW = width - LEFT - RIGHT;
        return LEFT + (int) Math.round((i + 0.5) * plotW / n);
    }

    /** Draws the plot; series in map iteration order (use a LinkedHashMap to fix it). */
    public BufferedImage render(Map<String, double[]> series) {
        Objects.requireNonNull(series, "series");
        if (series.isEmpty()) {
            throw new IllegalArgumentException("series is empty; pass at least one method's values");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.drawLine(LEFT, TOP, LEFT, height - BOTTOM);
            g.drawLine(LEFT, height - BOTTOM, width - RIGHT, height - BOTTOM);
            for (int t = 0; t <= 4; t++) {
                double v = lo + (hi - lo) * t / 4;
                g.drawLine(LEFT - 4, y(v), LEFT, y(v));
                g.drawString(String.format(Locale.ROOT, "%.2f", v), 4, y(v) + 4);
            }
            if (title != null) {
                g.drawString(title, LEFT, TOP - 8);
            }
            int n = series.size();
            int slot = (width - LEFT - RIGHT) / n;
            int half = Math.max(2, slot * BOX_HALF_WIDTH_PERCENT / 100);
            int i = 0;
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                Stats s = Stats.of(e.getValue());
                checkRange(e.getKey(), e.getValue());
                int cx = x(i, n);
                g.setStroke(new BasicStroke(1));
                g.setColor(Color.BLACK);
                g.drawLine(cx, y(s.whiskerHigh()), cx, y(s.q3()));
                g.drawLine(cx, y(s.q1()), cx, y(s.whiskerLow()));
                g.drawLine(cx - half / 2, y(s.whiskerHigh()), cx + half / 2, y(s.whiskerHigh()));
                g.drawLine(cx - half / 2, y(s.whiskerLow()), cx + half / 2, y(s.whiskerLow()));
                g.setColor(BOX_FILL);
                g.fillRect(cx - half, y(s.q3()), 2 * half, Math.max(1, y(s.q1()) - y(s.q3())));
                g.setColor(Color.BLACK);
                g.drawRect(cx - half, y(s.q3()), 2 * half, Math.max(1, y(s.q1()) - y(s.q3())));
                g.setColor(MEDIAN);
                g.setStroke(new BasicStroke(2));
                g.drawLine(cx - half + 1, y(s.median()), cx + half - 1, y(s.median()));
                g.setStroke(new BasicStroke(1));
                g.setColor(Color.DARK_GRAY);
                for (double o : s.outliers()) {
                    g.drawOval(cx - 2, y(o) - 2, 4, 4);
                }
                g.setColor(Color.BLACK);
                // name and count on two centred lines, so neighbouring labels never run into each other
                java.awt.FontMetrics fm = g.getFontMetrics();
                String count = "n=" + e.getValue().length;
                g.drawString(e.getKey(), cx - fm.stringWidth(e.getKey()) / 2, height - BOTTOM + 15);
                g.drawString(count, cx - fm.stringWidth(count) / 2, height - BOTTOM + 29);
                i++;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes a PNG (RGB) through {@link PngWriter}. */
    public void write(Map<String, double[]> series, Path file) {
        PngWriter.write(render(new LinkedHashMap<>(series)), file);
    }

    private void checkRange(String name, double[] values) {
        for (double v : values) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("series '" + name + "' has value " + v + " outside the axis range ["
                        + lo + ", " + hi + "]; widen it with builder().range(lo, hi)");
            }
        }
    }

    /** Defaults: 480×320, range [0, 1], no title. */
    public static final class Builder {
        private int width = 480;
        private int height = 320;
        private double lo = 0;
        private double hi = 1;
        private String title;

        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        public Builder range(double low, double high) {
            this.lo = low;
            this.hi = high;
            return this;
        }

        public Builder title(String t) {
            this.title = t;
            return this;
        }

        public BoxPlot build() {
            return new BoxPlot(this);
        }
    }
}
