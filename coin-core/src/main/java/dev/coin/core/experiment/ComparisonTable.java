package dev.coin.core.experiment;

import dev.coin.core.eval.BootstrapInterval;
import dev.coin.core.eval.Evaluation;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.BoxPlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The comparison of an experiment table: every finished cell (row × seed) folded into one line per (method, threshold
 * policy, post-processing), each number as mean ± sample sd over the seeds, so a difference between two methods can
 * be read against how much a reseed moves either. At the fixed threshold the per-image IoU also gets a bootstrap
 * interval over the validation slices: the per-slice IoU is averaged over the seeds first (the slices are the same for
 * every seed), then the mean of that series is bootstrapped ({@link BootstrapInterval}, seeded, so rewriting the table
 * gives the same interval). Every method's interval uses the same bootstrap seed, hence the same resampled slices.
 *
 * <p>Rows are keyed by post-processing as well as policy because the evaluation reports "fixed 0.25" and the healthy
 * p99 threshold both with and without post-processing: merging those would average different masks. Rows appear in
 * first-seen order over the cells as given. A method must come from one table row (cell name) only.
 *
 * <p>{@link #write} writes {@code comparison.md} (a free-text header, then the rows a filter keeps, e.g.
 * {@link #MAIN}), {@code comparison.csv} (every row, one column per number, full precision, NaN for undefined) and
 * {@code iou-boxplot.png} (per-image IoU at the fixed threshold averaged over seeds, one box per method).
 *
 * <pre>{@code
 * List<CellResult> cells = ...;                        // CellResult.read(dir) of every finished cell
 * ComparisonTable table = ComparisonTable.of(cells);
 * table.write(out, List.of("budget: 20 epochs", "seeds: 1, 2, 3"), ComparisonTable.MAIN);
 * Map<String, Double> fair = table.fairTuned();        // held-out sweep IoU_agg per method
 * }</pre>
 */
public final class ComparisonTable {

    /** The held-out threshold policy's name ({@link Evaluation#HELD_OUT_POLICY}): the fair tuned number. */
    public static final String HELD_OUT_POLICY = Evaluation.HELD_OUT_POLICY;

    /** How the fixed-threshold policies start ("fixed 0.25" for counterfactuals, "fixed 0.975" for saliency). */
    public static final String FIXED_POLICY_PREFIX = "fixed ";

    /** The label-free policy of the main view: the healthy slices' 99th percentile. */
    public static final String LABEL_FREE_POLICY = "label-free (healthy p99)";

    /** The metrics summarised over seeds, in column order. */
    public static final List<String> METRICS = List.of("IoU_agg", "IoU_mean", "PER", "CV_0.8",
            "flip_rate_abnormal_predicted", "FID_classifier");

    private static final String NO_POST_PROCESSING = PostProcessing.none().toString();

    /** Default seed of the per-image bootstrap. */
    public static final long DEFAULT_BOOTSTRAP_SEED = 1;

    /** The rows worth reading first: fixed, held-out and healthy-p99 thresholds, without post-processing. */
    public static final Predicate<Row> MAIN = policies(FIXED_POLICY_PREFIX.strip(), HELD_OUT_POLICY, LABEL_FREE_POLICY)
            .and(Row::unprocessed);

    /** The Markdown page {@link #write} writes. */
    public static final String MARKDOWN = "comparison.md";
    /** The CSV of every line {@link #write} writes. */
    public static final String CSV = "comparison.csv";
    /** The per-image IoU box plot {@link #write} writes. */
    public static final String BOXPLOT = "iou-boxplot.png";

    private final List<Row> rows;
    private final Map<String, double[]> perImageIou;

    private ComparisonTable(List<Row> rows, Map<String, double[]> perImageIou) {
        this.rows = List.copyOf(rows);
        this.perImageIou = perImageIou;
    }

    /**
     * One line of the comparison.
     *
     * @param cell            the table row (cell name) the method was trained in
     * @param method          the method's report name
     * @param policy          the threshold policy
     * @param postProcessing  the post-processing's description ({@code PostProcessing[none]}, …)
     * @param seeds           the seeds that produced this line, in the order given
     * @param threshold       the threshold used, over seeds (label-free and tuned thresholds vary by seed)
     * @param metrics         each of {@link #METRICS}, over seeds
     * @param perImageIou     at the fixed threshold without post-processing: the mean of the seed-averaged per-slice
     *                        IoU and its bootstrap interval over slices; empty on other lines
     * @param secondsPerEpoch training wall time per epoch, mean over seeds (NaN without training)
     * @param parameters      trainable parameters of the cell (the same for every seed)
     */
    public record Row(String cell, String method, String policy, String postProcessing, List<Long> seeds,
                      MeanSd threshold, Map<String, MeanSd> metrics, Optional<BootstrapInterval> perImageIou,
                      double secondsPerEpoch, long parameters) {
        public Row {
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(postProcessing, "postProcessing");
            Objects.requireNonNull(threshold, "threshold");
            Objects.requireNonNull(perImageIou, "perImageIou");
            seeds = List.copyOf(seeds);
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /**
         * One of {@link #METRICS} over seeds.
         *
         * @throws IllegalArgumentException when {@code name} is not one of them
         */
        public MeanSd metric(String name) {
            MeanSd m = metrics.get(name);
            if (m == null) {
                throw new IllegalArgumentException("metric '" + name + "' is not summarised; use one of " + METRICS);
            }
            return m;
        }

        /** Whether the masks of this line were used as thresholded, without post-processing. */
        public boolean unprocessed() {
            return postProcessing.equals(NO_POST_PROCESSING);
        }

        /** Whether this is a fixed-threshold line. */
        public boolean fixedThreshold() {
            return policy.startsWith(FIXED_POLICY_PREFIX);
        }
    }

    /** The comparison of {@code cells}, bootstrapped with {@link #DEFAULT_BOOTSTRAP_SEED}. */
    public static ComparisonTable of(List<CellResult> cells) {
        return of(cells, DEFAULT_BOOTSTRAP_SEED);
    }

    /**
     * The comparison of every cell of a table (any number of seeds per row).
     *
     * @param cells         the finished cells; each (cell, seed) once
     * @param bootstrapSeed seed of the per-image bootstrap
     * @throws IllegalArgumentException when {@code cells} is empty, a (cell, seed) repeats, one method comes from two
     *                                  cells, a cell repeats a (method, policy, post-processing) line, a method's
     *                                  per-image series differ in length or hold NaN, or a cell's parameter count
     *                                  differs between seeds; each message names the cells and the fix
     */
    public static ComparisonTable of(List<CellResult> cells, long bootstrapSeed) {
        Objects.requireNonNull(cells, "cells");
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("cells is empty; pass the CellResult of every finished cell");
        }
        checkCells(cells);
        Map<String, double[]> perImage = seedAveragedPerImage(cells);
        Map<Key, List<Contribution>> groups = new LinkedHashMap<>();
        for (CellResult cell : cells) {
            for (CellResult.MethodRow r : cell.rows()) {
                Key key = new Key(r.method(), r.policy(), r.postProcessing());
                List<Contribution> group = groups.computeIfAbsent(key, k -> new ArrayList<>());
                for (Contribution c : group) {
                    if (c.cell() == cell) {
                        throw new IllegalArgumentException("cell '" + cell.cell() + "' seed " + cell.seed()
                                + " has two rows for method '" + r.method() + "', policy '" + r.policy() + "', "
                                + r.postProcessing() + "; each (method, policy, post-processing) must appear once "
                                + "per cell");
                    }
                }
                group.add(new Contribution(cell, r));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Key, List<Contribution>> e : groups.entrySet()) {
            rows.add(row(e.getKey(), e.getValue(), perImage, bootstrapSeed));
        }
        return new ComparisonTable(rows, perImage);
    }

    /** Every line, in first-seen order. */
    public List<Row> rows() {
        return rows;
    }

    /** The lines {@code shown} keeps, in order (e.g. {@code rows(ComparisonTable.MAIN)}). */
    public List<Row> rows(Predicate<? super Row> shown) {
        Objects.requireNonNull(shown, "shown");
        return rows.stream().filter(shown).toList();
    }

    /**
     * A filter keeping the lines whose policy starts with one of {@code prefixes}: {@code "fixed"} keeps "fixed 0.25"
     * and "fixed 0.975", {@code "label-free (healthy p99)"} keeps that policy but not "… p99.9)".
     */
    public static Predicate<Row> policies(String... prefixes) {
        List<String> p = List.of(prefixes);
        return r -> p.stream().anyMatch(r.policy()::startsWith);
    }

    /**
     * Per method, the held-out sweep's IoU_agg mean over seeds: the README's "fair tuned number" (the threshold is
     * tuned on one half of the scans and scored on the other, so no label of a scored slice chose it). The line without
     * post-processing where there is one, else the method's first held-out line; methods without one are absent.
     */
    public Map<String, Double> fairTuned() {
        Map<String, Row> chosen = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.policy().equals(HELD_OUT_POLICY)) {
                Row before = chosen.get(r.method());
                if (before == null || (!before.unprocessed() && r.unprocessed())) {
                    chosen.put(r.method(), r);
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        chosen.forEach((method, r) -> out.put(method, r.metric("IoU_agg").mean()));
        return out;
    }

    /** Per method, the per-slice IoU at the fixed threshold averaged over its seeds (a copy), in first-seen order. */
    public Map<String, double[]> perImageIou() {
        Map<String, double[]> out = new LinkedHashMap<>();
        perImageIou.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    /** Markdown: {@code header} lines as given, a blank line, then the lines {@code shown} keeps. */
    public String toMarkdown(List<String> header, Predicate<? super Row> shown) {
        return ComparisonMarkdown.render(header, rows(shown), rows.size());
    }

    /** CSV of every line (header row first; full precision; NaN for undefined). */
    public String toCsv() {
        return ComparisonCsv.render(rows);
    }

    /** Writes the Markdown of every line, the CSV and the box plot into {@code dir}. */
    public void write(Path dir, List<String> header) {
        write(dir, header, r -> true);
    }

    /**
     * Writes {@value #MARKDOWN} (the lines {@code shown} keeps), {@value #CSV} (every line) and {@value #BOXPLOT}
     * (skipped when no method has a per-image series) into {@code dir}, each atomically: a reader never sees half a
     * file.
     */
    public void write(Path dir, List<String> header, Predicate<? super Row> shown) {
        Objects.requireNonNull(dir, "dir");
        dev.coin.data.runtime.AtomicFiles.writeString(dir.resolve(MARKDOWN), toMarkdown(header, shown));
        dev.coin.data.runtime.AtomicFiles.writeString(dir.resolve(CSV), toCsv());
        if (!perImageIou.isEmpty()) {
            // 160 px a box, so that method names fit under their boxes
            BoxPlot.builder().title("per-image IoU at the reference threshold (0.25 difference, 0.975 saliency), "
                    + "mean over seeds").valueLabel("IoU")
                    .size(Math.max(640, 160 * perImageIou.size()), 400).build()
                    .write(perImageIou, dir.resolve(BOXPLOT));
        }
    }

    // ---- building ----------------------------------------------------------------------------------------------

    private record Key(String method, String policy, String postProcessing) {
    }

    private record Contribution(CellResult cell, CellResult.MethodRow row) {
    }

    private static void checkCells(List<CellResult> cells) {
        Map<String, CellResult> seen = new LinkedHashMap<>();
        Map<String, String> cellOfMethod = new LinkedHashMap<>();
        Map<String, CellResult> parametersOfCell = new LinkedHashMap<>();
        for (CellResult c : cells) {
            Objects.requireNonNull(c, "cells holds null");
            if (seen.putIfAbsent(c.cell() + "\u0000" + c.seed(), c) != null) {
                throw new IllegalArgumentException("cell '" + c.cell() + "' seed " + c.seed() + " appears twice in "
                        + "cells; pass each finished cell once");
            }
            for (String method : c.methods()) {
                String other = cellOfMethod.putIfAbsent(method, c.cell());
                if (other != null && !other.equals(c.cell())) {
                    throw new IllegalArgumentException("method '" + method + "' comes from cells '" + other + "' and '"
                            + c.cell() + "'; give the methods of different table rows distinct report names");
                }
            }
            CellResult first = parametersOfCell.putIfAbsent(c.cell(), c);
            if (first != null && first.parameters() != c.parameters()) {
                throw new IllegalArgumentException("cell '" + c.cell() + "' has " + first.parameters()
                        + " parameters in seed " + first.seed() + " but " + c.parameters() + " in seed " + c.seed()
                        + "; the seeds of one row must train the same network (rerun the stale cell)");
            }
        }
    }

    /** Per method: the per-slice IoU averaged over every seed that evaluated the method. */
    private static Map<String, double[]> seedAveragedPerImage(List<CellResult> cells) {
        Map<String, List<CellResult>> seedsOf = new LinkedHashMap<>();
        for (CellResult c : cells) {
            Set<String> methods = new LinkedHashSet<>(c.methods());
            methods.addAll(c.perImageIou().keySet());
            for (String method : methods) {
                seedsOf.computeIfAbsent(method, m -> new ArrayList<>()).add(c);
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<CellResult>> e : seedsOf.entrySet()) {
            String method = e.getKey();
            List<CellResult> seeds = e.getValue();
            if (seeds.stream().noneMatch(c -> c.perImageIou().containsKey(method))) {
                continue; // e.g. the ceiling: rows but no per-image series
            }
            double[] sum = null;
            CellResult first = null;
            for (CellResult c : seeds) {
                double[] v = c.perImageIou().get(method);
                if (v == null) {
                    throw new IllegalArgumentException("cell '" + c.cell() + "' seed " + c.seed() + " has no per-image "
                            + "IoU for method '" + method + "' but other seeds do; rerun that cell");
                }
                if (sum == null) {
                    sum = new double[v.length];
                    first = c;
                } else if (v.length != sum.length) {
                    throw new IllegalArgumentException("per-image IoU of method '" + method + "' has " + sum.length
                            + " slices in cell '" + first.cell() + "' seed " + first.seed() + " but " + v.length
                            + " in cell '" + c.cell() + "' seed " + c.seed() + "; every seed must evaluate the same "
                            + "validation slices in the same order (same split): rerun the cells of the other "
                            + "split");
                }
                for (int i = 0; i < v.length; i++) {
                    if (Double.isNaN(v[i])) {
                        throw new IllegalArgumentException("per-image IoU of method '" + method + "' in cell '"
                                + c.cell() + "' seed " + c.seed() + " is NaN at slice " + i + "; the evaluation "
                                + "defines every slice's IoU, so that result.json is damaged: delete it to rerun");
                    }
                    sum[i] += v[i];
                }
            }
            if (sum.length == 0) {
                continue; // no abnormal slice was evaluated: nothing to average or plot
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= seeds.size();
            }
            out.put(method, sum);
        }
        return out;
    }

    private static Row row(Key key, List<Contribution> group, Map<String, double[]> perImage, long bootstrapSeed) {
        int n = group.size();
        List<Long> seeds = new ArrayList<>(n);
        double[] thresholds = new double[n];
        double[] secondsPerEpoch = new double[n];
        for (int i = 0; i < n; i++) {
            Contribution c = group.get(i);
            seeds.add(c.cell().seed());
            thresholds[i] = c.row().threshold();
            secondsPerEpoch[i] = c.cell().secondsPerEpoch();
        }
        Map<String, MeanSd> metrics = new LinkedHashMap<>();
        for (String name : METRICS) {
            double[] perSeed = new double[n];
            for (int i = 0; i < n; i++) {
                perSeed[i] = group.get(i).row().metric(name);
            }
            metrics.put(name, MeanSd.of(perSeed));
        }
        CellResult first = group.get(0).cell();
        boolean bootstrapped = key.policy().startsWith(FIXED_POLICY_PREFIX)
                && key.postProcessing().equals(NO_POST_PROCESSING) && perImage.containsKey(key.method());
        Optional<BootstrapInterval> interval = bootstrapped
                ? Optional.of(BootstrapInterval.of(perImage.get(key.method()), bootstrapSeed))
                : Optional.empty();
        return new Row(first.cell(), key.method(), key.policy(), key.postProcessing(), seeds, MeanSd.of(thresholds),
                metrics, interval, MeanSd.of(secondsPerEpoch).mean(), first.parameters());
    }

    @Override
    public String toString() {
        return "ComparisonTable[" + rows.size() + " rows, methods " + rows.stream().map(Row::method).distinct().toList()
                + "]";
    }
}
