package dev.coin.core.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One self-contained, offline page for a run: {@code index.html} plus the PNGs it shows, all in one folder (relative
 * links, inline CSS, no JavaScript, no network). Sections, top to bottom:
 * <ol>
 *   <li>the summary table: one row per method and threshold policy, the ceiling row included, as
 *       {@link SummaryTable} holds them ({@code <table id="summary">});</li>
 *   <li>the per-image IoU box plot ({@code iou-boxplot.png}, {@link BoxPlot});</li>
 *   <li>the loss curves and the per-epoch validation IoU ({@code loss-curves.png}, {@code validation-iou.png},
 *       {@link LineChart}), where given;</li>
 *   <li>provenance: pipeline identity, seed, versions, backend, machine, wall time, peak resident size (what the caller
 *       passes, plus {@link #machineProvenance()});</li>
 *   <li>the gallery of {@link SlicePanel}s per method ({@code panels/<method>/<file name that says what it holds>}):
 *       the best, median and worst slice by IoU first, then every slice (abnormal ones by IoU, best first, then the
 *       rest).</li>
 * </ol>
 *
 * <pre>{@code
 * HtmlReport.builder().title("COIN on the synthetic phantom").table(table).perImageIou(perImage)
 *         .lossCurves(curves).validationIou(Map.of("COIN IoU_agg", iou)).provenance("seed", "777")
 *         .panels(panels).build().write(dir);          // dir/index.html
 * }</pre>
 */
public final class HtmlReport {
    private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);
    /** The page's file name. */
    public static final String INDEX = "index.html";
    public static final String BOX_PLOT = "iou-boxplot.png";
    public static final String LOSS_CURVES = "loss-curves.png";
    public static final String VALIDATION_IOU = "validation-iou.png";
    public static final String PANELS = "panels";

    private final String title;
    private final SummaryTable table;
    private final Map<String, double[]> perImageIou;
    private final Map<String, double[]> lossCurves;
    private final Map<String, double[]> validationIou;
    private final Map<String, String> provenance;
    private final List<SlicePanel> panels;
    private final List<String> notes;

    private HtmlReport(Builder b) {
        title = b.title;
        table = b.table;
        perImageIou = new LinkedHashMap<>(b.perImageIou);
        lossCurves = new LinkedHashMap<>(b.lossCurves);
        validationIou = new LinkedHashMap<>(b.validationIou);
        provenance = new LinkedHashMap<>(b.provenance);
        machineProvenance().forEach(provenance::putIfAbsent);
        panels = List.copyOf(b.panels);
        notes = List.copyOf(b.notes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What the library can tell about this process: Java version and vendor, operating system, cores, maximum heap,
     * the JVM's uptime and, on Linux, the process's peak resident size so far ({@code VmHWM}).
     */
    public static Map<String, String> machineProvenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("machine", System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        m.put("JVM uptime", String.format(Locale.ROOT, "%.1f min", ManagementFactory.getRuntimeMXBean().getUptime()
                / 60000.0));
        peakResidentBytes().ifPresent(b -> m.put("peak RSS (this process, so far)", String.format(Locale.ROOT,
                "%.2f GB", b / 1e9)));
        return m;
    }

    /** The process's peak resident size from {@code /proc/self/status} (Linux), empty elsewhere. */
    public static Optional<Long> peakResidentBytes() {
        Path status = Path.of("/proc/self/status");
        try {
            if (!Files.isReadable(status)) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("no peak resident size from {}: {}", status, e.toString());
        }
        return Optional.empty();
    }

    /** Writes the charts, the panels and {@code index.html} into {@code dir}; returns the page's path. */
    public Path write(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report folder " + dir, e);
        }
        if (!perImageIou.isEmpty()) {
            BoxPlot.builder().title("per-image IoU at the fixed threshold").valueLabel("IoU").size(720, 420).build()
                    .write(perImageIou, dir.resolve(BOX_PLOT));
        }
        if (!lossCurves.isEmpty()) {
            LineChart.builder().title("loss terms per epoch").yLabel("loss (weighted)").build()
                    .write(lossCurves, dir.resolve(LOSS_CURVES));
        }
        if (!validationIou.isEmpty()) {
            LineChart.builder().title("validation IoU per epoch").yLabel("IoU").build()
                    .write(validationIou, dir.resolve(VALIDATION_IOU));
        }
        for (SlicePanel p : panels) {
            p.write(dir.resolve(PANELS).resolve(folder(p.method())).resolve(p.fileName()));
        }
        Path index = dir.resolve(INDEX);
        writeAtomically(index, html());
        LOG.info("report written to {} ({} panels)", index, panels.size());
        return index;
    }

    /** The page's HTML text (the images it names are written by {@link #write}). */
    public String html() {
        StringBuilder s = new StringBuilder(16384);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        s.append("<h1>").append(esc(title)).append("</h1>\n");
        s.append("<p class=\"lead\">Written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(". Everything on this page is in this folder: <a href=\"summary.csv\">summary.csv</a>, "
                        + "<a href=\"summary.md\">summary.md</a>, the charts and <a href=\"" + PANELS + "/\">"
                        + PANELS + "/</a>.</p>\n");
        s.append("<nav><a href=\"#summary-section\">summary</a> · <a href=\"#charts\">charts</a> · "
                + "<a href=\"#provenance\">provenance</a> · <a href=\"#gallery\">gallery</a></nav>\n");
        for (String n : notes) {
            s.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }
        summary(s);
        charts(s);
        provenance(s);
        gallery(s);
        s.append("</body>\n</html>\n");
        return s.toString();
    }

    private void summary(StringBuilder s) {
        s.append("<section id=\"summary-section\">\n<h2>Summary</h2>\n");
        if (table == null || table.rows().isEmpty()) {
            s.append("<p>No summary table was given.</p>\n</section>\n");
            return;
        }
        s.append("<p>One row per method and threshold policy. IoU_agg pools the pixels of all abnormal slices; "
                + "IoU_mean averages the per-slice IoU; \"uses labels\" rows choose the threshold on the truth and are "
                + "optimistic; \"held-out\" rows choose it on the other half of the scans (two folds), the fair tuned "
                + "number.</p>\n");
        List<String> names = table.metricNames();
        s.append("<table id=\"summary\">\n<thead><tr><th>method</th><th>threshold policy</th><th>threshold</th>"
                + "<th>post-processing</th>");
        for (String n : names) {
            s.append("<th>").append(esc(n)).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (SummaryTable.Row r : table.rows()) {
            s.append("<tr><td>").append(esc(r.method())).append("</td><td>").append(esc(r.policy()))
                    .append("</td><td class=\"num\">").append(num(r.threshold())).append("</td><td>")
                    .append(esc(r.postProcessing())).append("</td>");
            for (String n : names) {
                Double v = r.metrics().get(n);
                s.append("<td class=\"num\">").append(v == null ? "" : num(v)).append("</td>");
            }
            s.append("</tr>\n");
        }
        s.append("</tbody>\n</table>\n</section>\n");
    }

    private void charts(StringBuilder s) {
        s.append("<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n");
        if (!perImageIou.isEmpty()) {
            figure(s, BOX_PLOT, "Per-image IoU of every method at its fixed threshold (box: quartiles, line: median, "
                    + "whiskers: 1.5·IQR, dots: outliers).");
        }
        if (!lossCurves.isEmpty()) {
            figure(s, LOSS_CURVES, "Weighted loss terms, totals and flip rate per epoch.");
        }
        if (!validationIou.isEmpty()) {
            figure(s, VALIDATION_IOU, "Validation IoU after each epoch.");
        }
        if (perImageIou.isEmpty() && lossCurves.isEmpty() && validationIou.isEmpty()) {
            s.append("<p>No chart data was given.</p>\n");
        }
        s.append("</div>\n</section>\n");
    }

    private void provenance(StringBuilder s) {
        s.append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"kv\">\n");
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            String v = e.getValue();
            s.append("<tr><th>").append(esc(e.getKey())).append("</th><td>");
            if (v.length() > 160 || v.contains("\n")) {
                s.append("<details><summary>").append(esc(v.substring(0, Math.min(80, v.length()))
                        .replace('\n', ' '))).append(" …</summary><pre>").append(esc(v)).append("</pre></details>");
            } else {
                s.append(esc(v));
            }
            s.append("</td></tr>\n");
        }
        s.append("</table>\n</section>\n");
    }

    private void gallery(StringBuilder s) {
        s.append("<section id=\"gallery\">\n<h2>Gallery</h2>\n");
        if (panels.isEmpty()) {
            s.append("<p>No panels were given.</p>\n</section>\n");
            return;
        }
        s.append("<p>Each panel: the input with the classifier's p(abnormal); for counterfactual methods the "
                + "counterfactual with its p(abnormal); the map the mask is cut from, coloured over its own range "
                + "(colour bar, threshold marked in cyan); the mask over the input: <span class=\"sw both\"></span> "
                + "truth and prediction, <span class=\"sw pred\"></span> prediction only, <span class=\"sw truth\">"
                + "</span> truth only (missed), with the slice's IoU.</p>\n");
        Map<String, List<SlicePanel>> byMethod = new LinkedHashMap<>();
        for (SlicePanel p : panels) {
            byMethod.computeIfAbsent(p.method(), k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<SlicePanel>> e : byMethod.entrySet()) {
            String method = e.getKey();
            List<SlicePanel> scored = e.getValue().stream().filter(p -> !Double.isNaN(p.iou()))
                    .sorted(Comparator.comparingDouble(SlicePanel::iou).reversed()).toList();
            List<SlicePanel> ordered = new ArrayList<>(scored);
            e.getValue().stream().filter(p -> Double.isNaN(p.iou())).forEach(ordered::add);
            s.append("<h3 id=\"gallery-").append(folder(method)).append("\">").append(esc(method)).append("</h3>\n");
            if (!scored.isEmpty()) {
                s.append("<h4>Best, median and worst slice by IoU</h4>\n<div class=\"panels\">\n");
                panel(s, scored.get(0), "best");
                panel(s, scored.get((scored.size() - 1) / 2), "median");
                panel(s, scored.get(scored.size() - 1), "worst");
                s.append("</div>\n");
            }
            s.append("<details open><summary>All ").append(ordered.size()).append(" slices (")
                    .append(scored.size()).append(" with an IoU, best first)</summary>\n<div class=\"panels\">\n");
            for (SlicePanel p : ordered) {
                panel(s, p, null);
            }
            s.append("</div>\n</details>\n");
        }
        s.append("</section>\n");
    }

    private static void panel(StringBuilder s, SlicePanel p, String rank) {
        String rel = PANELS + "/" + folder(p.method()) + "/" + p.fileName();
        s.append("<figure class=\"panel\"><a href=\"").append(esc(rel)).append("\"><img src=\"").append(esc(rel))
                .append("\" alt=\"").append(esc(p.method() + " panel of " + p.scan() + " slice " + p.sliceIndex()))
                .append("\"></a><figcaption>");
        if (rank != null) {
            s.append("<b>").append(rank).append("</b> · ");
        }
        s.append(esc(p.scan())).append(" k=").append(p.sliceIndex()).append(" · truth ")
                .append(p.truthAbnormal() ? "abnormal" : "normal");
        if (!Double.isNaN(p.iou())) {
            s.append(" · IoU ").append(String.format(Locale.ROOT, "%.3f", p.iou()));
        }
        s.append("</figcaption></figure>\n");
    }

    private static void figure(StringBuilder s, String file, String caption) {
        s.append("<figure class=\"chart\"><img src=\"").append(file).append("\" alt=\"").append(esc(caption))
                .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
    }

    /** A folder name for a method: lower case, runs of other characters as one '-'. */
    static String folder(String method) {
        String f = method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return f.isEmpty() ? "method" : f;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String v) {
        StringBuilder s = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static final String CSS = """
            body { font-family: sans-serif; margin: 1.5em auto; max-width: 1500px; padding: 0 1em; color: #222; }
            h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
            .lead, .note { color: #555; } nav { margin: 0.5em 0 1em; }
            table { border-collapse: collapse; font-size: 0.92em; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
            thead th { background: #eef; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            table.kv th { background: #f6f6f6; white-space: nowrap; } pre { white-space: pre-wrap; margin: 0; }
            .charts { display: flex; flex-wrap: wrap; gap: 1em; }
            figure { margin: 0; } figure.chart { flex: 1 1 380px; max-width: 720px; }
            figure.chart img { width: 100%; border: 1px solid #ddd; }
            figcaption { font-size: 0.85em; color: #444; max-width: 720px; }
            .panels { display: flex; flex-wrap: wrap; gap: 12px; margin: 0.5em 0; }
            figure.panel { flex: 0 1 600px; } figure.panel img { border: 1px solid #ddd; width: 100%; }
            .sw { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #000; vertical-align: middle; }
            .sw.both { background: #32A852; } .sw.pred { background: #EB4034; } .sw.truth { background: #CFCF1F; }
            """;

    /** Parts of the page; every part is optional (its section then says so). */
    public static final class Builder {
        private String title = "COIN report";
        private SummaryTable table;
        private final Map<String, double[]> perImageIou = new LinkedHashMap<>();
        private final Map<String, double[]> lossCurves = new LinkedHashMap<>();
        private final Map<String, double[]> validationIou = new LinkedHashMap<>();
        private final Map<String, String> provenance = new LinkedHashMap<>();
        private final List<SlicePanel> panels = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder() {
        }

        public Builder title(String t) {
            this.title = Objects.requireNonNull(t, "title");
            return this;
        }

        public Builder table(SummaryTable t) {
            this.table = Objects.requireNonNull(t, "table");
            return this;
        }

        /** Per-image IoU per method, for the box plot (values in [0, 1]). */
        public Builder perImageIou(Map<String, double[]> values) {
            perImageIou.putAll(Objects.requireNonNull(values, "perImageIou"));
            return this;
        }

        /** Loss series per epoch (name → one value per epoch). */
        public Builder lossCurves(Map<String, double[]> series) {
            lossCurves.putAll(Objects.requireNonNull(series, "lossCurves"));
            return this;
        }

        /** Validation IoU series per epoch (name → one value per epoch, NaN for epochs without validation). */
        public Builder validationIou(Map<String, double[]> series) {
            validationIou.putAll(Objects.requireNonNull(series, "validationIou"));
            return this;
        }

        /** One provenance line; later values replace earlier ones of the same key. */
        public Builder provenance(String key, String value) {
            provenance.put(Objects.requireNonNull(key, "key"), String.valueOf(value));
            return this;
        }

        public Builder provenance(Map<String, String> entries) {
            entries.forEach(this::provenance);
            return this;
        }

        public Builder panels(List<SlicePanel> p) {
            for (SlicePanel x : Objects.requireNonNull(p, "panels")) {
                panels.add(Objects.requireNonNull(x, "panel"));
            }
            return this;
        }

        /** A sentence shown under the title (e.g. what differs from the paper's configuration). */
        public Builder note(String text) {
            notes.add(Objects.requireNonNull(text, "note"));
            return this;
        }

        public HtmlReport build() {
            return new HtmlReport(this);
        }
    }
}
