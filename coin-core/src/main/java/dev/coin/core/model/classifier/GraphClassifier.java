package dev.coin.core.model.classifier;

import dev.coin.core.nn.io.StateDict;
import dev.coin.core.model.Classifier;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared machinery of the SameDiff classifiers: the {@link Classifier#apply} contract on top of one
 * architecture-specific {@link #forward}, a lazily built eval-mode inference graph for the host-side methods, and
 * save/load as {@code classifier.json} (spec) + {@code weights.npz} (reference state_dict) in a folder.
 *
 * <p>{@link #apply} is always the eval-mode forward (running statistics as constants), whatever the scope's mode, as
 * the {@link Classifier} contract says: COIN adds the frozen classifier to its TRAIN-mode generator graph with
 * {@code scope.withTrainable(false)}. {@link #applyInMode} honours the scope's mode; the classifier trainer uses
 * it in TRAIN mode (batch statistics, running statistics updated through the graph's hooks). The inference graph
 * references the store's arrays, so it always sees the current weights.
 */
public abstract class GraphClassifier implements Classifier {
    static {
        // Select the fast oneDNN natives before this class can be the first to load ND4J.
        dev.coin.data.runtime.NativeBackend.configure();
    }

    /** File holding the spec inside a saved classifier folder. */
    public static final String SPEC_FILE = "classifier.json";
    /** File holding the weights inside a saved classifier folder. */
    public static final String WEIGHTS_FILE = "weights.npz";

    /** What one forward produces. */
    protected record Forward(SDVariable logits, SDVariable features, Map<String, SDVariable> layers) {
    }

    private final ParameterStore store;
    private SameDiff inference;
    private Forward inferenceOutputs;

    protected GraphClassifier(ParameterStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Adds the network to {@code scope}'s graph, returning logits, features and every named layer. */
    protected abstract Forward forward(GraphScope scope, SDVariable x);

    /** Smallest input height/width the network accepts. */
    protected abstract int minimumInputSize();

    @Override
    public abstract ClassifierSpec spec();

    @Override
    public ParameterStore parameters() {
        return store;
    }

    /** The eval-mode forward (see the class comment); the scope's mode is ignored. */
    @Override
    public ClassifierOutputs apply(GraphScope scope, SDVariable x, String... layers) {
        return applyInMode(scope.withMode(Mode.EVAL), x, layers);
    }

    /**
     * The forward in {@code scope}'s own mode: in {@link Mode#TRAIN} batch norm uses batch statistics and registers
     * running-statistic updates with the scope's hooks (for training the classifier itself).
     */
    public ClassifierOutputs applyInMode(GraphScope scope, SDVariable x, String... layers) {
        for (String l : layers) {
            checkLayer(l);
        }
        Forward f = forward(scope, x);
        List<SDVariable> out = new ArrayList<>(layers.length);
        for (String l : layers) {
            out.add(f.layers().get(l));
        }
        return new ClassifierOutputs(f.logits(), f.features(), List.copyOf(out));
    }

    @Override
    public INDArray logits(INDArray x) {
        return run(x, Which.LOGITS, null);
    }

    @Override
    public INDArray features(INDArray x) {
        return run(x, Which.FEATURES, null);
    }

    @Override
    public INDArray activations(INDArray x, String layer) {
        checkLayer(layer);
        return run(x, Which.LAYER, layer);
    }

    private enum Which { LOGITS, FEATURES, LAYER }

    private synchronized INDArray run(INDArray x, Which which, String layer) {
        Objects.requireNonNull(x, "x");
        long[] shape = x.shape();
        if (x.rank() != 4 || shape[1] != 1 || shape[0] < 1) {
            throw new IllegalArgumentException("x must be [B, 1, H, W] with B >= 1, got " + Arrays.toString(shape)
                    + "; add the channel axis with reshape(B, 1, H, W)");
        }
        int min = minimumInputSize();
        if (shape[2] < min || shape[3] < min) {
            throw new IllegalArgumentException("x is " + shape[2] + "x" + shape[3] + " but " + spec().architecture()
                    + " needs at least " + min + "x" + min + "; resize the slices");
        }
        if (inference == null) {
            inference = GraphScope.newSameDiff(new SingleThreadArrayHolder());
            SDVariable in = inference.placeHolder("x", store.dataType(), -1, 1, -1, -1);
            GraphScope scope = GraphScope.create(inference, store).withMode(Mode.EVAL).withTrainable(false)
                    .withCallPrefix("inference");
            inferenceOutputs = forward(scope, in);
        }
        String name = switch (which) {
            case LOGITS -> inferenceOutputs.logits().name();
            case FEATURES -> inferenceOutputs.features().name();
            case LAYER -> inferenceOutputs.layers().get(layer).name();
        };
        INDArray feed = x.dataType() == store.dataType() ? x : x.castTo(store.dataType());
        dev.coin.core.engine.SessionMemory.bound(inference);
        return inference.output(Map.of("x", feed), name).get(name);
    }

    private void checkLayer(String layer) {
        if (!layerNames().contains(layer)) {
            throw new IllegalArgumentException("layer '" + layer + "' is not a layer of " + spec().architecture()
                    + "; choose one of " + layerNames());
        }
    }

    /**
     * Writes {@value #SPEC_FILE} and {@value #WEIGHTS_FILE} into folder {@code dir} (created if needed). Each file is
     * written to a temporary name and moved into place, so a crash never leaves a half-written file under the
     * final name. Read back with {@link Classifiers#load}.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architecture", spec().architecture());
        json.putAll(spec().options());
        byte[] specBytes = Classifiers.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        Path specTmp = Files.createTempFile(dir, SPEC_FILE, ".tmp");
        Path weightsTmp = Files.createTempFile(dir, WEIGHTS_FILE, ".tmp");
        try {
            Files.write(specTmp, specBytes);
            StateDict.save(store, weightsTmp);
            moveAtomically(weightsTmp, dir.resolve(WEIGHTS_FILE));
            moveAtomically(specTmp, dir.resolve(SPEC_FILE));
        } finally {
            Files.deleteIfExists(specTmp);
            Files.deleteIfExists(weightsTmp);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec() + ", " + parameterCount() + " parameters]";
    }
}
