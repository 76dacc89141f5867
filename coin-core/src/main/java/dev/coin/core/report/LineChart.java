package dev.coin.core.report;

import dev.coin.data.image.PngWriter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Per-epoch curves (loss terms, validation IoU), drawn by JFreeChart and written as PNG: x = 1, 2, … (the epoch),
 * one coloured line with point markers per series, a legend below. Non-finite values leave a gap.
 *
 * <pre>{@code
 * LineChart.builder().title("validation IoU").yLabel("IoU_agg").build()
 *         .write(Map.of("COIN, fixed 0.25", iouPerEpoch), dir.resolve("validation-iou.png"));
 * }</pre>
 */
public final class LineChart {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private final int width;
    private final int height;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double[] yRange;

    private LineChart(Builder b) {
        if (b.width < 200 || b.height < 150) {
            throw new IllegalArgumentException("chart size must be at least 200×150, got " + b.width + "×" + b.height
                    + "; fix builder().size(w, h)");
        }
        width = b.width;
        height = b.height;
        title = b.title;
        xLabel = b.xLabel;
        yLabel = b.yLabel;
        yRange = b.yRange;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The chart of {@code series} (value i is plotted at x = i + 1), in map iteration order. */
    public JFreeChart chart(Map<String, double[]> series) {
        Objects.requireNonNull(series, "series");
        if (series.isEmpty()) {
            throw new IllegalArgumentException("series is empty; pass at least one named series of values");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                s.add(i + 1, Double.isFinite(v[i]) ? Double.valueOf(v[i]) : null);
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        if (yRange != null) {
            y.setRange(yRange[0], yRange[1]);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    public BufferedImage render(Map<String, double[]> series) {
        return chart(series).createBufferedImage(width, height);
    }

    /** Renders and writes a PNG; returns {@code file}. */
    public Path write(Map<String, double[]> series, Path file) {
        PngWriter.write(render(new LinkedHashMap<>(series)), file);
        return file;
    }

    /** Defaults: 720×420, x label "epoch", y label "value", automatic y range. */
    public static final class Builder {
        private int width = 720;
        private int height = 420;
        private String title;
        private String xLabel = "epoch";
        private String yLabel = "value";
        private double[] yRange;

        public Builder size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        public Builder title(String t) {
            this.title = t;
            return this;
        }

        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /** A fixed y range instead of the automatic one. */
        public Builder yRange(double lo, double hi) {
            if (!(lo < hi)) {
                throw new IllegalArgumentException("yRange must satisfy lo < hi, got [" + lo + ", " + hi
                        + "]; pass the lower bound first");
            }
            this.yRange = new double[] {lo, hi};
            return this;
        }

        public LineChart build() {
            return new LineChart(this);
        }
    }
}
