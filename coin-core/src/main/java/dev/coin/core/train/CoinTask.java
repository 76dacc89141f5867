package dev.coin.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.EpochMetrics;
import dev.coin.core.Pipeline;
import dev.coin.core.RealSamples;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.engine.TrainingStepper;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.Batch;
import dev.coin.losses.BuiltLoss;
import dev.coin.losses.BuiltTerm;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.TargetRule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-player COIN step (reference §4.6, §5) for {@link TrainingLoop}: the discriminator is updated on every
 * step, the generator when {@code globalStep % k == 0}; each player has its own persistent Adam state; the
 * classifier is frozen (its weights are graph constants) while gradients flow through it to the generator. On steps
 * without a generator update the generator still runs forward in train mode (batch-norm statistics and
 * spectral-norm vectors advance) to produce the fakes. The classifier's probabilities p(x), the targets and
 * conditions ({@link TargetRule}) are computed on the host every step and fed to the graphs.
 */
final class CoinTask implements TrainingTask<TrainedPipeline> {
    private static final Logger LOG = LoggerFactory.getLogger(CoinTask.class);
    private static final String STORE = "store/";
    private static final String ADAM_G = "adam/generator/";
    private static final String ADAM_D = "adam/discriminator/";

    private final Pipeline pipeline;
    private final Set<String> classifierNames = new HashSet<>();
    private ParameterStore store;
    private TrainingGraphs graphs;
    /** One persistent training state per player (see {@link TrainingStepper}). */
    private TrainingStepper generatorStepper;
    private TrainingStepper discriminatorStepper;

    CoinTask(Pipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    @Override
    public String kind() {
        return "pipeline";
    }

    @Override
    public JsonNode resumeKey() {
        return pipeline.identity().resumeKey();
    }

    @Override
    public JsonNode identity() {
        return pipeline.identity().toJson();
    }

    @Override
    public String describe() {
        return pipeline.describe();
    }

    @Override
    public long initialisationSeed() {
        return pipeline.seed();
    }

    @Override
    public void prepare(Batch first) {
        long[] shape = first.images().shape();
        store = TrainingGraphs.createStore(pipeline, classifierNames);
        graphs = new TrainingGraphs(pipeline, store, (int) shape[2], (int) shape[3], first.masks().size(1));
        generatorStepper = TrainingStepper.of(graphs.g);
        // the two steps alternate, never overlap: one set of buffers serves both
        discriminatorStepper = TrainingStepper.of(graphs.d).shareBuffersWith(generatorStepper);
    }

    ParameterStore store() {
        return store;
    }

    @Override
    public StepOutcome step(Batch batch, long globalStep, EpochTally tally) {
        boolean gStep = globalStep % pipeline.generatorEvery() == 0;
        long t0 = System.nanoTime();
        INDArray x = batch.images();
        int n = (int) x.size(0);
        INDArray p = pipeline.classifier().probabilities(x);
        boolean features = pipeline.generator().conditioning().kind() == Conditioning.Kind.FEATURES;
        TargetRule rule = pipeline.targetRule();
        INDArray bin = TargetRule.bin(p).reshape(n);
        INDArray cond = rule.condition(p).reshape(n);
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(TrainingGraphs.X, x);
        feeds.put(TrainingGraphs.COND, features ? classifierFeatures(x) : cond);
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
        INDArray real = realSamples(batch);
        if (graphs.gReadsRealInput) {
            feeds.put(TrainingGraphs.X_REAL, real);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        INDArray xcf;
        if (gStep) {
            graphs.gCapture.clear();
            graphs.gScope.hooks().checkLabels(feeds);
            generatorStepper.step(dataSet(graphs.gFeeds, feeds));
            collect(graphs.gCapture, graphs.gLoss, values);
            xcf = graphs.gCapture.get(graphs.gCounterfactual);
            INDArray pcf = graphs.gProbCf != null ? graphs.gCapture.get(graphs.gProbCf)
                    : pipeline.classifier().probabilities(xcf);
            double[] pv = p.castTo(DataType.DOUBLE).data().asDouble();
            double[] qv = pcf.castTo(DataType.DOUBLE).data().asDouble();
            tally.flips().add(pv, qv);
        } else {
            Map<String, INDArray> ff = new HashMap<>();
            for (String name : graphs.fFeeds) {
                ff.put(name, feeds.get(name));
            }
            xcf = graphs.fScope.hooks().output(ff, graphs.fCounterfactual).get(graphs.fCounterfactual);
        }
        long t1 = System.nanoTime();
        Map<String, INDArray> dFeeds = new HashMap<>(feeds);
        dFeeds.put(TrainingGraphs.X_REAL, real);
        dFeeds.put(TrainingGraphs.X_FAKE, xcf); // detached: a plain array
        if (graphs.probe != null) {
            // R1/R2: the unit input gradients of D at this step's real and fake samples (advances SN as the D calls)
            PenaltyDirections.Directions dir = graphs.probe.compute(real, bin, xcf, cond);
            dFeeds.put(TrainingGraphs.U_REAL, dir.uReal());
            dFeeds.put(TrainingGraphs.U_FAKE, dir.uFake());
        }
        graphs.dCapture.clear();
        discriminatorStepper.step(dataSet(graphs.dFeeds, dFeeds));
        collect(graphs.dCapture, graphs.dLoss, values);
        // how far apart D puts real and fake, comparable across adversarial kinds (the relativistic loss has no halves)
        putMean(values, TrainingGraphs.REAL_LOGIT, graphs.dCapture.get(graphs.dRealLogits));
        putMean(values, TrainingGraphs.FAKE_LOGIT, graphs.dCapture.get(graphs.dFakeLogits));
        if (LOG.isDebugEnabled()) {
            LOG.debug("step {} ({}): generator part {} ms, discriminator part {} ms", globalStep,
                    gStep ? "G+D" : "D only", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
        return new StepOutcome(values, gStep);
    }

    /**
     * The discriminator's real samples of this step: x or the paired healthy slices ({@link RealSamples}), tanh'ed
     * under tanh alignment (reference §9.2–9.3).
     */
    private INDArray realSamples(Batch batch) {
        INDArray real = batch.images();
        if (pipeline.realSamples() == RealSamples.PAIRED_HEALTHY) {
            real = batch.healthy();
            if (real == null) {
                throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' shows the discriminator paired "
                        + "healthy slices (realSamples PAIRED_HEALTHY), but this batch has none (Batch.healthy() is "
                        + "null); build the loader with a PairedHealthySampler, e.g. BatchLoader.builder(train)"
                        + ".sampler(PairedHealthySampler.builder(train.infos()).seed(seed).build())");
            }
            if (!Arrays.equals(real.shape(), batch.images().shape())) {
                throw new IllegalArgumentException("the batch's healthy partners have shape "
                        + Arrays.toString(real.shape()) + " but its images " + Arrays.toString(batch.images().shape())
                        + "; each row needs one healthy slice of the same size");
            }
        }
        return pipeline.tanhAlignment() ? Transforms.tanh(real, true) : real;
    }

    /**
     * COIN-Aligned's CBN condition (§9.5): the classifier's penultimate features of the raw batch x, a host array
     * (no gradient, as the reference's no_grad), FLOAT (N, F).
     */
    private INDArray classifierFeatures(INDArray x) {
        INDArray f = pipeline.classifier().features(x);
        int width = pipeline.generator().conditioning().size();
        if (f.rank() != 2 || f.size(0) != x.size(0) || f.size(1) != width) {
            throw new IllegalStateException("the classifier's features have shape " + Arrays.toString(f.shape())
                    + " but the generator's conditioning " + pipeline.generator().conditioning() + " needs ["
                    + x.size(0) + ", " + width + "]; set Conditioning.features(<the classifier's feature width>)");
        }
        return f.castTo(DataType.FLOAT);
    }

    private static void putMean(Map<String, Double> values, String name, INDArray logits) {
        if (logits != null) {
            values.put(name, logits.castTo(DataType.DOUBLE).meanNumber().doubleValue());
        }
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
     * training pass never computes the loss variable itself. The loop checks every value for NaN / ∞.
     */
    private static void collect(ValueCapture capture, BuiltLoss built, Map<String, Double> into) {
        double sum = 0;
        for (BuiltTerm t : built.terms()) {
            for (Map.Entry<String, SDVariable> e : t.logged().entrySet()) {
                INDArray v = capture.get(e.getKey());
                if (v == null) {
                    LOG.debug("'{}' of loss term '{}' was not computed by the training pass; not logged", e.getKey(),
                            t.term().name());
                    continue;
                }
                into.put(e.getKey(), v.getDouble(0));
            }
            Double weighted = into.get(t.weighted().name());
            if (weighted != null) {
                sum += weighted;
            }
        }
        into.put(LossSet.totalName(built.player()), sum);
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (ParameterStore.Entry e : store.entries()) {
            arrays.put(STORE + e.name(), e.array());
        }
        OptimizerState.put(arrays, ADAM_G, graphs.g);
        OptimizerState.put(arrays, ADAM_D, graphs.d);
        return arrays;
    }

    @Override
    public Map<String, Object> stateMeta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        OptimizerState.putCounts(meta, "generator", graphs.g);
        OptimizerState.putCounts(meta, "discriminator", graphs.d);
        meta.put("seed", pipeline.seed());
        meta.put("randomness", "initialisation seeds derive(seed, 1|2); batch order and transforms derive(seed, "
                + "epoch, position); no other random state");
        return meta;
    }

    @Override
    public void restore(Checkpoint c) {
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
        OptimizerState.restore(arrays, ADAM_G, graphs.g, c);
        OptimizerState.restore(arrays, ADAM_D, graphs.d, c);
        OptimizerState.restoreCounts(c, "generator", graphs.g);
        OptimizerState.restoreCounts(c, "discriminator", graphs.d);
    }

    // ---- model ---------------------------------------------------------------------------------------------

    @Override
    public TrainedPipeline current(List<EpochMetrics> history) {
        return new TrainedPipeline(pipeline, store, history);
    }

    /**
     * Saves the final model (atomically; {@link TrainedPipeline#load} accepts the run directory). A classifier
     * without a file format cannot be saved: that is logged, and training still returns.
     */
    @Override
    public void saveFinal(TrainedPipeline trained, Path folder) {
        if (!(pipeline.classifier() instanceof GraphClassifier)) {
            LOG.warn("final model NOT saved to {}: the classifier {} is not a GraphClassifier, which is the only kind"
                    + " that can be saved; keep the returned TrainedPipeline in memory", folder,
                    pipeline.classifier().getClass().getSimpleName());
            return;
        }
        trained.save(folder);
    }

    @Override
    public void release() {
        generatorStepper.close(); // the replay buffers: activations and gradients of a whole step
        discriminatorStepper.close();
    }
}
