package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coin.core.nn.io.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training checkpoint of either trainer: a folder with {@code state.npz} (every weight, batch-norm statistic,
 * spectral-norm vector and Adam moment; for COIN also the frozen classifier's weights, for a classifier also the best
 * epoch's weights so far) and {@code checkpoint.json} (which trainer wrote it, epoch, step, optimiser iteration
 * counts, the loader's seed and batch size, the structured identity of what was trained and the metric history).
 * Written into a temporary sibling folder and renamed, so a crash never leaves a half-written checkpoint under the
 * final name.
 *
 * <pre>{@code
 * Checkpoint c = Checkpoint.read(run.resolve("checkpoints/epoch-0010"));
 * c.completedEpochs();                                           // 10
 * TrainedPipeline t = PipelineTrainer.builder(pipeline).resumeFrom(c.directory()).build().fit(loader, 20);
 * }</pre>
 */
public final class Checkpoint {
    /** Current format version. */
    public static final int FORMAT = 3;
    static final String STATE = "state.npz";
    static final String META = "checkpoint.json";
    static final ObjectMapper JSON = dev.coin.core.internal.Json.MAPPER;

    private final Path directory;
    private final Map<String, INDArray> arrays;
    private final JsonNode meta;

    private Checkpoint(Path directory, Map<String, INDArray> arrays, JsonNode meta) {
        this.directory = directory;
        this.arrays = arrays;
        this.meta = meta;
    }

    /** Writes {@code arrays} and {@code meta} into {@code target} atomically (replacing an older checkpoint there). */
    static Path write(Path target, Map<String, INDArray> arrays, Map<String, Object> meta) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, target.getFileName() + ".tmp-");
            Npz.write(tmp.resolve(STATE), arrays);
            JSON.writeValue(tmp.resolve(META).toFile(), meta);
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve(target.getFileName() + ".old-" + System.nanoTime());
                move(target, old);
            }
            move(tmp, target);
            if (old != null) {
                deleteTree(old);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    /**
     * Reads a checkpoint folder.
     *
     * @throws IllegalArgumentException when the folder is not a checkpoint of a known format
     */
    public static Checkpoint read(Path directory) {
        if (!isCheckpoint(directory)) {
            throw new IllegalArgumentException("checkpoint folder " + directory + " lacks " + STATE + " or " + META
                    + "; pass a folder written by a CheckpointListener or TrainingContext.writeCheckpoint");
        }
        try {
            JsonNode meta = JSON.readTree(directory.resolve(META).toFile());
            int format = meta.path("format").asInt(-1);
            if (format != FORMAT && format != 2) {
                throw new IllegalArgumentException("checkpoint " + directory + " has format " + format + "; this "
                        + "library reads format " + FORMAT + (format == 1 ? " (format 1 identified pipelines by their "
                        + "description text and cannot be checked; train again or resume with the library version "
                        + "that wrote it)" : "") + "; format 2 (pipelines only) is read too");
            }
            return new Checkpoint(directory, Npz.read(directory.resolve(STATE)), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code directory} holds both files of a checkpoint. */
    static boolean isCheckpoint(Path directory) {
        return Files.isRegularFile(directory.resolve(STATE)) && Files.isRegularFile(directory.resolve(META));
    }

    public Path directory() {
        return directory;
    }

    /**
     * The saved array {@code name}, checked against the shape of {@code like} (the live array it restores).
     *
     * @param owner what the checkpoint should belong to, for the message (e.g. "this classifier")
     * @throws IllegalArgumentException when the array is missing or has another shape
     */
    INDArray array(String name, INDArray like, String owner) {
        INDArray saved = arrays().get(name);
        if (saved == null || !java.util.Arrays.equals(saved.shape(), like.shape())) {
            throw new IllegalArgumentException("checkpoint " + directory() + " lacks '" + name + "' or has another "
                    + "shape; it does not match " + owner);
        }
        return saved;
    }

    /** Every stored array by name ({@code store/…}, {@code adam/generator/…}, …). */
    public Map<String, INDArray> arrays() {
        return arrays;
    }

    /** The raw metadata. */
    public JsonNode meta() {
        return meta;
    }

    public int completedEpochs() {
        return meta.path("completedEpochs").asInt();
    }

    public long globalStep() {
        return meta.path("globalStep").asLong();
    }

    /** Which trainer wrote it: {@code pipeline} or {@code classifier}. */
    public String kind() {
        return meta.path("kind").asText("pipeline"); // format 2 was written by the pipeline trainer only
    }

    /** The structured identity of what was trained (for a pipeline: {@link dev.coin.core.Pipeline#identity()}). */
    public JsonNode identity() {
        return meta.has("identity") ? meta.path("identity") : meta.path("pipeline");
    }

    /** The part of {@link #identity()} a resuming trainer must match (for a pipeline: everything but the name). */
    public JsonNode resumeKey() {
        if (meta.has("resumeKey")) {
            return meta.path("resumeKey");
        }
        com.fasterxml.jackson.databind.node.ObjectNode o = meta.path("pipeline").deepCopy();
        o.remove("name");
        return o;
    }

    /** The loader's seed and batch size of the run that wrote it (missing in format 2). */
    public JsonNode loader() {
        return meta.path("loader");
    }

    /** The metric history stored with it. */
    public List<EpochMetrics> history() {
        List<EpochMetrics> out = new ArrayList<>();
        for (JsonNode n : meta.path("history")) {
            out.add(EpochMetrics.fromJson(n));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Checkpoint[" + directory + ", epoch " + completedEpochs() + ", step " + globalStep() + ", "
                + arrays.size() + " arrays]";
    }
}
