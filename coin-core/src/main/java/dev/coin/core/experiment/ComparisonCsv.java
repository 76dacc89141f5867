package dev.coin.core.experiment;

import dev.coin.core.eval.BootstrapInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CSV of a {@link ComparisonTable}: every line, one column per number at full precision ({@link Double#toString},
 * which reads back to the same double), {@code NaN} where a number is undefined or does not apply, so a script can
 * redo any figure of the Markdown page.
 *
 * <p>Columns: {@code cell, method, threshold_policy, post_processing, seeds, seed_list} (seeds joined by ';'),
 * {@code threshold_mean, threshold_sd}, then {@code <metric>_mean, <metric>_sd} for each of
 * {@link ComparisonTable#METRICS}, {@code per_image_iou_mean, per_image_iou_ci_lower, per_image_iou_ci_upper,
 * seconds_per_epoch, parameters}.
 */
final class ComparisonCsv {
    private ComparisonCsv() {
    }

    /** The header row's column names. */
    static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("cell", "method", "threshold_policy", "post_processing",
                "seeds", "seed_list", "threshold_mean", "threshold_sd"));
        for (String m : ComparisonTable.METRICS) {
            c.add(m + "_mean");
            c.add(m + "_sd");
        }
        c.addAll(List.of("per_image_iou_mean", "per_image_iou_ci_lower", "per_image_iou_ci_upper",
                "seconds_per_epoch", "parameters"));
        return c;
    }

    static String render(List<ComparisonTable.Row> rows) {
        StringBuilder s = new StringBuilder(columns().stream().map(ComparisonCsv::text)
                .collect(Collectors.joining(","))).append('\n');
        for (ComparisonTable.Row r : rows) {
            s.append(text(r.cell())).append(',').append(text(r.method())).append(',').append(text(r.policy()))
                    .append(',').append(text(r.postProcessing())).append(',').append(r.seeds().size()).append(',')
                    .append(r.seeds().stream().map(String::valueOf).collect(Collectors.joining(";")));
            meanSd(s, r.threshold());
            for (String m : ComparisonTable.METRICS) {
                meanSd(s, r.metric(m));
            }
            double mean = r.perImageIou().map(BootstrapInterval::mean).orElse(Double.NaN);
            double lower = r.perImageIou().map(BootstrapInterval::lower).orElse(Double.NaN);
            double upper = r.perImageIou().map(BootstrapInterval::upper).orElse(Double.NaN);
            s.append(',').append(mean).append(',').append(lower).append(',').append(upper).append(',')
                    .append(r.secondsPerEpoch()).append(',').append(r.parameters()).append('\n');
        }
        return s.toString();
    }

    private static void meanSd(StringBuilder s, MeanSd m) {
        s.append(',').append(m.mean()).append(',').append(m.sd());
    }

    /** A text field, quoted when it holds a comma, a quote or a line break ("best IoU_agg (sweep, uses labels)"). */
    private static String text(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
