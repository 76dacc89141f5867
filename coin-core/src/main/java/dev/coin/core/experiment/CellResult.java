package dev.coin.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.eval.EvaluationReport;
import dev.coin.core.report.SummaryTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one finished cell of an experiment table measured: the evaluation's rows (one per method and threshold
 * policy, with their metrics), the per-image IoU of every method at its fixed threshold (in the evaluated slices'
 * order, the same for every seed), and what the cell cost. A cell is a (row, seed) pair; a row may hold several
 * methods (the attribution baselines share one cell per classifier).
 *
 * <p>Written as {@code result.json} in the cell's folder once the cell is complete, and read back when a table is
 * resumed: a cell with a readable result is not run again, so finished cells stay byte-identical.
 *
 * @param cell         the table row's name, e.g. "COIN" or "Singla A"
 * @param seed         the seed of this cell (classifier, data order, initialisation)
 * @param rows         every (method, policy) row the evaluation produced
 * @param perImageIou  per method: the per-image IoU at its fixed threshold, in slice order
 * @param trainSeconds wall time of training (0 for a cell without training)
 * @param epochs       epochs trained (0 for a cell without training)
 * @param parameters   trainable parameters of what the cell trained (0 when it trained nothing)
 */
public record CellResult(String cell, long seed, List<MethodRow> rows, Map<String, double[]> perImageIou,
                         double trainSeconds, int epochs, long parameters) {

    /** The file a finished cell writes into its folder. */
    public static final String FILE = "result.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CellResult {
        Objects.requireNonNull(cell, "cell");
        rows = List.copyOf(rows);
        Map<String, double[]> copy = new LinkedHashMap<>();
        perImageIou.forEach((k, v) -> copy.put(k, v.clone()));
        perImageIou = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * One row of a cell's evaluation.
     *
     * @param method         the method's report name ("COIN", "RISE", …)
     * @param policy         how the threshold was chosen ("fixed 0.25", "held-out …", "label-free …", …)
     * @param threshold      the threshold used (NaN where the row has none)
     * @param postProcessing the post-processing's description
     * @param metrics        metric name → value (NaN allowed), in the evaluation's order
     */
    public record MethodRow(String method, String policy, double threshold, String postProcessing,
                            Map<String, Double> metrics) {
        public MethodRow {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(postProcessing, "postProcessing");
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** The metric, or NaN when this row does not have it. */
        public double metric(String name) {
            Double v = metrics.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    /** The cell's result from an evaluation report (every row of its table, every per-image series). */
    public static CellResult of(String cell, long seed, EvaluationReport report, double trainSeconds, int epochs,
                                long parameters) {
        List<MethodRow> rows = new ArrayList<>();
        for (SummaryTable.Row r : report.table().rows()) {
            rows.add(new MethodRow(r.method(), r.policy(), r.threshold(), r.postProcessing(), r.metrics()));
        }
        return new CellResult(cell, seed, rows, report.orderedPerImage(), trainSeconds, epochs, parameters);
    }

    /** The methods of this cell, in row order. */
    public List<String> methods() {
        return rows.stream().map(MethodRow::method).distinct().toList();
    }

    /** Wall time per epoch (NaN without training). */
    public double secondsPerEpoch() {
        return epochs == 0 ? Double.NaN : trainSeconds / epochs;
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    /** The result as JSON (non-finite numbers as strings "NaN", "Infinity", "-Infinity"). */
    public JsonNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("cell", cell);
        o.put("seed", seed);
        o.put("train_seconds", trainSeconds);
        o.put("epochs", epochs);
        o.put("parameters", parameters);
        ArrayNode rs = o.putArray("rows");
        for (MethodRow r : rows) {
            ObjectNode n = rs.addObject();
            n.put("method", r.method());
            n.put("policy", r.policy());
            number(n, "threshold", r.threshold());
            n.put("post_processing", r.postProcessing());
            ObjectNode m = n.putObject("metrics");
            r.metrics().forEach((k, v) -> number(m, k, v));
        }
        ObjectNode per = o.putObject("per_image_iou");
        perImageIou.forEach((k, v) -> {
            ArrayNode a = per.putArray(k);
            for (double d : v) {
                if (Double.isFinite(d)) {
                    a.add(d);
                } else {
                    a.add(Double.toString(d));
                }
            }
        });
        return o;
    }

    /**
     * Reads a result written by {@link #write}.
     *
     * @throws IllegalArgumentException when the JSON lacks a field (the message names it and the file to delete)
     */
    public static CellResult fromJson(JsonNode o) {
        List<MethodRow> rows = new ArrayList<>();
        for (JsonNode n : required(o, "rows")) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = required(n, "metrics").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                metrics.put(e.getKey(), number(e.getValue()));
            }
            rows.add(new MethodRow(required(n, "method").asText(), required(n, "policy").asText(),
                    number(required(n, "threshold")), required(n, "post_processing").asText(), metrics));
        }
        Map<String, double[]> per = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = required(o, "per_image_iou").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = number(e.getValue().get(i));
            }
            per.put(e.getKey(), v);
        }
        return new CellResult(required(o, "cell").asText(), required(o, "seed").asLong(), rows, per,
                number(required(o, "train_seconds")), required(o, "epochs").asInt(),
                required(o, "parameters").asLong());
    }

    /** Writes {@code <dir>/result.json} atomically (a temporary sibling, then a move): never half a result. */
    public Path write(Path dir) {
        try {
            return dev.coin.data.runtime.AtomicFiles.writeString(dir.resolve(FILE), JSON.writeValueAsString(toJson())
                    + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cell result is not serialisable: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code <dir>/result.json}.
     *
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when it is not a cell result (the message names the file)
     */
    public static CellResult read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return fromJson(JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a cell result (" + e.getMessage()
                    + "); delete it to run the cell again", e);
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return n;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.put(key, Double.toString(v));
        }
    }

    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    @Override
    public String toString() {
        return "CellResult[" + cell + ", seed " + seed + ", methods " + methods() + ", " + rows.size() + " rows]";
    }
}
