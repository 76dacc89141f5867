package dev.coin.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;
import dev.coin.core.SpecIdentity;
import dev.coin.core.engine.TrainingStepper;
import dev.coin.core.internal.Json;
import dev.coin.core.model.classifier.BinaryCrossEntropy;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.SliceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-player classifier step (reference §3.4) for {@link TrainingLoop}: BCE with logits, Adam, batch norm in
 * train mode (batch statistics; running statistics updated after each step); after each epoch an eval-mode
 * validation pass whose numbers go into the epoch's metrics ({@code validation/loss}, {@code validation/macro_f1},
 * ...), and a copy of the weights of the best epoch so far, which the trainer puts back at the end.
 */
final class ClassifierTask implements TrainingTask<GraphClassifier> {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTask.class);
    static final String TRAIN_LOSS = "loss/bce";
    static final String VAL = "validation/";
    private static final String ADAM = "adam/classifier/";

    private final GraphClassifier classifier;
    private final Long initialisationSeed;
    private final Adam adam;
    private final double weightDecay;
    private final SliceSource validation;
    private final int evalBatchSize;
    private final ClassifierTrainer.Selection selection;

    private SameDiff sd;
    private TrainingStepper stepper;
    private LogitsCapture capture;
    private final BestWeights weights;
    private ClassificationReport bestReport;
    private int bestEpoch = -1;
    private boolean finished;

    ClassifierTask(GraphClassifier classifier, Long initialisationSeed, Adam adam, double weightDecay,
            SliceSource validation, int evalBatchSize, ClassifierTrainer.Selection selection) {
        this.classifier = classifier;
        this.weights = new BestWeights(classifier.parameters(), "this classifier");
        this.initialisationSeed = initialisationSeed;
        this.adam = adam;
        this.weightDecay = weightDecay;
        this.validation = validation;
        this.evalBatchSize = evalBatchSize;
        this.selection = selection;
    }

    @Override
    public String kind() {
        return "classifier";
    }

    @Override
    public JsonNode resumeKey() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("classifier", SpecIdentity.of(classifier.spec()));
        o.put("initialisationSeed", initialisationSeed == null ? "weights given" : initialisationSeed);
        o.put("optimizer", SpecIdentity.of(adam));
        o.put("weightDecay", weightDecay);
        o.put("selection", selection.name());
        o.put("validationSlices", validation.size());
        try {
            // through text, so that numbers have the node types a stored (parsed) key has
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("classifier identity is not serialisable: " + e.getMessage(), e);
        }
    }

    @Override
    public JsonNode identity() {
        return resumeKey();
    }

    @Override
    public String describe() {
        return classifier + " with " + adam + (weightDecay > 0 ? ", weight decay " + weightDecay : "")
                + ", best epoch by " + selection + " on " + validation.size() + " validation slices";
    }

    @Override
    public long initialisationSeed() {
        return initialisationSeed == null ? -1 : initialisationSeed;
    }

    @Override
    public String refuseContinuation() {
        return finished ? "this classifier trainer has finished and put the best epoch's weights back into the "
                + "classifier; to train longer, build a new trainer that resumes from the run's last checkpoint "
                + "(.resumeFrom(CheckpointListener.folderFor(run, n)) or .resumeLatest())" : null;
    }

    @Override
    public void prepare(Batch first) {
        ParameterStore store = classifier.parameters();
        sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable x = sd.placeHolder("x", store.dataType(), -1, 1, -1, -1);
        SDVariable y = sd.placeHolder("y", store.dataType(), -1, 1);
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("train");
        SDVariable logits = classifier.applyInMode(scope, x).logits();
        SDVariable loss = BinaryCrossEntropy.withLogits(sd, "loss", logits, y);
        sd.setLossVariables(loss);
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(adam.toUpdater())
                .dataSetFeatureMapping("x").dataSetLabelMapping("y");
        if (weightDecay > 0) {
            tc.l2(weightDecay);   // PyTorch Adam's weight_decay: + wd·w on the gradient (coupled L2)
        }
        sd.setTrainingConfig(tc.build());
        scope.hooks().install();
        stepper = TrainingStepper.of(sd);
        capture = new LogitsCapture(logits.name());
        LOG.info("training {} ({} parameters), validating on {} slices: {}", classifier.spec(),
                classifier.parameterCount(), validation.size(), describe());
    }

    @Override
    public StepOutcome step(Batch batch, long globalStep, EpochTally tally) {
        DataType dt = classifier.parameters().dataType();
        INDArray images = cast(batch.images(), dt);
        INDArray targets = cast(batch.labels(), dt);
        capture.last = null;
        stepper.step(new MultiDataSet(images, targets), capture);
        return new StepOutcome(Map.of(TRAIN_LOSS, capture.meanLoss(targets)), false);
    }

    @Override
    public void endEpoch(int epoch, EpochTally tally) {
        ClassificationReport r = ClassifierTrainer.evaluate(classifier, validation, evalBatchSize);
        tally.put(VAL + "loss", r.loss());
        tally.put(VAL + "macro_f1", r.macroF1());
        tally.put(VAL + "accuracy", r.accuracy());
        tally.put(VAL + "confusion/tp", r.truePositives());
        tally.put(VAL + "confusion/fp", r.falsePositives());
        tally.put(VAL + "confusion/tn", r.trueNegatives());
        tally.put(VAL + "confusion/fn", r.falseNegatives());
        boolean improved = bestReport == null || better(r, bestReport);
        if (improved) {
            weights.keep();
            bestReport = r;
            bestEpoch = epoch;
        }
        // loss, accuracy and macro F1 are in the epoch's metrics (the progress line shows them): only the rest here
        LOG.info(String.format(Locale.ROOT, "epoch %d validation: %s%s", epoch + 1, r.perClass(),
                improved ? " [best so far]" : "; best is epoch " + (bestEpoch + 1)));
    }

    private boolean better(ClassificationReport candidate, ClassificationReport incumbent) {
        return selection == ClassifierTrainer.Selection.VALIDATION_LOSS ? candidate.loss() < incumbent.loss()
                : candidate.macroF1() > incumbent.macroF1();
    }

    /** The validation report stored in an epoch's metrics. */
    static ClassificationReport report(EpochMetrics m) {
        int tp = (int) m.loss(VAL + "confusion/tp");
        int fp = (int) m.loss(VAL + "confusion/fp");
        int tn = (int) m.loss(VAL + "confusion/tn");
        int fn = (int) m.loss(VAL + "confusion/fn");
        return new ClassificationReport(m.loss(VAL + "loss"), tp + fp + tn + fn, tp, fp, tn, fn);
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        weights.putInto(arrays);
        OptimizerState.put(arrays, ADAM, sd);
        return arrays;
    }

    @Override
    public Map<String, Object> stateMeta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        OptimizerState.putCounts(meta, "classifier", sd);
        meta.put("bestEpoch", bestEpoch);
        meta.put("randomness", "initialisation from the spec with the trainer's seed; batch order, sampling and "
                + "augmentations from the loader's seed; no other random state");
        return meta;
    }

    @Override
    public void restore(Checkpoint c) {
        weights.restore(c);
        OptimizerState.restore(c.arrays(), ADAM, sd, c);
        OptimizerState.restoreCounts(c, "classifier", sd);
        bestEpoch = c.meta().path("bestEpoch").asInt(-1);
        List<EpochMetrics> h = c.history();
        bestReport = bestEpoch >= 0 && bestEpoch < h.size() ? report(h.get(bestEpoch)) : null;
    }

    // ---- model ---------------------------------------------------------------------------------------------

    @Override
    public GraphClassifier current(List<EpochMetrics> history) {
        return classifier;
    }

    /** Puts the best epoch's weights back into the classifier. */
    @Override
    public GraphClassifier finish(List<EpochMetrics> history) {
        weights.putBack();
        finished = true;
        LOG.info("kept epoch {}: {}", bestEpoch + 1, bestReport == null ? "none" : bestReport);
        return classifier;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void saveFinal(GraphClassifier model, Path folder) {
        try {
            model.save(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the classifier into " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release() {
        stepper.close(); // the replay buffers are not needed for evaluation or inference
    }

    private static INDArray cast(INDArray a, DataType dt) {
        return a.dataType() == dt ? a : a.castTo(dt);
    }

    /**
     * Captures the logits of the last training forward. The training session never evaluates the loss op itself
     * (the backward starts from its gradient), so the step loss is recomputed on the host from these logits.
     */
    private static final class LogitsCapture extends BaseListener {
        private final String logitsName;
        INDArray last;

        LogitsCapture(String logitsName) {
            this.logitsName = logitsName;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void activationAvailable(SameDiff s, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch,
                SameDiffOp op, String varName, INDArray activation) {
            if (varName.equals(logitsName)) {
                last = activation.dup();
            }
        }

        double meanLoss(INDArray labels) {
            if (last == null) {
                return Double.NaN;
            }
            double sum = 0;
            long n = labels.length();
            for (long i = 0; i < n; i++) {
                sum += BinaryCrossEntropy.withLogits(last.getDouble(i), labels.getDouble(i));
            }
            return sum / n;
        }
    }
}
