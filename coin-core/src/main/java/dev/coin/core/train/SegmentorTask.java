package dev.coin.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;
import dev.coin.core.SpecIdentity;
import dev.coin.core.engine.TrainingStepper;
import dev.coin.core.internal.Json;
import dev.coin.core.model.classifier.BinaryCrossEntropy;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.SliceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-player segmentor step for {@link TrainingLoop}: per-pixel BCE with logits plus λ_dice · soft Dice
 * loss on the target mask (the union of the chosen mask channels), Adam, batch norm in train mode; after each
 * epoch, when validation slices are given, an eval-mode pass scores the Dice of the 0.5-thresholded map
 * ({@code validation/dice}, {@code validation/bce} in the epoch's metrics) and a copy of the weights of the best
 * epoch so far (highest validation Dice; ties: the earlier) is kept, which the trainer puts back at the end.
 *
 * <p>Soft Dice over the whole batch: 1 − (2·Σ p·y + 1)/(Σ p + Σ y + 1) (smoothing 1, so an empty target is fine),
 * written with a reciprocal, never a division by a graph scalar (wrong gradient on M2.1).
 */
final class SegmentorTask implements TrainingTask<UNetSegmentor> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentorTask.class);
    static final String TRAIN_LOSS = "loss/segmentor";
    static final String TRAIN_BCE = "loss/bce";
    static final String TRAIN_DICE = "loss/dice";
    static final String VAL = "validation/";
    private static final String ADAM = "adam/segmentor/";

    private final UNetSegmentor segmentor;
    private final Long initialisationSeed;
    private final Adam adam;
    private final int[] targetChannels;
    private final double diceWeight;
    private final SliceSource validation;
    private final int evalBatchSize;

    private SameDiff sd;
    private TrainingStepper stepper;
    private LogitsCapture capture;
    private final BestWeights weights;
    private double bestDice = Double.NaN;
    private int bestEpoch = -1;
    private boolean finished;

    SegmentorTask(UNetSegmentor segmentor, Long initialisationSeed, Adam adam, int[] targetChannels, double diceWeight,
            SliceSource validation, int evalBatchSize) {
        this.segmentor = segmentor;
        this.weights = new BestWeights(segmentor.parameters(), "this segmentor");
        this.initialisationSeed = initialisationSeed;
        this.adam = adam;
        this.targetChannels = targetChannels.clone();
        this.diceWeight = diceWeight;
        this.validation = validation;
        this.evalBatchSize = evalBatchSize;
    }

    @Override
    public String kind() {
        return "segmentor";
    }

    @Override
    public JsonNode resumeKey() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("segmentor", SpecIdentity.of(segmentor.spec()));
        o.put("initialisationSeed", initialisationSeed == null ? "weights given" : initialisationSeed);
        o.put("optimizer", SpecIdentity.of(adam));
        o.put("targetChannels", targetChannels);
        o.put("diceWeight", diceWeight);
        o.put("validationSlices", validation == null ? 0 : validation.size());
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("segmentor identity is not serialisable: " + e.getMessage(), e);
        }
    }

    @Override
    public JsonNode identity() {
        return resumeKey();
    }

    @Override
    public String describe() {
        return segmentor + " with " + adam + ", BCE" + (diceWeight > 0 ? " + " + diceWeight + "·Dice" : "")
                + " on mask channels " + Arrays.toString(targetChannels)
                + (validation == null ? "" : ", validated on " + validation.size() + " slices");
    }

    @Override
    public long initialisationSeed() {
        return initialisationSeed == null ? -1 : initialisationSeed;
    }

    @Override
    public void prepare(Batch first) {
        long channels = first.masks().size(1);
        for (int c : targetChannels) {
            if (c >= channels) {
                throw new IllegalArgumentException("targetChannels " + Arrays.toString(targetChannels) + " name mask "
                        + "channel " + c + " but the batches have " + channels + " mask channels (0.." + (channels - 1)
                        + "); choose the structure's channels among them (the kidney is channel 1)");
            }
        }
        long[] shape = first.images().shape();
        int m = segmentor.spec().sizeMultiple();
        if (shape[2] % m != 0 || shape[3] % m != 0) {
            throw new IllegalArgumentException("the slices are " + shape[2] + "x" + shape[3] + " but a UNetSegmentor "
                    + "with " + segmentor.spec().levels() + " levels needs H and W divisible by " + m + "; resize the "
                    + "slices or use fewer levels");
        }
        ParameterStore store = segmentor.parameters();
        DataType dt = store.dataType();
        sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable x = sd.placeHolder("x", dt, -1, 1, -1, -1);
        SDVariable y = sd.placeHolder("y", dt, -1, 1, -1, -1);
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("train");
        SDVariable logits = segmentor.applyInMode(scope, x);
        SDVariable loss = BinaryCrossEntropy.withLogits(sd, diceWeight > 0 ? "bce" : "loss", logits, y);
        if (diceWeight > 0) {
            SDVariable p = sd.nn().sigmoid(logits);
            SDVariable numerator = p.mul(y).sum().mul(2.0).add(1.0);
            SDVariable denominator = p.sum().add(y.sum()).add(1.0);
            SDVariable dice = sd.math().reciprocal(denominator).mul(numerator).rsub(1.0);
            loss = loss.add("loss", dice.mul(diceWeight));
        }
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(adam.toUpdater()).dataSetFeatureMapping("x")
                .dataSetLabelMapping("y").build());
        scope.hooks().install();
        stepper = TrainingStepper.of(sd);
        capture = new LogitsCapture(logits.name());
        LOG.info("training {} ({} parameters){}: {}", segmentor.spec(), segmentor.parameterCount(),
                validation == null ? "" : ", validating on " + validation.size() + " slices", describe());
    }

    /** The union (maximum) of {@code channels} of masks {@code [B, K, H, W]}, as {@code [B, 1, H, W]}. */
    static INDArray target(INDArray masks, int[] channels, DataType dt) {
        INDArray t = null;
        for (int c : channels) {
            INDArray m = masks.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1), NDArrayIndex.all(),
                    NDArrayIndex.all());
            t = t == null ? m.dup('c') : org.nd4j.linalg.ops.transforms.Transforms.max(t, m, false);
        }
        return t.castTo(dt);
    }

    @Override
    public StepOutcome step(Batch batch, long globalStep, EpochTally tally) {
        DataType dt = segmentor.parameters().dataType();
        INDArray images = batch.images().dataType() == dt ? batch.images() : batch.images().castTo(dt);
        INDArray y = target(batch.masks(), targetChannels, dt);
        capture.last = null;
        stepper.step(new MultiDataSet(images, y), capture);
        if (capture.last == null) {
            return new StepOutcome(Map.of(TRAIN_LOSS, Double.NaN), false);
        }
        double[] z = capture.last.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] t = y.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double bce = meanBce(z, t);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(TRAIN_BCE, bce);
        if (diceWeight > 0) {
            double dice = softDiceLoss(z, t);
            out.put(TRAIN_DICE, dice);
            out.put(TRAIN_LOSS, bce + diceWeight * dice);
        } else {
            out.put(TRAIN_LOSS, bce);
        }
        return new StepOutcome(out, false);
    }

    static double meanBce(double[] logits, double[] targets) {
        double s = 0;
        for (int i = 0; i < logits.length; i++) {
            s += BinaryCrossEntropy.withLogits(logits[i], targets[i]);
        }
        return s / logits.length;
    }

    /** 1 − (2·Σ p·y + 1)/(Σ p + Σ y + 1), p = sigmoid(logit). */
    static double softDiceLoss(double[] logits, double[] targets) {
        double inter = 0;
        double sp = 0;
        double sy = 0;
        for (int i = 0; i < logits.length; i++) {
            double p = 1 / (1 + Math.exp(-logits[i]));
            inter += p * targets[i];
            sp += p;
            sy += targets[i];
        }
        return 1 - (2 * inter + 1) / (sp + sy + 1);
    }

    @Override
    public void endEpoch(int epoch, EpochTally tally) {
        if (validation == null) {
            return;
        }
        SegmentorTrainer.Score s = SegmentorTrainer.evaluate(segmentor, validation, evalBatchSize, targetChannels);
        tally.put(VAL + "dice", s.dice());
        tally.put(VAL + "bce", s.bce());
        boolean improved = bestEpoch < 0 || s.dice() > bestDice;
        if (improved) {
            weights.keep();
            bestDice = s.dice();
            bestEpoch = epoch;
        }
        LOG.info(String.format(Locale.ROOT, "epoch %d validation: Dice %.4f, BCE %.4f (all-structure Dice %.4f)%s",
                epoch + 1, s.dice(), s.bce(), s.allForegroundDice(), improved ? " [best so far]"
                        : "; best is epoch " + (bestEpoch + 1)));
    }

    @Override
    public String refuseContinuation() {
        return finished ? "this segmentor trainer has finished and put the best epoch's weights back into the "
                + "segmentor; to train longer, build a new trainer that resumes from the run's last checkpoint "
                + "(.resumeFrom(CheckpointListener.folderFor(run, n)) or .resumeLatest())" : null;
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
        OptimizerState.putCounts(meta, "segmentor", sd);
        meta.put("bestEpoch", bestEpoch);
        meta.put("bestDice", Double.isNaN(bestDice) ? null : bestDice);
        meta.put("randomness", "initialisation from the spec with the trainer's seed; batch order, sampling and "
                + "augmentations from the loader's seed; no other random state");
        return meta;
    }

    @Override
    public void restore(Checkpoint c) {
        weights.restore(c);
        bestEpoch = c.meta().path("bestEpoch").asInt(-1);
        bestDice = c.meta().path("bestDice").isNumber() ? c.meta().path("bestDice").asDouble() : Double.NaN;
        OptimizerState.restore(c.arrays(), ADAM, sd, c);
        OptimizerState.restoreCounts(c, "segmentor", sd);
    }

    // ---- model ---------------------------------------------------------------------------------------------

    @Override
    public UNetSegmentor current(List<EpochMetrics> history) {
        return segmentor;
    }

    /** Puts the best epoch's weights back (with validation slices); the last epoch's stay otherwise. */
    @Override
    public UNetSegmentor finish(List<EpochMetrics> history) {
        if (weights.putBack()) {
            finished = true;
            LOG.info(String.format(Locale.ROOT, "kept epoch %d: validation Dice %.4f", bestEpoch + 1, bestDice));
        }
        return segmentor;
    }

    /** The epoch whose weights the segmentor holds after fit (−1 without validation: the last one). */
    int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void saveFinal(UNetSegmentor model, Path folder) {
        try {
            model.save(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the segmentor into " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release() {
        stepper.close();
    }

    /** Captures the logits of the last training forward (the session never evaluates the loss op itself). */
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
    }
}
