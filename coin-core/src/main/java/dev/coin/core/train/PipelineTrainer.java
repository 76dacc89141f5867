package dev.coin.core.train;

import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;
import dev.coin.core.ConditioningMode;
import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.engine.TrainingStepper;
import dev.coin.core.eval.FlipRate;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.losses.BuiltLoss;
import dev.coin.losses.BuiltTerm;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.TargetRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.GradientUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-player training of a {@link Pipeline} (reference §4.6, §5): the discriminator is updated on every step, the
 * generator when {@code globalStep % k == 0}; each player has its own persistent Adam state; the classifier is
 * frozen (its weights are graph constants) while gradients flow through it to the generator. On steps without a
 * generator update the generator still runs forward in train mode (batch-norm statistics and spectral-norm vectors
 * advance) to produce the fakes. The classifier's probabilities p(x), the targets and conditions
 * ({@link TargetRule}) are computed on the host every step and fed to the graphs.
 *
 * <p>With a run directory, the final model is saved to {@code <runDirectory>/model} ({@link TrainedPipeline#save};
 * read it back with {@code TrainedPipeline.load(runDirectory)}).
 *
 * <p>Resuming from a {@link Checkpoint} restores every array and both optimiser states, so on CPU a resumed run
 * ends bit-identical to an uninterrupted one. A NaN or infinite loss stops training with a
 * {@link NonFiniteLossException} naming the term and the step; nothing is written after that.
 *
 * <pre>{@code
 * TrainedPipeline t = PipelineTrainer.builder(pipeline)
 *         .listeners(new ProgressBar(), new MetricsWriter(run), CheckpointListener.every(10, run))
 *         .build().fit(loader, 151);
 * }</pre>
 */
public final class PipelineTrainer implements TrainingContext {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineTrainer.class);

    static {
        NativeBackend.configure();
    }

    private final Pipeline pipeline;
    private final List<TrainingListener> listeners;
    private final Path resumeFrom;
    private final Path runDirectory;
    private final String datasetSplitHash;

    private ParameterStore store;
    private final Set<String> classifierNames = new HashSet<>();
    private TrainingGraphs graphs;
    /** One persistent training state per player for the whole {@link #fit} call (see {@link TrainingStepper}). */
    private TrainingStepper generatorStepper;
    private TrainingStepper discriminatorStepper;
    private final List<EpochMetrics> history = new ArrayList<>();
    private int completedEpochs;
    private long globalStep;
    private int totalEpochs;
    private int stepsPerEpoch;

    private PipelineTrainer(Builder b) {
        this.pipeline = b.pipeline;
        this.listeners = List.copyOf(b.listeners);
        this.resumeFrom = b.resumeFrom;
        this.runDirectory = b.runDirectory;
        this.datasetSplitHash = b.datasetSplitHash;
    }

    public static Builder builder(Pipeline pipeline) {
        return new Builder(Objects.requireNonNull(pipeline, "pipeline"));
    }

    /**
     * Trains until {@code epochs} epochs are complete (counting those of a resumed checkpoint).
     *
     * @throws NonFiniteLossException when a loss becomes NaN or infinite
     */
    public TrainedPipeline fit(BatchLoader loader, int epochs) {
        Objects.requireNonNull(loader, "loader");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        this.totalEpochs = epochs;
        this.stepsPerEpoch = loader.batchesIn(0);
        Batch probe = peek(loader);
        long[] shape = probe.images().shape();
        store = TrainingGraphs.createStore(pipeline, classifierNames);
        graphs = new TrainingGraphs(pipeline, store, (int) shape[2], (int) shape[3], probe.masks().size(1));
        generatorStepper = TrainingStepper.of(graphs.g);
        // the two steps alternate, never overlap: one set of buffers serves both
        discriminatorStepper = TrainingStepper.of(graphs.d).shareBuffersWith(generatorStepper);
        if (resumeFrom != null) {
            restore(Checkpoint.read(resumeFrom));
        }
        if (completedEpochs >= epochs) {
            throw new IllegalArgumentException("the checkpoint already has " + completedEpochs + " epochs; ask for more"
                    + " than that (got epochs = " + epochs + ")");
        }
        long start = System.nanoTime();
        if (runDirectory != null) {
            Provenance.write(runDirectory, pipeline, loader, datasetSplitHash, epochs, Double.NaN);
        }
        listeners.forEach(l -> l.onStart(this));
        try {
            for (int epoch = completedEpochs; epoch < epochs; epoch++) {
                runEpoch(loader, epoch);
            }
            listeners.forEach(l -> l.onEnd(this));
        } finally {
            generatorStepper.close(); // the replay buffers: activations and gradients of a whole step
            discriminatorStepper.close();
        }
        if (runDirectory != null) {
            Provenance.write(runDirectory, pipeline, loader, datasetSplitHash, epochs, (System.nanoTime() - start) / 1e9);
        }
        TrainedPipeline trained = new TrainedPipeline(pipeline, store, history);
        if (runDirectory != null) {
            saveModel(trained);
        }
        return trained;
    }

    /**
     * Saves the final model to {@code <runDirectory>/model} (atomically; {@link TrainedPipeline#load} accepts the run
     * directory). A classifier without a file format cannot be saved: that is logged, and training still returns.
     */
    private void saveModel(TrainedPipeline trained) {
        Path model = runDirectory.resolve(TrainedPipeline.MODEL_FOLDER);
        if (!(pipeline.classifier() instanceof GraphClassifier)) {
            LOG.warn("final model NOT saved to {}: the classifier {} is not a GraphClassifier, which is the only kind"
                    + " that can be saved; keep the returned TrainedPipeline in memory", model,
                    pipeline.classifier().getClass().getSimpleName());
            return;
        }
        trained.save(model);
    }

    private static Batch peek(BatchLoader loader) {
        try (BatchLoader.Epoch e = loader.epoch(0)) {
            return e.next();
        }
    }

    // ---- one epoch / one step ------------------------------------------------------------------------------

    private final class EpochAccumulator {
        final Map<String, double[]> sums = new LinkedHashMap<>();
        final FlipRate flips = new FlipRate();
        int steps;
        int generatorSteps;

        void add(Map<String, Double> values) {
            for (Map.Entry<String, Double> e : values.entrySet()) {
                double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
                s[0] += e.getValue();
                s[1]++;
            }
        }

        EpochMetrics finish(int epoch, double seconds) {
            Map<String, Double> means = new LinkedHashMap<>();
            sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
            return new EpochMetrics(epoch, means, flips.value(), (int) flips.abnormal(),
                    steps, generatorSteps, seconds);
        }
    }

    private void runEpoch(BatchLoader loader, int epoch) {
        long t0 = System.nanoTime();
        EpochAccumulator acc = new EpochAccumulator();
        try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
            int b = 0;
            while (batches.hasNext()) {
                long s0 = System.nanoTime();
                Batch batch = batches.next();
                boolean gStep = globalStep % pipeline.generatorEvery() == 0;
                Map<String, Double> values = step(batch, gStep, epoch, b, acc);
                acc.add(values);
                acc.steps++;
                if (gStep) {
                    acc.generatorSteps++;
                }
                StepReport r = new StepReport(epoch, b, globalStep, gStep, values, (System.nanoTime() - s0) / 1e9);
                globalStep++;
                for (TrainingListener l : listeners) {
                    l.onStep(r, this);
                }
                b++;
            }
        }
        EpochMetrics m = acc.finish(epoch, (System.nanoTime() - t0) / 1e9);
        history.add(m);
        completedEpochs = epoch + 1;
        LOG.debug("epoch {} done: {}", epoch, m);
        for (TrainingListener l : listeners) {
            l.onEpochEnd(m, this);
        }
    }

    private Map<String, Double> step(Batch batch, boolean gStep, int epoch, int b, EpochAccumulator acc) {
        long t0 = System.nanoTime();
        INDArray x = batch.images();
        int n = (int) x.size(0);
        INDArray p = pipeline.classifier().probabilities(x);
        TargetRule rule = pipeline.targetRule();
        INDArray bin = TargetRule.bin(p).reshape(n);
        INDArray cond = rule.condition(p).reshape(n);
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(TrainingGraphs.X, x);
        feeds.put(TrainingGraphs.COND, cond);
        feeds.put(TrainingGraphs.COND_SELF, bin);
        feeds.put(TrainingGraphs.D_FAKE_LABEL, cond);
        feeds.put(TrainingGraphs.D_REAL_LABEL, bin);
        feeds.put(TrainingGraphs.TARGET, rule.target(p).reshape(n, 1).castTo(DataType.FLOAT));
        feeds.put(TrainingGraphs.MASKS, batch.masks());
        INDArray px = p.reshape(n, 1).castTo(DataType.FLOAT);
        feeds.put(TrainingGraphs.P_X, px);
        if (!graphs.gFed.isEmpty() || !graphs.dFed.isEmpty()) {
            LossInput.StepArrays host = LossInput.StepArrays.of(Map.of(LossInput.X, x, LossInput.MASKS, batch.masks(),
                    LossInput.CLASSIFIER_PROB_X, px, LossInput.TARGET_PROB, feeds.get(TrainingGraphs.TARGET)));
            graphs.gFed.forEach((name, key) -> feeds.put(name, key.computeFeed(host)));
            graphs.dFed.forEach((name, key) -> feeds.putIfAbsent(name, key.computeFeed(host)));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        INDArray xcf;
        if (gStep) {
            graphs.gCapture.clear();
            graphs.gScope.hooks().checkLabels(feeds);
            generatorStepper.step(dataSet(graphs.gFeeds, feeds));
            collect(graphs.gCapture, graphs.gLoss, values, epoch, b);
            xcf = graphs.gCapture.get(graphs.gCounterfactual);
            INDArray pcf = graphs.gProbCf != null ? graphs.gCapture.get(graphs.gProbCf)
                    : pipeline.classifier().probabilities(xcf);
            double[] pv = p.castTo(DataType.DOUBLE).data().asDouble();
            double[] qv = pcf.castTo(DataType.DOUBLE).data().asDouble();
            acc.flips.add(pv, qv);
        } else {
            Map<String, INDArray> ff = new HashMap<>();
            for (String name : graphs.fFeeds) {
                ff.put(name, feeds.get(name));
            }
            xcf = graphs.fScope.hooks().output(ff, graphs.fCounterfactual).get(graphs.fCounterfactual);
        }
        long t1 = System.nanoTime();
        Map<String, INDArray> dFeeds = new HashMap<>(feeds);
        dFeeds.put(TrainingGraphs.X_REAL, x);
        dFeeds.put(TrainingGraphs.X_FAKE, xcf); // detached: a plain array
        graphs.dCapture.clear();
        discriminatorStepper.step(dataSet(graphs.dFeeds, dFeeds));
        collect(graphs.dCapture, graphs.dLoss, values, epoch, b);
        if (LOG.isDebugEnabled()) {
            LOG.debug("step {} ({}): generator part {} ms, discriminator part {} ms", globalStep,
                    gStep ? "G+D" : "D only", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
        return values;
    }

    private static MultiDataSet dataSet(List<String> order, Map<String, INDArray> feeds) {
        INDArray[] f = new INDArray[order.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Objects.requireNonNull(feeds.get(order.get(i)), order.get(i));
        }
        return new MultiDataSet(f, new INDArray[0]);
    }

    /**
     * Reads the logged scalars of {@code player}'s active terms from the capture: each term's weighted and raw value
     * and its components, under the names the loss set gave them. The total is Σ λ·L, summed here because SameDiff's
     * training pass never computes the loss variable itself.
     */
    private void collect(ValueCapture capture, BuiltLoss built, Map<String, Double> into, int epoch, int b) {
        double sum = 0;
        for (BuiltTerm t : built.terms()) {
            for (Map.Entry<String, SDVariable> e : t.logged().entrySet()) {
                INDArray v = capture.get(e.getKey());
                if (v == null) {
                    LOG.debug("'{}' of loss term '{}' was not computed by the training pass; not logged", e.getKey(),
                            t.term().name());
                    continue;
                }
                double value = v.getDouble(0);
                if (!Double.isFinite(value)) {
                    throw new NonFiniteLossException(t.term().name(), value, globalStep, epoch, b);
                }
                into.put(e.getKey(), value);
            }
            Double weighted = into.get(t.weighted().name());
            if (weighted != null) {
                sum += weighted;
            }
        }
        if (!Double.isFinite(sum)) {
            throw new NonFiniteLossException(LossSet.totalName(built.player()).substring(5), sum, globalStep, epoch, b);
        }
        into.put(LossSet.totalName(built.player()), sum);
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------

    private static final String STORE = "store/";
    private static final String ADAM_G = "adam/generator/";
    private static final String ADAM_D = "adam/discriminator/";

    @Override
    public TrainedPipeline current() {
        if (store == null) {
            throw new IllegalStateException("current() is only available while fit(...) runs (from a listener)");
        }
        return new TrainedPipeline(pipeline, store, history);
    }

    @Override
    public Path writeCheckpoint(Path directory) {
        requireStarted();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (ParameterStore.Entry e : store.entries()) {
            arrays.put(STORE + e.name(), e.array());
        }
        putUpdaters(arrays, ADAM_G, graphs.g);
        putUpdaters(arrays, ADAM_D, graphs.d);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("completedEpochs", completedEpochs);
        meta.put("globalStep", globalStep);
        meta.put("generatorIterations", graphs.g.getTrainingConfig().getIterationCount());
        meta.put("generatorEpochCount", graphs.g.getTrainingConfig().getEpochCount());
        meta.put("discriminatorIterations", graphs.d.getTrainingConfig().getIterationCount());
        meta.put("discriminatorEpochCount", graphs.d.getTrainingConfig().getEpochCount());
        meta.put("seed", pipeline.seed());
        meta.put("randomness", "initialisation seeds derive(seed, 1|2); batch order and transforms derive(seed, "
                + "epoch, position); no other random state");
        meta.put("pipeline", pipeline.identity().toJson());
        List<Object> h = new ArrayList<>();
        history.forEach(m -> h.add(Checkpoint.toJson(m)));
        meta.put("history", h);
        Path written = Checkpoint.write(directory, arrays, meta);
        LOG.info("checkpoint written: {} (epoch {}, step {})", written, completedEpochs, globalStep);
        return written;
    }

    private static void putUpdaters(Map<String, INDArray> arrays, String prefix, SameDiff sd) {
        Map<String, GradientUpdater> m = updaters(sd);
        if (m == null) {
            return; // never trained: Adam moments are zero
        }
        for (Map.Entry<String, GradientUpdater> e : m.entrySet()) {
            Map<String, INDArray> state = stateOf(e.getValue());
            for (Map.Entry<String, INDArray> s : state.entrySet()) {
                arrays.put(prefix + e.getKey() + "/" + s.getKey(), s.getValue());
            }
        }
    }

    private void restore(Checkpoint c) {
        List<String> differences = pipeline.identity().resumeDifferences(c.pipelineResumeKey());
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + c.directory() + " was written by another pipeline ("
                    + "checkpoint → this pipeline): " + String.join("; ", differences) + ". Resume with the pipeline "
                    + "that wrote it; the number of epochs, the batch size and the run folder may differ");
        }
        Map<String, INDArray> arrays = c.arrays();
        for (ParameterStore.Entry e : store.entries()) {
            INDArray saved = arrays.get(STORE + e.name());
            if (saved == null || !Arrays.equals(saved.shape(), e.array().shape())) {
                throw new IllegalArgumentException("checkpoint " + c.directory() + " lacks '" + e.name()
                        + "' or has another shape; it does not match this pipeline");
            }
            if (classifierNames.contains(e.name())) {
                if (!saved.castTo(e.array().dataType()).equals(e.array())) {
                    throw new IllegalArgumentException("classifier weight '" + e.name() + "' differs from the one in "
                            + "checkpoint " + c.directory() + "; resume with the classifier the run was trained with");
                }
            } else {
                e.array().assign(saved);
            }
        }
        restoreUpdaters(arrays, ADAM_G, graphs.g, c);
        restoreUpdaters(arrays, ADAM_D, graphs.d, c);
        JsonView meta = new JsonView(c);
        graphs.g.getTrainingConfig().setIterationCount(meta.i("generatorIterations"));
        graphs.g.getTrainingConfig().setEpochCount(meta.i("generatorEpochCount"));
        graphs.d.getTrainingConfig().setIterationCount(meta.i("discriminatorIterations"));
        graphs.d.getTrainingConfig().setEpochCount(meta.i("discriminatorEpochCount"));
        completedEpochs = c.completedEpochs();
        globalStep = c.globalStep();
        history.clear();
        history.addAll(c.history());
        LOG.info("resumed from {} (epoch {}, step {})", c.directory(), completedEpochs, globalStep);
    }

    private record JsonView(Checkpoint c) {
        int i(String key) {
            return c.meta().path(key).asInt();
        }
    }

    private static void restoreUpdaters(Map<String, INDArray> arrays, String prefix, SameDiff sd, Checkpoint c) {
        boolean any = arrays.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        if (!any) {
            return;
        }
        TrainingStepper.initializeTraining(sd);
        for (Map.Entry<String, GradientUpdater> e : updaters(sd).entrySet()) {
            for (Map.Entry<String, INDArray> s : stateOf(e.getValue()).entrySet()) {
                INDArray saved = arrays.get(prefix + e.getKey() + "/" + s.getKey());
                if (saved == null) {
                    throw new IllegalArgumentException("checkpoint " + c.directory() + " lacks optimiser state "
                            + prefix + e.getKey() + "/" + s.getKey());
                }
                s.getValue().assign(saved);
            }
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Map<String, GradientUpdater> updaters(SameDiff sd) {
        return (Map) sd.getUpdaterMap();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> stateOf(GradientUpdater<?> u) {
        return new java.util.TreeMap<>((Map<String, INDArray>) u.getState());
    }

    private void requireStarted() {
        if (graphs == null) {
            throw new IllegalStateException("training has not started; checkpoints are written from listeners");
        }
    }

    // ---- context -------------------------------------------------------------------------------------------

    @Override
    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public int completedEpochs() {
        return completedEpochs;
    }

    @Override
    public int totalEpochs() {
        return totalEpochs;
    }

    @Override
    public long globalStep() {
        return globalStep;
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    @Override
    public Path runDirectory() {
        return runDirectory;
    }

    /** The live parameter store (generator, discriminator, classifier) once training started. */
    public ParameterStore store() {
        requireStarted();
        return store;
    }

    @Override
    public String toString() {
        return "PipelineTrainer[" + pipeline.name() + ", " + listeners.size() + " listeners"
                + (resumeFrom == null ? "" : ", resume from " + resumeFrom) + ", conditioning "
                + (pipeline.conditioningMode() == ConditioningMode.NONE ? "none" : pipeline.conditioningMode()) + "]";
    }

    /** Options of a trainer. */
    public static final class Builder {
        private final Pipeline pipeline;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path resumeFrom;
        private Path runDirectory;
        private String datasetSplitHash;

        private Builder(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        public Builder listeners(TrainingListener... ls) {
            for (TrainingListener l : ls) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /** Continue from a checkpoint folder (epoch, step, weights, optimiser states). */
        public Builder resumeFrom(Path checkpoint) {
            this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        /**
         * The run folder: provenance, the final model ({@code <dir>/model}) and, for listeners that ask the context,
         * checkpoints and metrics. Without it nothing is written unless a listener writes it.
         */
        public Builder runDirectory(Path dir) {
            this.runDirectory = Objects.requireNonNull(dir, "runDirectory");
            return this;
        }

        /** The dataset split's fingerprint (e.g. from the dataset layer), recorded in the provenance file. */
        public Builder datasetSplitHash(String hash) {
            this.datasetSplitHash = hash;
            return this;
        }

        public PipelineTrainer build() {
            return new PipelineTrainer(this);
        }
    }
}
