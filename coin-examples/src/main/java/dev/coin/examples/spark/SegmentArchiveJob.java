package dev.coin.examples.spark;

import dev.coin.core.VolumeSegmentation;
import dev.coin.core.VolumeSegmenter;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.data.ct.CtWindow;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.slice.SliceConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark job 2: runs a saved pipeline over every scan of a dataset folder, writing each scan's mask volume
 * ({@code masks/<id>_mask.nii.gz}, uint8 in the CT's geometry: {@link VolumeSegmentation#writeMask}) and one CSV
 * ({@code segmentation.csv}: scan id, kept slices, predicted abnormal slices, mask volume in ml, status, error).
 *
 * <ul>
 *   <li>One Spark task per scan; each scan is the single-machine path ({@link VolumeSegmenter} with the pipeline
 *       and the slicing the model was trained with), so the masks equal it bit for bit.</li>
 *   <li>The model folder's path is broadcast; each executor loads the model once per task slot and reuses it
 *       ({@link ModelPool}, which also restores the as-loaded state before every scan).</li>
 *   <li>A scan that fails (unreadable or malformed file, wrong shape) gets status {@code error} and the error in
 *       the CSV; the other scans go on and the job finishes.</li>
 *   <li>A finished scan leaves its mask and its row ({@code rows/<id>.csv}, written after the mask); a re-run skips
 *       scans that have both and reports them with status {@code done} and the numbers of the earlier run. Failed
 *       scans are tried again.</li>
 * </ul>
 *
 * <p>The dataset, the model folder and the output folder must be on a file system every executor sees.
 */
public final class SegmentArchiveJob implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentArchiveJob.class);
    /** Columns of {@code segmentation.csv}. */
    public static final String HEADER = "scan_id,kept_slices,abnormal_slices,mask_ml,status,error,seconds";
    public static final String CSV = "segmentation.csv";

    private final LayoutRef layout;
    private final String model;
    private final String output;
    private final double windowLo;
    private final double windowHi;
    private final SliceRecipe recipe;
    private final double maskThreshold;

    private SegmentArchiveJob(Builder b) {
        this.layout = LayoutRef.of(b.layout);
        this.model = b.model.toAbsolutePath().toString();
        this.output = b.output.toAbsolutePath().toString();
        this.windowLo = b.window.lo();
        this.windowHi = b.window.hi();
        this.recipe = Objects.requireNonNull(b.recipe, "recipe (SliceRecipe.layoutDefault(modelInputSize))");
        this.maskThreshold = b.maskThreshold;
    }

    /**
     * @param layout the archive (its kidney labels decide which slices are explained, as in training)
     * @param model  a folder written by {@code TrainedPipeline.save} (or a run directory holding {@code model/})
     * @param window the CT window the model was trained with (its training dataset's {@code fingerprint.json})
     * @param output where {@code masks/}, {@code rows/} and {@code segmentation.csv} go
     */
    public static Builder builder(DatasetLayout layout, Path model, CtWindow window, Path output) {
        return new Builder(layout, model, window, output);
    }

    /**
     * One row of the CSV.
     *
     * @param status {@code ok} (segmented by this run), {@code done} (by an earlier run) or {@code error}
     */
    public record Row(String scanId, int keptSlices, int abnormalSlices, double maskMl, String status, String error,
                      double seconds) implements Serializable {
        String toCsv() {
            return String.join(",", quote(scanId), Integer.toString(keptSlices), Integer.toString(abnormalSlices),
                    String.format(Locale.ROOT, "%.4f", maskMl), status, quote(error),
                    String.format(Locale.ROOT, "%.2f", seconds));
        }

        Row withStatus(String s) {
            return new Row(scanId, keptSlices, abnormalSlices, maskMl, s, error, seconds);
        }

        static Row parse(String line) {
            List<String> f = splitCsv(line);
            if (f.size() != 7) {
                throw new IllegalArgumentException("a row of " + CSV + " has 7 fields, got " + f.size() + ": " + line);
            }
            return new Row(f.get(0), Integer.parseInt(f.get(1)), Integer.parseInt(f.get(2)),
                    Double.parseDouble(f.get(3)), f.get(4), f.get(5), Double.parseDouble(f.get(6)));
        }
    }

    /** What the job did: the rows in scan order and the file they were written to. */
    public record Result(List<Row> rows, Path csv, double seconds) {
        public long count(String status) {
            return rows.stream().filter(r -> r.status().equals(status)).count();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "SegmentArchiveJob[%d scans: %d ok, %d done before, %d errors; %s; %.1f s]",
                    rows.size(), count("ok"), count("done"), count("error"), csv, seconds);
        }
    }

    /** Where the mask of {@code scanId} is written under {@code output}. */
    public static Path maskFile(Path output, String scanId) {
        return output.resolve("masks").resolve(scanId + "_mask.nii.gz");
    }

    /** Reads a {@code segmentation.csv} written by this job. */
    public static List<Row> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(csv + " does not start with the header " + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            rows.add(Row.parse(l));
        }
        return rows;
    }

    /** Segments every scan (one task each) and writes the CSV; returns when all scans are done or failed. */
    public Result run(JavaSparkContext sc) {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>(layout.scansById(layout.open()).keySet());
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no scans in " + layout.root());
        }
        Broadcast<String> modelDir = sc.broadcast(model);
        SegmentArchiveJob job = this;
        List<Row> rows = new ArrayList<>(sc.parallelize(ids, ids.size()).mapPartitions((Iterator<String> it) -> {
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(job.segmentOne(it.next(), modelDir.value()));
            }
            return out.iterator();
        }).collect());
        rows.sort(Comparator.comparing(Row::scanId));
        Path csv = Path.of(output).resolve(CSV);
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> text.append(r.toCsv()).append('\n'));
        writeAtomically(csv, text.toString());
        Result res = new Result(List.copyOf(rows), csv, (System.nanoTime() - start) / 1e9);
        LOG.info("{}", res);
        return res;
    }

    /** One scan on an executor: the earlier result, or a new segmentation, or the error. Never throws. */
    Row segmentOne(String id, String modelDir) {
        long t0 = System.nanoTime();
        Path out = Path.of(output);
        Path mask = maskFile(out, id);
        Path rowFile = out.resolve("rows").resolve(id + ".csv");
        try {
            if (Files.exists(mask) && Files.exists(rowFile)) {
                return Row.parse(Files.readString(rowFile, StandardCharsets.UTF_8).strip()).withStatus("done");
            }
            DatasetLayout here = layout.open();
            Map<String, DatasetLayout.ScanFiles> files = layout.scansById(here);
            DatasetLayout.ScanFiles f = files.get(id);
            SliceConfig cfg = recipe.sliceConfig(here, CtWindow.of(windowLo, windowHi));
            VolumeSegmentation s = ModelPool.with(modelDir, pipeline -> {
                try {
                    return VolumeSegmenter.of(pipeline, cfg).withMaskPolicy(MaskPolicy.fixed(maskThreshold))
                            .segment(f.image(), f.label());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Files.createDirectories(mask.getParent());
            s.writeMask(mask);
            Row row = new Row(id, s.explainedSlices().length, s.abnormalSlices(), s.maskMillilitres(), "ok", "",
                    (System.nanoTime() - t0) / 1e9);
            Files.createDirectories(rowFile.getParent());
            writeAtomically(rowFile, row.toCsv() + "\n");
            return row;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            Throwable cause = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            LOG.warn("scan {} failed: {}", id, cause.toString());
            return new Row(id, 0, 0, 0, "error", cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String quote(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.contains(",") || one.contains("\"") ? "\"" + one.replace("\"", "\"\"") + "\"" : one;
    }

    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Options of {@link SegmentArchiveJob}. */
    public static final class Builder {
        private final DatasetLayout layout;
        private final Path model;
        private final CtWindow window;
        private final Path output;
        private SliceRecipe recipe;
        private double maskThreshold = MaskPolicy.DEFAULT.threshold();

        private Builder(DatasetLayout layout, Path model, CtWindow window, Path output) {
            this.layout = Objects.requireNonNull(layout, "layout");
            this.model = Objects.requireNonNull(model, "model");
            this.window = Objects.requireNonNull(window, "window");
            this.output = Objects.requireNonNull(output, "output");
        }

        /** How the model's training slices were cut (required; e.g. {@code SliceRecipe.layoutDefault(128)}). */
        public Builder recipe(SliceRecipe recipe) {
            this.recipe = Objects.requireNonNull(recipe, "recipe");
            return this;
        }

        /** Difference threshold of the masks ({@code MaskPolicy.fixed}); default COIN's 0.25. */
        public Builder maskThreshold(double threshold) {
            MaskPolicy.fixed(threshold); // validates
            this.maskThreshold = threshold;
            return this;
        }

        public SegmentArchiveJob build() {
            return new SegmentArchiveJob(this);
        }
    }
}
