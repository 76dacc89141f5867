package dev.coin.data.dataset;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A scan-level train/validation split: every slice of a scan lands on the same side, so no patient leaks from
 * training into validation.
 *
 * <p>{@link #stratified} draws the split the way the COIN papers describe it (80/20, stratified by per-scan tumour
 * volume): scans are sorted by tumour volume, cut into consecutive strata of {@code round(1/valFraction)} scans,
 * and one seeded draw per stratum goes to validation. Splits are files: {@link #save} writes a CSV
 * ({@code scan_id,split}) and {@link #loadOrCreate} reuses it, refusing (rather than silently re-drawing) when
 * the scans on disk no longer match.
 *
 * <pre>{@code
 * ScanSplit split = ScanSplit.loadOrCreate(root.resolve("splits/split.csv"), tumourVolumes, 0.2, 777);
 * split.train();       // [case_000, case_002, ...]
 * }</pre>
 */
public final class ScanSplit {
    /** CSV header line. */
    public static final String HEADER = "scan_id,split";

    private final ImmutableList<String> train;
    private final ImmutableList<String> validation;

    private ScanSplit(List<String> train, List<String> validation) {
        this.train = ImmutableList.copyOf(train);
        this.validation = ImmutableList.copyOf(validation);
        Set<String> overlap = new HashSet<>(train);
        overlap.retainAll(validation);
        if (!overlap.isEmpty()) {
            throw new IllegalArgumentException("scans " + overlap + " are in both train and validation; "
                    + "a scan must belong to exactly one side");
        }
    }

    /** A split with explicit scan lists. */
    public static ScanSplit of(List<String> train, List<String> validation) {
        return new ScanSplit(train, validation);
    }

    /**
     * Draws a split stratified by tumour volume.
     *
     * @param tumourVolumeByScan per-scan tumour volume (any unit, e.g. voxels or ml); iteration order is ignored
     * @param validationFraction in (0, 0.5], e.g. 0.2 for 80/20
     * @param seed               fixes the draw
     */
    public static ScanSplit stratified(Map<String, Double> tumourVolumeByScan, double validationFraction, long seed) {
        if (tumourVolumeByScan == null || tumourVolumeByScan.size() < 2) {
            throw new IllegalArgumentException("tumourVolumeByScan needs at least 2 scans to split, got "
                    + (tumourVolumeByScan == null ? "null" : tumourVolumeByScan.size()));
        }
        if (!(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 0.5], got " + validationFraction);
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(tumourVolumeByScan.entrySet());
        // Ties broken by id so the order (and hence the split) does not depend on the map's iteration order.
        sorted.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue)
                .thenComparing(Map.Entry::getKey));
        int stratum = Math.max(2, (int) Math.round(1.0 / validationFraction));
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        for (int start = 0; start < sorted.size(); start += stratum) {
            int end = Math.min(sorted.size(), start + stratum);
            int n = end - start;
            // A short last stratum gives a validation scan only with probability n/stratum, keeping the fraction.
            int pick = (n == stratum || rng.nextInt(stratum) < n) ? start + rng.nextInt(n) : -1;
            for (int i = start; i < end; i++) {
                (i == pick ? val : train).add(sorted.get(i).getKey());
            }
        }
        if (val.isEmpty()) {
            val.add(train.remove(train.size() - 1));
        }
        train.sort(null);
        val.sort(null);
        return new ScanSplit(train, val);
    }

    /**
     * Loads the split at {@code csv} if it exists (checking it covers exactly these scans), else draws one with
     * {@link #stratified} and saves it. A split is never silently re-drawn.
     *
     * @throws IllegalStateException when the saved split names other scans than {@code tumourVolumeByScan}
     */
    public static ScanSplit loadOrCreate(Path csv, Map<String, Double> tumourVolumeByScan, double validationFraction,
            long seed) {
        if (Files.exists(csv)) {
            ScanSplit s = load(csv);
            Set<String> saved = new HashSet<>(s.train);
            saved.addAll(s.validation);
            if (!saved.equals(tumourVolumeByScan.keySet())) {
                Set<String> missing = new LinkedHashSet<>(tumourVolumeByScan.keySet());
                missing.removeAll(saved);
                Set<String> extra = new LinkedHashSet<>(saved);
                extra.removeAll(tumourVolumeByScan.keySet());
                throw new IllegalStateException("split file " + csv + " does not match the dataset: scans not in "
                        + "the file " + missing + ", scans only in the file " + extra
                        + "; delete or move the file to draw a new split deliberately");
            }
            return s;
        }
        ScanSplit s = stratified(tumourVolumeByScan, validationFraction, seed);
        s.save(csv);
        return s;
    }

    /** Reads a CSV written by {@link #save}. */
    public static ScanSplit load(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read split file " + csv, e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IllegalArgumentException("split file " + csv + " must start with the header '" + HEADER
                    + "', got " + (lines.isEmpty() ? "an empty file" : "'" + lines.get(0) + "'"));
        }
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(",", -1);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("split file " + csv + " line " + (i + 1)
                        + " must be 'scan_id,train|validation', got '" + line + "'");
            }
            switch (parts[1].trim()) {
                case "train" -> train.add(parts[0].trim());
                case "validation" -> val.add(parts[0].trim());
                default -> throw new IllegalArgumentException("split file " + csv + " line " + (i + 1)
                        + ": split must be 'train' or 'validation', got '" + parts[1] + "'");
            }
        }
        return new ScanSplit(train, val);
    }

    /** Writes the CSV atomically (temporary file, then rename). */
    public void save(Path csv) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        train.forEach(s -> sb.append(s).append(",train\n"));
        validation.forEach(s -> sb.append(s).append(",validation\n"));
        try {
            Path dir = csv.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, csv.getFileName().toString(), ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write split file " + csv, e);
        }
    }

    public ImmutableList<String> train() {
        return train;
    }

    public ImmutableList<String> validation() {
        return validation;
    }

    /** A stable fingerprint of the split (for provenance): hash of the sorted CSV content. */
    public String hash() {
        StringBuilder sb = new StringBuilder();
        train.stream().sorted().forEach(s -> sb.append(s).append(",t;"));
        validation.stream().sorted().forEach(s -> sb.append(s).append(",v;"));
        return com.google.common.hash.Hashing.sha256().hashString(sb, StandardCharsets.UTF_8).toString()
                .substring(0, 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanSplit s && s.train.equals(train) && s.validation.equals(validation);
    }

    @Override
    public int hashCode() {
        return train.hashCode() * 31 + validation.hashCode();
    }

    @Override
    public String toString() {
        return "ScanSplit[train " + train.size() + " scans, validation " + validation.size() + " scans, hash "
                + hash() + "]";
    }
}
