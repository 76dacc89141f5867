package dev.coin.core.experiment;

import dev.coin.core.eval.BootstrapInterval;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The Markdown page of a {@link ComparisonTable}: free-text header lines, the table, and a legend saying what the
 * numbers are. Three decimals for means and sds ({@code 0.523 ± 0.021}), two for interval ends ({@code [0.48, 0.56]}:
 * an interval is itself uncertain in its third digit), "n/a" where a number is undefined, an empty cell where a
 * column does not apply to the line.
 */
final class ComparisonMarkdown {
    private static final String DESCRIPTION_PREFIX = "PostProcessing[";

    private ComparisonMarkdown() {
    }

    static String render(List<String> header, List<ComparisonTable.Row> shown, int total) {
        Objects.requireNonNull(header, "header");
        StringBuilder s = new StringBuilder();
        for (String line : header) {
            s.append(Objects.requireNonNull(line, "header holds null")).append('\n');
        }
        if (!header.isEmpty()) {
            s.append('\n');
        }
        s.append("| method | threshold policy | post-processing | seeds | threshold |");
        StringBuilder rule = new StringBuilder("|---|---|---|---:|---:|");
        for (String m : ComparisonTable.METRICS) {
            s.append(' ').append(label(m)).append(" |");
            rule.append("---:|");
        }
        s.append(" per-image IoU [").append(percent(BootstrapInterval.DEFAULT_CONFIDENCE)).append(" CI] | s/epoch | "
                + "parameters |\n");
        rule.append("---:|---:|---:|\n");
        s.append(rule);
        for (ComparisonTable.Row r : shown) {
            s.append("| ").append(md(r.method())).append(" | ").append(md(r.policy())).append(" | ")
                    .append(md(postProcessing(r.postProcessing()))).append(" | ").append(r.seeds().size())
                    .append(" | ").append(meanSd(r.threshold())).append(" |");
            for (String m : ComparisonTable.METRICS) {
                s.append(' ').append(meanSd(r.metric(m))).append(" |");
            }
            s.append(' ').append(interval(r)).append(" | ").append(secondsPerEpoch(r.secondsPerEpoch())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", r.parameters())).append(" |\n");
        }
        s.append('\n').append("Mean ± sample sd over seeds (n/a: one seed, or undefined in a seed). Per-image IoU: at "
                + "the fixed threshold, each slice's IoU averaged over the seeds, then its mean with a ")
                .append(percent(BootstrapInterval.DEFAULT_CONFIDENCE)).append(" percentile bootstrap interval over "
                + "slices (").append(String.format(Locale.ROOT, "%,d", BootstrapInterval.DEFAULT_REPLICATES))
                .append(" replicates).\n");
        if (shown.size() < total) {
            s.append("Shown: ").append(shown.size()).append(" of ").append(total).append(" rows; ")
                    .append(ComparisonTable.CSV).append(" has every row.\n");
        }
        return s.toString();
    }

    /** {@code 0.523 ± 0.021}; {@code 0.523 ± n/a} for one seed; {@code n/a} when undefined. */
    static String meanSd(MeanSd m) {
        if (!m.defined()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.3f ± %s", m.mean(),
                Double.isNaN(m.sd()) ? "n/a" : String.format(Locale.ROOT, "%.3f", m.sd()));
    }

    /** {@code 0.512 [0.48, 0.56]} on the bootstrapped line, n/a on a fixed line without a series, else empty. */
    static String interval(ComparisonTable.Row r) {
        if (r.perImageIou().isPresent()) {
            BootstrapInterval ci = r.perImageIou().get();
            return String.format(Locale.ROOT, "%.3f [%.2f, %.2f]", ci.mean(), ci.lower(), ci.upper());
        }
        return r.fixedThreshold() && r.unprocessed() ? "n/a" : "";
    }

    private static String secondsPerEpoch(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String label(String metric) {
        return metric.equals("flip_rate_abnormal_predicted") ? "flip rate" : metric;
    }

    /** "PostProcessing[open3x3 close3x3 largest8]" → "open3x3 close3x3 largest8". */
    private static String postProcessing(String description) {
        if (description.startsWith(DESCRIPTION_PREFIX) && description.endsWith("]")) {
            return description.substring(DESCRIPTION_PREFIX.length(), description.length() - 1);
        }
        return description;
    }

    private static String percent(double confidence) {
        return String.format(Locale.ROOT, "%.0f %%", confidence * 100);
    }

    private static String md(String v) {
        return v.replace("|", "\\|");
    }
}
