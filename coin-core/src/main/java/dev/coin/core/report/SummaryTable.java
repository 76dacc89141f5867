package dev.coin.core.report;

import dev.coin.core.mask.PostProcessing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The evaluation summary: one row per (method, threshold policy) with the threshold used and any metrics, written as
 * CSV (full precision, {@code NaN} for undefined) and as a Markdown table (4 decimals, "n/a" for undefined). Columns
 * are the metric names in first-seen order; a row without a metric leaves the cell empty.
 *
 * <pre>{@code
 * SummaryTable table = new SummaryTable();
 * table.add(SummaryTable.Row.of("COIN", "fixed", 0.25, PostProcessing.none())
 *         .metric("IoU_agg", 0.43).metric("CV_0.8", 0.98));
 * table.writeCsv(dir.resolve("summary.csv"));
 * table.writeMarkdown(dir.resolve("summary.md"));
 * }</pre>
 */
public final class SummaryTable {
    private final List<Row> rows = new ArrayList<>();

    /** One line of the table. */
    public static final class Row {
        private final String method;
        private final String policy;
        private final double threshold;
        private final String postProcessing;
        private final Map<String, Double> metrics = new LinkedHashMap<>();

        private Row(String method, String policy, double threshold, String postProcessing) {
            this.method = Objects.requireNonNull(method, "method");
            this.policy = Objects.requireNonNull(policy, "policy");
            this.threshold = threshold;
            this.postProcessing = Objects.requireNonNull(postProcessing, "postProcessing");
        }

        /**
         * @param policy how the threshold was chosen, e.g. "default", "best-IoU sweep", "healthy p99"
         */
        public static Row of(String method, String policy, double threshold, PostProcessing postProcessing) {
            return new Row(method, policy, threshold, postProcessing.toString());
        }

        /** Adds a metric (NaN allowed: written as undefined). */
        public Row metric(String name, double value) {
            if (metrics.containsKey(Objects.requireNonNull(name, "name"))) {
                throw new IllegalArgumentException("metric '" + name + "' is already set for " + method);
            }
            metrics.put(name, value);
            return this;
        }

        public String method() {
            return method;
        }

        public String policy() {
            return policy;
        }

        public double threshold() {
            return threshold;
        }

        /** The post-processing's description, e.g. {@code PostProcessing[none]}. */
        public String postProcessing() {
            return postProcessing;
        }

        public Map<String, Double> metrics() {
            return Collections.unmodifiableMap(metrics);
        }
    }

    public SummaryTable add(Row row) {
        rows.add(Objects.requireNonNull(row, "row"));
        return this;
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The metric columns, in first-seen order. */
    public List<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Row r : rows) {
            names.addAll(r.metrics.keySet());
        }
        return new ArrayList<>(names);
    }

    /** CSV text: header {@code method,threshold_policy,threshold,post_processing,<metrics…>}. */
    public String toCsv() {
        List<String> names = metricNames();
        StringBuilder s = new StringBuilder("method,threshold_policy,threshold,post_processing");
        for (String n : names) {
            s.append(',').append(csv(n));
        }
        s.append('\n');
        for (Row r : rows) {
            s.append(csv(r.method)).append(',').append(csv(r.policy)).append(',').append(r.threshold).append(',')
                    .append(csv(r.postProcessing));
            for (String n : names) {
                s.append(',');
                Double v = r.metrics.get(n);
                if (v != null) {
                    s.append(v);
                }
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Markdown table text. */
    public String toMarkdown() {
        List<String> names = metricNames();
        StringBuilder s = new StringBuilder("| method | threshold policy | threshold | post-processing |");
        StringBuilder rule = new StringBuilder("|---|---|---:|---|");
        for (String n : names) {
            s.append(' ').append(md(n)).append(" |");
            rule.append("---:|");
        }
        s.append('\n').append(rule).append('\n');
        for (Row r : rows) {
            s.append("| ").append(md(r.method)).append(" | ").append(md(r.policy)).append(" | ")
                    .append(format(r.threshold)).append(" | ").append(md(r.postProcessing)).append(" |");
            for (String n : names) {
                Double v = r.metrics.get(n);
                s.append(' ').append(v == null ? "" : format(v)).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }

    public void writeCsv(Path file) {
        write(file, toCsv());
    }

    public void writeMarkdown(Path file) {
        write(file, toMarkdown());
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String csv(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static String md(String v) {
        return v.replace("|", "\\|");
    }

    // whole or not at all: a crash never leaves half a table
    private static void write(Path file, String text) {
        dev.coin.data.runtime.AtomicFiles.writeString(file, text);
    }

    @Override
    public String toString() {
        return "SummaryTable[" + rows.size() + " rows]\n" + toMarkdown();
    }
}
