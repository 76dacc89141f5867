package dev.coin.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.nn.io.Npz;
import dev.coin.core.model.io.SpecJson;
import dev.coin.core.nn.io.StateDict;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.model.classifier.Classifiers;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.nn.ParameterStore;
import dev.coin.losses.TargetRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk form of a {@link TrainedPipeline} (what {@link TrainedPipeline#save} writes):
 * <pre>
 * model/
 *   model.json       format, version, name, target rule, conditioning mode, data type, generator spec,
 *                    training description, metric history
 *   generator.npz    the generator's arrays ({@code enc.*}, {@code gen.*}: weights, BN running statistics and
 *                    counters, SN vectors) in the reference state_dict layout ({@link StateDict})
 *   classifier/      {@link GraphClassifier#save}: classifier.json + weights.npz
 * </pre>
 * Arrays are stored as raw little-endian values, so save → load is bit-identical. {@code model.json} is written
 * last inside a temporary sibling folder that is then renamed, so a folder named like the model is always complete.
 */
final class ModelFolder {
    static final String MODEL_DIR = TrainedPipeline.MODEL_FOLDER;
    static final String META = "model.json";
    static final String GENERATOR = "generator.npz";
    static final String CLASSIFIER = "classifier";
    static final String FORMAT = "coin-model";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(ModelFolder.class);

    private ModelFolder() {
    }

    // ---- save ----------------------------------------------------------------------------------------------

    static Path save(TrainedPipeline t, Path dir) {
        java.util.Objects.requireNonNull(dir, "dir");
        if (!(t.classifier() instanceof GraphClassifier clf)) {
            throw new IllegalStateException("cannot save pipeline '" + t.name() + "': its classifier "
                    + t.classifier().getClass().getSimpleName() + " is not a GraphClassifier (ResNet18, "
                    + "EfficientNetV2S), so there is no file format for it; train COIN against one of those to save it");
        }
        Path target = dir.toAbsolutePath().normalize();
        checkTarget(target);
        // the generator's arrays, named by a fresh declaration of the spec (so classifier or discriminator
        // arrays can never slip in, whatever their names)
        ParameterStore names = t.generator().initialise(t.parameters().dataType(), 0L);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (ParameterStore.Entry e : names.entries()) {
            arrays.put(e.name(), StateDict.toReference(e.kind(), t.parameters().array(e.name())));
        }
        Path tmp = null;
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, target.getFileName() + ".tmp-");
            clf.save(tmp.resolve(CLASSIFIER));
            Npz.write(tmp.resolve(GENERATOR), arrays);
            JSON.writeValue(tmp.resolve(META).toFile(), meta(t));
            replace(target, tmp);
            tmp = null;
            LOG.info("model '{}' saved to {}", t.name(), target);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save model '" + t.name() + "' to " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Refuses a file, or a non-empty folder that is not a model (it would be overwritten). */
    private static void checkTarget(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new ModelFolderException(target, "cannot save a model to " + target + ": it is a file; choose a "
                    + "folder path");
        }
        if (Files.isRegularFile(target.resolve(META))) {
            return; // an older model: replaced as a whole
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isPresent()) {
                throw new ModelFolderException(target, "cannot save a model to " + target + ": the folder is not "
                        + "empty and holds no " + META + " (it is not a saved model), so saving would overwrite "
                        + "unrelated files; choose another folder (e.g. " + target.resolve(MODEL_DIR) + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target, e);
        }
    }

    private static ObjectNode meta(TrainedPipeline t) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("name", t.name());
        root.put("target_rule", t.targetRule().name());
        root.put("tanh_alignment", t.tanhAlignment());
        root.put("conditioning_mode", t.conditioningMode().name());
        root.put("data_type", t.parameters().dataType().name());
        root.set("generator", SpecJson.generator(t.generator()));
        root.put("training", t.trainingDescription());
        t.trainingIdentity().ifPresent(id -> root.set("identity", id));
        ArrayNode h = root.putArray("history");
        for (EpochMetrics m : t.history()) {
            h.add(JSON.valueToTree(m.toJson()));
        }
        return root;
    }

    /** Moves {@code fresh} to {@code target}; an existing target is moved aside first and deleted after. */
    private static void replace(Path target, Path fresh) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
            move(target, old);
        }
        try {
            move(fresh, target);
        } catch (IOException e) {
            if (old != null) {
                move(old, target); // put the previous model back
            }
            throw e;
        }
        if (old != null) {
            deleteQuietly(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", p, e.toString());
        }
    }

    // ---- load ----------------------------------------------------------------------------------------------

    /** The model folder: {@code dir} itself when it holds model.json, else {@code dir/model}. */
    static Path resolve(Path dir) {
        java.util.Objects.requireNonNull(dir, "dir");
        if (!Files.exists(dir)) {
            throw new ModelFolderException(dir, "no model at " + dir.toAbsolutePath() + ": the folder does not exist;"
                    + " pass a folder written by TrainedPipeline.save or a run directory holding " + MODEL_DIR + "/ "
                    + "(the main job writes coin-work/run/coin/model)");
        }
        if (Files.isRegularFile(dir.resolve(META))) {
            return dir;
        }
        if (Files.isRegularFile(dir.resolve(MODEL_DIR).resolve(META))) {
            return dir.resolve(MODEL_DIR);
        }
        throw new ModelFolderException(dir, "no model at " + dir.toAbsolutePath() + ": it holds neither " + META
                + " nor " + MODEL_DIR + "/" + META + "; pass a folder written by TrainedPipeline.save or a run "
                + "directory whose training finished (training with a run directory saves " + MODEL_DIR + "/ at the end)");
    }

    static TrainedPipeline load(Path dir) {
        Path folder = resolve(dir);
        Path metaFile = folder.resolve(META);
        JsonNode root;
        try {
            root = JSON.readTree(metaFile.toFile());
        } catch (IOException e) {
            throw new ModelFolderException(metaFile, "corrupt model file " + metaFile + ": " + e.getMessage()
                    + "; save the model again", e);
        }
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt(-1) < 1
                || root.path("version").asInt() > VERSION) {
            throw new ModelFolderException(metaFile, metaFile + " is not a COIN model of a known version (format '"
                    + root.path("format").asText() + "', version " + root.path("version") + "; this library reads '"
                    + FORMAT + "' versions 1.." + VERSION + ")");
        }
        String name;
        UNetPerturbation generator;
        TargetRule rule;
        DataType dataType;
        try {
            name = root.required("name").asText();
            generator = SpecJson.generator(root.required("generator"));
            rule = TargetRule.valueOf(root.required("target_rule").asText());
            dataType = DataType.valueOf(root.required("data_type").asText());
        } catch (IllegalArgumentException e) {
            throw new ModelFolderException(metaFile, "corrupt model file " + metaFile + ": " + e.getMessage()
                    + "; save the model again", e);
        }
        ConditioningMode mode = Pipeline.conditioningMode(generator, rule);
        if (!mode.name().equals(root.path("conditioning_mode").asText())) {
            throw new ModelFolderException(metaFile, "corrupt model file " + metaFile + ": conditioning mode '"
                    + root.path("conditioning_mode").asText() + "' does not follow from the generator's conditioning "
                    + generator.conditioning() + " and target rule " + rule + " (expected " + mode + ")");
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (JsonNode n : root.path("history")) {
            history.add(EpochMetrics.fromJson(n));
        }
        ParameterStore store = readGenerator(folder.resolve(GENERATOR), generator, dataType);
        GraphClassifier classifier = readClassifier(folder.resolve(CLASSIFIER));
        // models saved before COIN-Aligned have no tanh_alignment: they were not aligned
        boolean aligned = root.path("tanh_alignment").asBoolean(false);
        return new TrainedPipeline(name, classifier, generator, rule, aligned, root.path("training").asText(""),
                root.has("identity") ? root.get("identity") : null,
                folder.toAbsolutePath().normalize(), store, history);
    }

    private static ParameterStore readGenerator(Path file, UNetPerturbation generator, DataType dataType) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFolderException(file, "incomplete model: " + file + " (the generator's weights) is missing;"
                    + " save the model again");
        }
        ParameterStore store = generator.initialise(dataType, 0L);
        try {
            Map<String, INDArray> arrays = Npz.read(file);
            StateDict.load(store, arrays, "");
            if (arrays.size() != store.size()) {
                throw new IllegalArgumentException("it holds " + arrays.size() + " arrays, the generator has "
                        + store.size());
            }
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(file, "corrupt generator weights " + file + ": " + e.getMessage()
                    + "; save the model again", e);
        }
        return store;
    }

    private static GraphClassifier readClassifier(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFolderException(dir, "incomplete model: the classifier folder " + dir + " is missing; "
                    + "save the model again");
        }
        try {
            return Classifiers.load(dir);
        } catch (IOException | RuntimeException e) {
            throw new ModelFolderException(dir, "cannot read the classifier in " + dir + ": " + e.getMessage(), e);
        }
    }
}
