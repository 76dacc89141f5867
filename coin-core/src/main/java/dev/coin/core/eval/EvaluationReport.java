package dev.coin.core.eval;

import dev.coin.core.report.BoxPlot;
import dev.coin.core.report.SummaryTable;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an {@link Evaluation} measured: the summary table (every method and threshold policy), the per-image IoU of
 * every method at its fixed threshold, and for counterfactual methods the flip rate on abnormal-predicted slices
 * and the label-free (healthy p99) threshold.
 */
public record EvaluationReport(SummaryTable table, Map<String, double[]> perImageIou, Map<String, FlipRate> flipRates,
                               Map<String, Double> labelFreeThresholds) {
    public EvaluationReport {
        perImageIou = Map.copyOf(perImageIou);
        flipRates = Map.copyOf(flipRates);
        labelFreeThresholds = Map.copyOf(labelFreeThresholds);
    }

    /** Writes {@code summary.csv}, {@code summary.md} and {@code iou-boxplot.png} into {@code dir}. */
    public void write(Path dir) {
        table.writeCsv(dir.resolve("summary.csv"));
        table.writeMarkdown(dir.resolve("summary.md"));
        BoxPlot.builder().title("per-image IoU").range(0, 1).build().write(orderedPerImage(), dir.resolve("iou-boxplot.png"));
    }

    /** Per-image IoU in the table's method order (the box plot's order). */
    public Map<String, double[]> orderedPerImage() {
        Map<String, double[]> m = new java.util.LinkedHashMap<>();
        for (SummaryTable.Row r : table.rows()) {
            double[] v = perImageIou.get(r.method());
            if (v != null) {
                m.putIfAbsent(r.method(), v);
            }
        }
        return m;
    }
}
