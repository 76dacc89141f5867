package dev.coin.core.eval;

import dev.coin.core.report.HtmlReport;
import dev.coin.core.report.SlicePanel;
import dev.coin.core.report.SummaryTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What an {@link Evaluation} measured: the summary table (every method and threshold policy), the per-image IoU of
 * every method at its fixed threshold, for counterfactual methods the flip rate on abnormal-predicted slices and the
 * label-free (healthy p99) threshold, and the labelled per-slice panels of the gallery.
 */
public record EvaluationReport(SummaryTable table, Map<String, double[]> perImageIou, Map<String, FlipRate> flipRates,
                               Map<String, Double> labelFreeThresholds, List<SlicePanel> panels) {
    public EvaluationReport {
        perImageIou = Map.copyOf(perImageIou);
        flipRates = Map.copyOf(flipRates);
        labelFreeThresholds = Map.copyOf(labelFreeThresholds);
        panels = List.copyOf(panels);
    }

    /** A report without panels. */
    public EvaluationReport(SummaryTable table, Map<String, double[]> perImageIou, Map<String, FlipRate> flipRates,
                            Map<String, Double> labelFreeThresholds) {
        this(table, perImageIou, flipRates, labelFreeThresholds, List.of());
    }

    /**
     * Writes the report into {@code dir}: {@code index.html} (one offline page: table, box plot, provenance of this
     * process, gallery; {@link HtmlReport}), {@code summary.csv}, {@code summary.md}, {@code iou-boxplot.png} and
     * {@code panels/<method>/…png}.
     */
    public Path write(Path dir) {
        return write(dir, UnaryOperator.identity());
    }

    /**
     * As {@link #write(Path)}, with what only the caller knows added to the page, e.g.
     * {@code r.write(dir, page -> page.lossCurves(curves).validationIou(iou).provenance("seed", "777"))}.
     *
     * @return the path of {@code index.html}
     */
    public Path write(Path dir, UnaryOperator<HtmlReport.Builder> extras) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(extras, "extras");
        table.writeCsv(dir.resolve("summary.csv"));
        table.writeMarkdown(dir.resolve("summary.md"));
        HtmlReport.Builder page = HtmlReport.builder().title("COIN evaluation report").table(table)
                .perImageIou(orderedPerImage()).panels(panels);
        HtmlReport.Builder full = extras.apply(page);   // the caller's provenance first, then the measured lines
        flipRates.forEach((m, f) -> full.provenance(m + ": flip rate on abnormal-predicted slices", f.toString()));
        labelFreeThresholds.forEach((m, t) -> full.provenance(m + ": label-free threshold (healthy p99)",
                String.format(java.util.Locale.ROOT, "%.4f", t)));
        return full.build().write(dir);
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
