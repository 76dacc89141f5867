package dev.coin.core.report;

import dev.coin.data.image.PngWriter;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;

/**
 * Box plots of per-image values (e.g. per-image IoU of several methods), drawn by JFreeChart and written as PNG.
 * Box = quartiles (numpy "linear" percentiles, {@link Stats}), median line, whiskers to the most extreme values
 * within 1.5·IQR of the box (matplotlib's default), values beyond as outlier dots; each method's axis label carries
 * its count ({@code COIN (n=51)}). The value axis spans [lo, hi] (default [0, 1]).
 *
 * <pre>{@code
 * BoxPlot plot = BoxPlot.builder().title("per-image IoU").build();
 * plot.write(Map.of("COIN", coinIous, "RISE", riseIous), dir.resolve("iou-box.png"));
 * }</pre>
 */
public final class BoxPlot {
    public static final Color BOX_FILL = new Color(173, 216, 230);

    private final int width;
    private final int height;
    private final double lo;
    private final double hi;
    private final String title;
    private final String valueLabel;

    private BoxPlot(Builder b) {
        if (b.width < 120 || b.height < 100) {
            throw new IllegalArgumentException("plot size " + b.width + "x" + b.height + " too small; use at least "
                    + "120x100 in builder().size(w, h)");
        }
        if (!(b.lo < b.hi)) {
            throw new IllegalArgumentException("value range must satisfy lo < hi, got [" + b.lo + ", " + b.hi
                    + "]; fix builder().range(lo, hi)");
        }
        width = b.width;
        height = b.height;
        lo = b.lo;
        hi = b.hi;
        title = b.title;
        valueLabel = b.valueLabel;
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
                throw new IllegalArgumentException("values contain NaN; drop undefined values before plotting");
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

    /** Draws the plot; series in map iteration order (use a LinkedHashMap to fix it). */
    public BufferedImage render(Map<String, double[]> series) {
        return chart(series).createBufferedImage(width, height);
    }

    /** The JFreeChart chart of {@code series} (for callers that export it elsewhere). */
    public JFreeChart chart(Map<String, double[]> series) {
        Objects.requireNonNull(series, "series");
        if (series.isEmpty()) {
            throw new IllegalArgumentException("series is empty; pass at least one method's values");
        }
        DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            checkRange(e.getKey(), e.getValue());
            Stats s = Stats.of(e.getValue());
            List<Double> outliers = new ArrayList<>();
            for (double o : s.outliers()) {
                outliers.add(o);
            }
            double mean = java.util.Arrays.stream(e.getValue()).average().orElse(Double.NaN);
            BoxAndWhiskerItem item = new BoxAndWhiskerItem(mean, s.median(), s.q1(), s.q3(), s.whiskerLow(),
                    s.whiskerHigh(), lo, hi, outliers);
            data.add(item, "per-image", e.getKey() + " (n=" + e.getValue().length + ")");
        }
        BoxAndWhiskerRenderer renderer = new BoxAndWhiskerRenderer();
        renderer.setSeriesPaint(0, BOX_FILL);
        renderer.setMeanVisible(false);
        renderer.setMaxOutlierVisible(false);
        renderer.setMinOutlierVisible(false);
        renderer.setMaximumBarWidth(0.12);
        renderer.setUseOutlinePaintForWhiskers(true);
        renderer.setDefaultOutlinePaint(Color.BLACK);
        NumberAxis values = new NumberAxis(valueLabel);
        values.setRange(lo, hi);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("method"), values, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
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
        private String valueLabel = "value";

        /** The value axis's label (default "value"). */
        public Builder valueLabel(String label) {
            this.valueLabel = Objects.requireNonNull(label, "valueLabel");
            return this;
        }

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
