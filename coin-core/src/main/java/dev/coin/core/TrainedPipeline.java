package dev.coin.core;

import dev.coin.core.model.Classifier;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.Batch;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import dev.coin.losses.TargetRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained COIN generator with the frozen classifier it explains: the result of {@code PipelineTrainer.fit}, or a model
 * read back with {@link #load}. {@link #counterfactual} runs the generator in eval mode; {@link #explain} turns the
 * counterfactuals into {@link Explanation}s (difference maps, masks, panels); {@link #save} writes everything
 * inference needs.
 *
 * <pre>{@code
 * TrainedPipeline t = PipelineTrainer.builder(pipeline).build().fit(loader, 100);
 * TrainedPipeline.Counterfactual cf = t.counterfactual(x);    // x: [B, 1, H, W]
 * Explanation e = t.explain(slice);                            // p before/after, difference map, mask
 * e.writePanel(Path.of("panel.png"), slice.mask("anomaly"));
 * t.save(Path.of("models/coin"));
 * TrainedPipeline again = TrainedPipeline.load(Path.of("models/coin"));   // same counterfactuals, bit for bit
 * }</pre>
 *
 * <p><b>Loaded pipelines are inference-only.</b> A saved model holds the classifier, the generator spec and its
 * weights and batch-norm / spectral-norm state, the target rule, the name, the training description
 * ({@link Pipeline#describe()}, as text) and the metric history; it holds no discriminator, losses or optimiser
 * state (those belong to training, and training resumes from {@link dev.coin.core.train.Checkpoint}s). So a loaded
 * pipeline answers {@link #counterfactual}, {@link #explain}, {@link #save} and the accessors below, while
 * {@link #pipeline()} — the full training configuration — throws; {@link #trainingDescription()} shows it instead.
 */
public final class TrainedPipeline {
    static {
        // Select the fast oneDNN natives before this class can be the first to load ND4J (e.g. in JShell).
        dev.coin.data.runtime.NativeBackend.configure();
    }

    /** How many slices {@link #explain(List)} sends through the generator at once. */
    public static final int EXPLAIN_BATCH = 16;

    /** Folder under a run directory that receives the final model ({@link #load} accepts the run directory). */
    public static final String MODEL_FOLDER = "model";

    private final Pipeline pipeline;
    private final String name;
    private final Classifier classifier;
    private final UNetPerturbation generator;
    private final TargetRule targetRule;
    private final boolean tanhAlignment;
    private final ConditioningMode conditioningMode;
    private final String trainingDescription;
    private final com.fasterxml.jackson.databind.JsonNode trainingIdentity;
    private final Path loadedFrom;
    private final ParameterStore store;
    private final List<EpochMetrics> history;
    private SameDiff eval;
    private GraphScope evalScope;
    private String evalOut;
    private long evalH;
    private long evalW;

    /**
     * Wraps generator weights with the pipeline they belong to: what the trainer returns, and how weights trained
     * elsewhere (e.g. a PyTorch state dict read into a {@link ParameterStore}) become an explainer. The store must hold
     * every generator parameter of {@code pipeline} with its shape (it may hold more, e.g. discriminator weights);
     * it is used as it is, not copied.
     *
     * @throws IllegalArgumentException when the store lacks a generator parameter or holds it with another shape
     */
    public TrainedPipeline(Pipeline pipeline, ParameterStore store, List<EpochMetrics> history) {
        checkGeneratorWeights(Objects.requireNonNull(pipeline, "pipeline"), Objects.requireNonNull(store, "store"));
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.name = pipeline.name();
        this.classifier = pipeline.classifier();
        this.generator = pipeline.generator();
        this.targetRule = pipeline.targetRule();
        this.tanhAlignment = pipeline.tanhAlignment();
        this.conditioningMode = pipeline.conditioningMode();
        this.trainingDescription = pipeline.describe();
        this.trainingIdentity = pipeline.identity().toJson();
        this.loadedFrom = null;
        this.store = Objects.requireNonNull(store, "store");
        this.history = List.copyOf(history);
    }

    private static void checkGeneratorWeights(Pipeline pipeline, ParameterStore store) {
        ParameterStore expected = ParameterStore.create(store.dataType());
        pipeline.generator().declare(expected, 0L);
        for (ParameterStore.Entry e : expected.entries()) {
            if (!store.contains(e.name())) {
                throw new IllegalArgumentException("the store lacks generator parameter '" + e.name() + "' of "
                        + pipeline.generator() + "; pass the store the generator was trained (or converted) into");
            }
            long[] have = store.array(e.name()).shape();
            if (!java.util.Arrays.equals(have, e.array().shape())) {
                throw new IllegalArgumentException("generator parameter '" + e.name() + "' has shape "
                        + java.util.Arrays.toString(have) + " in the store, but the pipeline's generator needs "
                        + java.util.Arrays.toString(e.array().shape()) + "; the weights belong to another generator "
                        + "spec (widths, skips, conditioning)");
            }
        }
    }

    /** A loaded, inference-only pipeline (see the class comment). */
    TrainedPipeline(String name, Classifier classifier, UNetPerturbation generator, TargetRule targetRule,
            boolean tanhAlignment, String trainingDescription, com.fasterxml.jackson.databind.JsonNode trainingIdentity, Path loadedFrom,
            ParameterStore store, List<EpochMetrics> history) {
        this.pipeline = null;
        this.name = Objects.requireNonNull(name, "name");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.targetRule = Objects.requireNonNull(targetRule, "targetRule");
        this.tanhAlignment = tanhAlignment;
        this.conditioningMode = Pipeline.conditioningMode(generator, targetRule);
        this.trainingDescription = Objects.requireNonNull(trainingDescription, "trainingDescription");
        this.trainingIdentity = trainingIdentity;
        this.loadedFrom = Objects.requireNonNull(loadedFrom, "loadedFrom");
        this.store = Objects.requireNonNull(store, "store");
        this.history = List.copyOf(history);
    }

    /**
     * The full training configuration.
     *
     * @throws IllegalStateException for a pipeline read with {@link #load}: it is inference-only; see
     *                               {@link #trainingDescription()}
     */
    public Pipeline pipeline() {
        if (pipeline == null) {
            throw new IllegalStateException("this TrainedPipeline was loaded from " + loadedFrom + " and holds only what "
                    + "inference needs (classifier, generator, target rule); its training settings are in "
                    + "trainingDescription(); resume training from a checkpoint instead");
        }
        return pipeline;
    }

    /** The pipeline's name (presets set it, e.g. {@code coin-synthetic}). */
    public String name() {
        return name;
    }

    /** The frozen classifier being explained. */
    public Classifier classifier() {
        return classifier;
    }

    /** The generator spec. */
    public UNetPerturbation generator() {
        return generator;
    }

    public TargetRule targetRule() {
        return targetRule;
    }

    public ConditioningMode conditioningMode() {
        return conditioningMode;
    }

    /** {@link Pipeline#describe()} of the pipeline that trained the generator (also kept by saved models). */
    public String trainingDescription() {
        return trainingDescription;
    }

    /**
     * {@link Pipeline#identity()} of the pipeline that trained the generator, as JSON (saved models keep it; empty
     * for a model saved before identities were stored).
     */
    public Optional<com.fasterxml.jackson.databind.JsonNode> trainingIdentity() {
        return Optional.ofNullable(trainingIdentity).map(com.fasterxml.jackson.databind.JsonNode::deepCopy);
    }

    /** The model folder this pipeline was read from, or empty when it was trained in this JVM. */
    public Optional<Path> loadedFrom() {
        return Optional.ofNullable(loadedFrom);
    }

    /**
     * The live weights and statistics (not a copy): generator, discriminator and classifier after training; the
     * generator's only after {@link #load}.
     */
    public ParameterStore parameters() {
        return store;
    }

    /** Metrics of every epoch, oldest first. */
    public List<EpochMetrics> history() {
        return history;
    }

    /**
     * True when the pipeline was trained with COIN-Aligned's tanh alignment: its counterfactuals are compared with
     * tanh(x), not x ({@link Counterfactual#reference()}).
     */
    public boolean tanhAlignment() {
        return tanhAlignment;
    }

    /**
     * A counterfactual and the classifier's view of it.
     *
     * @param input             x [B, 1, H, W]
     * @param reference         what x_cf is compared with [B, 1, H, W]: x, or tanh(x) under tanh alignment (reference
     *                          §9.2: a zero perturbation gives x_cf = tanh(x)). This is the one place that decides the
     *                          difference map, |reference − x_cf| / 2: explanations, the evaluation's metrics and the
     *                          panels all take it from here.
     * @param counterfactual    x_cf [B, 1, H, W]
     * @param probabilityBefore p(x) [B, 1]
     * @param probabilityAfter  p(x_cf) [B, 1]
     */
    public record Counterfactual(INDArray input, INDArray reference, INDArray counterfactual,
                                 INDArray probabilityBefore, INDArray probabilityAfter) {
    }

    /**
     * The eval-mode counterfactual of {@code x} (batch-norm running statistics; the condition from the target rule,
     * or with {@code Conditioning.features(F)} the classifier's features of {@code x}).
     * Spectral-norm vectors still advance, as in the reference's evaluation.
     *
     * @throws IllegalArgumentException when {@code x} is not [B, 1, H, W]
     */
    public synchronized Counterfactual counterfactual(INDArray x) {
        Objects.requireNonNull(x, "x");
        if (x.rank() != 4 || x.size(1) != 1) {
            throw new IllegalArgumentException("x must be [B, 1, H, W], got " + java.util.Arrays.toString(x.shape())
                    + "; add the channel axis with x.reshape(b, 1, h, w)");
        }
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray p = classifier.probabilities(xf);
        if (eval == null || evalH != x.size(2) || evalW != x.size(3)) {
            buildEval((int) x.size(2), (int) x.size(3));
        }
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put("x", xf);
        if (generator.conditioning().kind() == Conditioning.Kind.FEATURES) {
            // COIN-Aligned (§9.5): the classifier's penultimate features of the raw x, in evaluation too
            feeds.put("cond", classifier.features(xf).castTo(DataType.FLOAT));
        } else if (conditioningMode != ConditioningMode.NONE) {
            feeds.put("cond", targetRule.condition(p).reshape(x.size(0)));
        }
        INDArray xcf = evalScope.hooks().output(feeds, evalOut).get(evalOut);
        INDArray reference = tanhAlignment ? Transforms.tanh(xf, true) : xf;
        return new Counterfactual(xf, reference, xcf, p, classifier.probabilities(xcf));
    }

    private void buildEval(int h, int w) {
        eval = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        evalScope = GraphScope.create(eval, store).withMode(Mode.EVAL).withTrainable(false).withCallPrefix("e");
        SDVariable x = eval.placeHolder("x", DataType.FLOAT, -1, 1, h, w);
        SDVariable c = conditioningMode == ConditioningMode.NONE ? null
                : generator.conditioning().kind() == Conditioning.Kind.FEATURES
                ? eval.placeHolder("cond", DataType.FLOAT, -1, generator.conditioning().size())
                : eval.placeHolder("cond", DataType.INT32, -1);
        evalOut = generator.build(evalScope, x, c, h, w).counterfactual().name();
        evalH = h;
        evalW = w;
    }

    // ---- explanations --------------------------------------------------------------------------------------

    /**
     * Explains each image of a batch: one {@link #counterfactual} call, then one {@link Explanation} per image.
     *
     * @param x [B, 1, H, W] in [−1, 1]
     */
    public List<Explanation> explain(INDArray x) {
        Counterfactual cf = counterfactual(x);
        int b = (int) x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        float[] in = cf.input().dup('c').reshape(-1).toFloatVector();
        float[] ref = cf.reference().dup('c').reshape(-1).toFloatVector();
        float[] out = cf.counterfactual().castTo(DataType.FLOAT).dup('c').reshape(-1).toFloatVector();
        double[] p = cf.probabilityBefore().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] q = cf.probabilityAfter().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        int n = h * w;
        List<Explanation> result = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            result.add(Explanation.of(FloatImage.wrap(h, w, java.util.Arrays.copyOfRange(in, i * n, (i + 1) * n)),
                    FloatImage.wrap(h, w, java.util.Arrays.copyOfRange(ref, i * n, (i + 1) * n)),
                    FloatImage.wrap(h, w, java.util.Arrays.copyOfRange(out, i * n, (i + 1) * n)), p[i], q[i]));
        }
        return result;
    }

    /** Explains one slice (its image, in [−1, 1]). */
    public Explanation explain(Slice slice) {
        return explain(List.of(Objects.requireNonNull(slice, "slice"))).get(0);
    }

    /**
     * Explains slices in order, {@value #EXPLAIN_BATCH} at a time (a batch also ends where the slice size changes).
     *
     * @throws IllegalArgumentException when the list or one of its slices is null
     */
    public List<Explanation> explain(List<Slice> slices) {
        Objects.requireNonNull(slices, "slices");
        List<Explanation> result = new ArrayList<>(slices.size());
        int from = 0;
        while (from < slices.size()) {
            Slice first = requireSlice(slices, from);
            int to = from + 1;
            while (to < slices.size() && to - from < EXPLAIN_BATCH && requireSlice(slices, to).height() == first.height()
                    && slices.get(to).width() == first.width()) {
                to++;
            }
            result.addAll(explain(Batch.stackImages(slices.subList(from, to))));
            from = to;
        }
        return result;
    }

    private static Slice requireSlice(List<Slice> slices, int i) {
        Slice s = slices.get(i);
        if (s == null) {
            throw new IllegalArgumentException("slices[" + i + "] is null; remove it from the list");
        }
        return s;
    }

    // ---- saving and loading --------------------------------------------------------------------------------

    /**
     * Writes everything inference needs into folder {@code dir}: the classifier
     * ({@code classifier/}), the generator spec, target rule, name, training description and history
     * ({@code model.json}), the generator's weights and batch-norm / spectral-norm state ({@code generator.npz}).
     * The model is written into a temporary sibling folder and moved into place, so {@code dir} never holds a
     * half-written model; an existing model in {@code dir} is replaced as a whole.
     *
     * @return {@code dir}
     * @throws IllegalStateException when the classifier is not a {@link dev.coin.core.model.classifier.GraphClassifier}
     *                               (only those can be saved)
     * @throws ModelFolderException  when {@code dir} exists and is a file or a non-empty folder that is not a model
     * @throws java.io.UncheckedIOException when writing fails (nothing is left under {@code dir} then)
     */
    public synchronized Path save(Path dir) {
        return ModelFolder.save(this, dir);
    }

    /**
     * Reads a model written by {@link #save} (or by training with a run directory, which saves into
     * {@code <runDirectory>/model}). {@code dir} is the model folder itself or a run directory holding
     * {@code model/}. The result is inference-only (see the class comment).
     *
     * @throws ModelFolderException naming the path and what is missing or corrupt
     */
    public static TrainedPipeline load(Path dir) {
        return ModelFolder.load(dir);
    }

    /** Epoch-by-epoch summary. */
    @Override
    public String toString() {
        EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
        return "TrainedPipeline[" + name + (loadedFrom == null ? "" : ", loaded from " + loadedFrom) + ", "
                + history.size() + (history.size() == 1 ? " epoch" : " epochs")
                + (last == null ? "" : ", last flip rate " + last.flipRate() + ", last losses " + last.losses()) + "]";
    }

}
