package dev.coin.data.ct;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset fingerprint: statistics of the CT intensities inside the foreground (labelled) voxels of a set of
 * scans, as written by the reference's {@code tools/extract_fingerprint.py} (and nnU-Net). Only the two percentiles
 * are used for normalisation ({@link #toWindow()}); the rest is for reports.
 *
 * <p>JSON field names follow the reference ({@code percentile_00_5}, {@code percentile_99_5}, {@code mean},
 * {@code std}, {@code median}, {@code min}, {@code max}); {@code samples}, {@code scans} and {@code skipped_scans}
 * record how it was computed and are optional when reading. {@link #read(Path)} also accepts nnU-Net v2
 * {@code dataset_fingerprint.json} files (channel 0 of {@code foreground_intensity_properties_per_channel}).
 *
 * <pre>{@code
 * Fingerprint fp = FingerprintExtractor.builder().build().compute(scans);
 * fp.write(Path.of("dataset_fingerprint.json"));
 * CtWindow w = Fingerprint.read(Path.of("dataset_fingerprint.json")).toWindow();
 * }</pre>
 *
 * @param percentile00_5 0.5th percentile of the pooled samples (numpy "linear" definition)
 * @param percentile99_5 99.5th percentile
 * @param mean           mean
 * @param std            population standard deviation (numpy {@code std}, ddof = 0)
 * @param median         50th percentile
 * @param min            smallest sample
 * @param max            largest sample
 * @param samples        number of pooled samples (0 if unknown)
 * @param scans          number of scans offered (0 if unknown)
 * @param skippedScans   ids of scans skipped for having no foreground voxels
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"percentile_00_5", "percentile_99_5", "mean", "std", "median", "min", "max", "samples", "scans",
    "skipped_scans"})
public record Fingerprint(
        @JsonProperty(value = "percentile_00_5", required = true) double percentile00_5,
        @JsonProperty(value = "percentile_99_5", required = true) double percentile99_5,
        @JsonProperty(value = "mean", required = true) double mean,
        @JsonProperty(value = "std", required = true) double std,
        @JsonProperty(value = "median", required = true) double median,
        @JsonProperty(value = "min", required = true) double min,
        @JsonProperty(value = "max", required = true) double max,
        @JsonProperty("samples") long samples,
        @JsonProperty("scans") int scans,
        @JsonProperty("skipped_scans") List<String> skippedScans) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String NNUNET_V2_KEY = "foreground_intensity_properties_per_channel";

    /** @throws IllegalArgumentException if a statistic is not finite or the percentiles are out of order */
    public Fingerprint {
        double[] stats = {percentile00_5, percentile99_5, mean, std, median, min, max};
        String[] names = {"percentile_00_5", "percentile_99_5", "mean", "std", "median", "min", "max"};
        for (int s = 0; s < stats.length; s++) {
            if (!Double.isFinite(stats[s])) {
                throw new IllegalArgumentException("fingerprint " + names[s] + " must be finite, got " + stats[s]
                        + "; recompute the fingerprint from scans without NaN/infinite voxels");
            }
        }
        if (!(min <= percentile00_5 && percentile00_5 <= median && median <= percentile99_5 && percentile99_5 <= max)) {
            throw new IllegalArgumentException("fingerprint statistics must satisfy min <= percentile_00_5 <= median"
                    + " <= percentile_99_5 <= max, got min=" + min + ", p0.5=" + percentile00_5 + ", median="
                    + median + ", p99.5=" + percentile99_5 + ", max=" + max + "; check the file");
        }
        if (std < 0 || samples < 0 || scans < 0) {
            throw new IllegalArgumentException("fingerprint std, samples and scans must be >= 0, got std=" + std
                    + ", samples=" + samples + ", scans=" + scans);
        }
        skippedScans = skippedScans == null ? List.of() : List.copyOf(skippedScans);
    }

    /** The normalisation window {@code [percentile_00_5, percentile_99_5]}. */
    public CtWindow toWindow() {
        return CtWindow.of(percentile00_5, percentile99_5);
    }

    /** Pretty-printed JSON with the reference's field names. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void write(Path file) {
        try {
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fingerprint to " + file, e);
        }
    }

    /**
     * Parses a fingerprint: the reference's flat object, or an nnU-Net v2 fingerprint (channel 0).
     *
     * @throws IllegalArgumentException if the JSON lacks a required statistic (the message names it)
     */
    public static Fingerprint fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root != null && !root.has("percentile_00_5") && root.has(NNUNET_V2_KEY)) {
                root = root.get(NNUNET_V2_KEY).get("0");
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("fingerprint JSON must be an object with percentile_00_5, "
                        + "percentile_99_5, mean, std, median, min, max; got " + abbreviate(json));
            }
            return JSON.treeToValue(root, Fingerprint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a fingerprint JSON (" + e.getOriginalMessage()
                    + "); it needs percentile_00_5, percentile_99_5, mean, std, median, min, max", e);
        }
    }

    /** Reads a fingerprint file ({@link #fromJson(String)}). */
    public static Fingerprint read(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fingerprint " + file, e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    @Override
    public String toString() {
        return String.format("Fingerprint[p0.5=%.6g, p99.5=%.6g, mean=%.6g, std=%.6g, median=%.6g, min=%.6g, "
                        + "max=%.6g, %d samples from %d scans%s]", percentile00_5, percentile99_5, mean, std, median,
                min, max, samples, scans, skippedScans.isEmpty() ? "" : ", skipped " + skippedScans);
    }
}
