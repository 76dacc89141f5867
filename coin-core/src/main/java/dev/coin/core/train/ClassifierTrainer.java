package dev.coin.core.train;

import dev.coin.core.engine.TrainingStepper;
import dev.coin.core.model.classifier.ClassifierSpec;

import dev.coin.core.model.classifier.GraphClassifier;

import dev.coin.core.model.classifier.BinaryCrossEntropy;


import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.augment.AugmentPipeline;
import dev.coin.data.augment.AugmentTarget;
import dev.coin.data.augment.HorizontalFlip;
import dev.coin.data.augment.ShiftScaleRotate;
import dev.coin.data.augment.Transform;
import dev.coin.data.augment.VerticalFlip;
import dev.coin.data.dataset.BalancedSampler;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceInfo;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.random.Seeds;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link GraphClassifier} on image-level labels (reference §3.4): BCE with logits, Adam, class-balanced
 * sampling with replacement, the reference augmentations (hflip p 0.5, vflip p 0.1, ShiftScaleRotate(0.07, 0.1,
 * 10°, p 0.5)), {@code stepsPerEpoch} steps per "epoch", a validation pass after each epoch, and at the end the
 * weights of the best epoch (lowest validation loss, or highest validation F1) restored into the classifier. Batch
 * norm runs in train mode while training (batch statistics; running statistics updated after each step); the
 * returned classifier is then used in eval mode.
 *
 * <p>One seed fixes the initialisation (for {@link #train(ClassifierSpec, SliceSource, SliceSource)}), the
 * sampling and the augmentation draws. Not implemented yet: dropout and stochastic depth during training (the
 * EfficientNet head's dropout is treated as identity), learning-rate schedules.
 *
 * <pre>{@code
 * ClassifierTrainer trainer = ClassifierTrainer.builder().epochs(30).stepsPerEpoch(100).batchSize(128).seed(7).build();
 * ClassifierTrainer.Result r = trainer.train(ResNet18.Spec.standard(), dataset.train(), dataset.validation());
 * r.classifier().save(Path.of("runs/cls"));
 * }</pre>
 */
public final class ClassifierTrainer {
    static {
        NativeBackend.configure();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTrainer.class);

    /** Which validation number picks the epoch whose weights are kept. */
    public enum Selection {
        /** Lowest mean validation BCE. */
        VALIDATION_LOSS,
        /** Highest validation macro F1 (ties: the earlier epoch). */
        VALIDATION_F1
    }

    /**
     * One epoch's numbers.
     *
     * @param epoch      0-based
     * @param trainLoss  mean training loss over the epoch's steps
     * @param validation metrics on the validation source (eval mode)
     * @param seconds    wall time of the epoch including validation
     */
    public record EpochSummary(int epoch, double trainLoss, ClassificationReport validation, double seconds) {
    }

    /**
     * What {@link #train} returns.
     *
     * @param classifier the trained classifier, holding the best epoch's weights
     * @param bestEpoch  the selected epoch
     * @param history    every epoch, in order
     */
    public record Result(GraphClassifier classifier, int bestEpoch, List<EpochSummary> history) {
        /** The selected epoch's validation metrics. */
        public ClassificationReport best() {
            return history.get(bestEpoch).validation();
        }
    }

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final int batchSize;
    private final int stepsPerEpoch;
    private final int epochs;
    private final int evalBatchSize;
    private final Selection selection;
    private final long seed;
    private final List<Transform> augmentations;
    private final SliceTransform trainTransform;
    private final int logEvery;

    private ClassifierTrainer(Builder b) {
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.weightDecay = b.weightDecay;
        this.batchSize = b.batchSize;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.epochs = b.epochs;
        this.evalBatchSize = b.evalBatchSize;
        this.selection = b.selection;
        this.seed = b.seed;
        this.augmentations = List.copyOf(b.augmentations);
        this.trainTransform = b.trainTransform;
        this.logEvery = b.logEvery;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.learningRate = learningRate;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.weightDecay = weightDecay;
        b.batchSize = batchSize;
        b.stepsPerEpoch = stepsPerEpoch;
        b.epochs = epochs;
        b.evalBatchSize = evalBatchSize;
        b.selection = selection;
        b.seed = seed;
        b.augmentations = new ArrayList<>(augmentations);
        b.trainTransform = trainTransform;
        b.logEvery = logEvery;
        return b;
    }

    /** The reference augmentations: hflip p 0.5, vflip p 0.1, ShiftScaleRotate(0.07, 0.1, 10°, p 0.5, border 0). */
    public static List<Transform> referenceAugmentations() {
        return List.of(HorizontalFlip.of(0.5), VerticalFlip.of(0.1), ShiftScaleRotate.reference());
    }

    /** Creates {@code spec}'s network with this trainer's seed, then {@link #train(GraphClassifier, SliceSource, SliceSource) trains} it. */
    public Result train(ClassifierSpec spec, SliceSource train, SliceSource validation) {
        return train(spec.create(Seeds.derive(seed, 0)), train, validation);
    }

    /** Trains {@code classifier} in place and leaves the selected epoch's weights in it. */
    public Result train(GraphClassifier classifier, SliceSource train, SliceSource validation) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        if (validation.size() == 0) {
            throw new IllegalArgumentException("validation source is empty; the best epoch is chosen on it");
        }
        ParameterStore store = classifier.parameters();
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable x = sd.placeHolder("x", store.dataType(), -1, 1, -1, -1);
        SDVariable y = sd.placeHolder("y", store.dataType(), -1, 1);
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("train");
        SDVariable logits = classifier.applyInMode(scope, x).logits();
        SDVariable loss = BinaryCrossEntropy.withLogits(sd, "loss", logits, y);
        sd.setLossVariables(loss);
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(new Adam(learningRate, beta1, beta2, 1e-8))
                .dataSetFeatureMapping("x").dataSetLabelMapping("y");
        if (weightDecay > 0) {
            tc.l2(weightDecay);   // PyTorch Adam's weight_decay: + wd·w on the gradient (coupled L2)
        }
        sd.setTrainingConfig(tc.build());
        scope.hooks().install();
        TrainingStepper stepper = TrainingStepper.of(sd);

        int[] labels = train.infos().stream().mapToInt(SliceInfo::label).toArray();
        BatchLoader loader = BatchLoader.builder(train)
                .sampler(BalancedSampler.of(labels, stepsPerEpoch * batchSize, Seeds.derive(seed, 1)))
                .batchSize(batchSize).dropLast(true).transform(trainTransform.andThen(augmentation()))
                .seed(Seeds.derive(seed, 3)).build();
        LOG.info("training {} ({} parameters) on {} slices, validating on {}: {}", classifier.spec(),
                classifier.parameterCount(), train.size(), validation.size(), this);

        LogitsCapture capture = new LogitsCapture(logits.name());
        List<EpochSummary> history = new ArrayList<>();
        ParameterStore best = null;
        int bestEpoch = -1;
        long start = System.nanoTime();
        int totalSteps = epochs * stepsPerEpoch;
        for (int epoch = 0; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            double lossSum = 0;
            int steps = 0;
            try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
                while (batches.hasNext()) {
                    Batch b = batches.next();
                    INDArray images = cast(b.images(), store.dataType());
                    INDArray targets = cast(b.labels(), store.dataType());
                    capture.last = null;
                    stepper.step(new MultiDataSet(images, targets), capture);
                    double stepLoss = capture.meanLoss(targets);
                    if (!Double.isFinite(stepLoss)) {
                        throw new IllegalStateException("training loss became " + stepLoss + " at epoch " + epoch
                                + ", step " + steps + "; lower the learning rate (now " + learningRate + ")");
                    }
                    lossSum += stepLoss;
                    steps++;
                    int done = epoch * stepsPerEpoch + steps;
                    if (logEvery > 0 && done % logEvery == 0) {
                        double perStep = (System.nanoTime() - start) / 1e9 / done;
                        LOG.info(String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f (mean %.4f) %.2f s/step, ETA %.0f s",
                                epoch + 1, epochs, steps, stepsPerEpoch, stepLoss, lossSum / steps, perStep,
                                perStep * (totalSteps - done)));
                    }
                }
            }
            ClassificationReport report = evaluate(classifier, validation, evalBatchSize);
            EpochSummary summary = new EpochSummary(epoch, lossSum / Math.max(1, steps), report,
                    (System.nanoTime() - epochStart) / 1e9);
            history.add(summary);
            boolean improved = bestEpoch < 0 || better(report, history.get(bestEpoch).validation());
            if (improved) {
                best = store.copy();
                bestEpoch = epoch;
            }
            LOG.info(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f; validation %s%s (%.1f s)", epoch + 1, epochs,
                    summary.trainLoss(), report, improved ? " [best]" : "", summary.seconds()));
        }
        stepper.close(); // the replay buffers are not needed for evaluation or inference
        if (best != null) {
            for (ParameterStore.Entry e : best.entries()) {
                store.array(e.name()).assign(e.array());
            }
        }
        LOG.info("kept epoch {}: {}", bestEpoch + 1, bestEpoch >= 0 ? history.get(bestEpoch).validation() : "none");
        return new Result(classifier, bestEpoch, List.copyOf(history));
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
        public void activationAvailable(SameDiff s, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch, SameDiffOp op,
                String varName, INDArray activation) {
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

    private boolean better(ClassificationReport candidate, ClassificationReport incumbent) {
        return selection == Selection.VALIDATION_LOSS ? candidate.loss() < incumbent.loss()
                : candidate.macroF1() > incumbent.macroF1();
    }

    private SliceTransform augmentation() {
        if (augmentations.isEmpty()) {
            return SliceTransform.identity();
        }
        AugmentPipeline.Builder pb = AugmentPipeline.builder().seed(Seeds.derive(seed, 2));
        augmentations.forEach(pb::add);
        AugmentPipeline pipeline = pb.build();
        return (slice, itemSeed) -> {
            AugmentTarget out = pipeline.apply(new AugmentTarget(slice.image(), slice.masks()), 0, itemSeed);
            return new Slice(slice.scanId(), slice.sliceIndex(), slice.anatomicalIndex(), slice.label(),
                    slice.relativeHeight(), out.image(), slice.maskNames(), out.masks());
        };
    }

    private static INDArray cast(INDArray a, DataType dt) {
        return a.dataType() == dt ? a : a.castTo(dt);
    }

    /** Eval-mode metrics of {@code classifier} over every slice of {@code source}, in batches of {@code batchSize}. */
    public static ClassificationReport evaluate(GraphClassifier classifier, SliceSource source, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int n = source.size();
        float[] logits = new float[n];
        float[] labels = new float[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<Slice> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Slice s = source.get(i);
                batch.add(s);
                labels[i] = s.label();
            }
            INDArray x = Batch.stackImages(batch);
            INDArray z = classifier.logits(x).castTo(DataType.FLOAT);
            for (int i = from; i < to; i++) {
                logits[i] = z.getFloat(i - from, 0);
            }
        }
        return ClassificationReport.of(logits, labels);
    }

    public double learningRate() {
        return learningRate;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public int batchSize() {
        return batchSize;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public int epochs() {
        return epochs;
    }

    public Selection selection() {
        return selection;
    }

    public long seed() {
        return seed;
    }

    public List<Transform> augmentations() {
        return augmentations;
    }

    @Override
    public String toString() {
        return "ClassifierTrainer[Adam lr " + learningRate + " betas (" + beta1 + ", " + beta2 + "), weight decay "
                + weightDecay + ", batch " + batchSize + ", " + stepsPerEpoch + " steps × " + epochs + " epochs, select by "
                + selection + ", seed " + seed + ", augmentations " + augmentations
                + (trainTransform == IDENTITY ? "" : ", with a training transform") + "]";
    }

    private static final SliceTransform IDENTITY = SliceTransform.identity();

    /** Options of {@link ClassifierTrainer}; defaults follow the reference's synthetic ResNet18 run. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double weightDecay;
        private int batchSize = 32;
        private int stepsPerEpoch = 100;
        private int epochs = 10;
        private int evalBatchSize = 64;
        private Selection selection = Selection.VALIDATION_LOSS;
        private long seed = 777;
        private List<Transform> augmentations = new ArrayList<>(referenceAugmentations());
        private SliceTransform trainTransform = IDENTITY;
        private int logEvery = 10;

        private Builder() {
        }

        /** Adam learning rate (default 1e-3, the reference's synthetic ResNet18; TUH EfficientNet used 3e-4). */
        public Builder learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, got " + lr);
            }
            this.learningRate = lr;
            return this;
        }

        /** Adam betas (default 0.9, 0.999). */
        public Builder betas(double b1, double b2) {
            if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got (" + b1 + ", " + b2 + ")");
            }
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        /** PyTorch-Adam-style (coupled L2) weight decay; default 0 (TUH EfficientNet used 1e-4). */
        public Builder weightDecay(double wd) {
            if (!(wd >= 0) || Double.isInfinite(wd)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + wd);
            }
            this.weightDecay = wd;
            return this;
        }

        /** Training batch size (default 32; the reference used 128 on a GPU). */
        public Builder batchSize(int n) {
            this.batchSize = positive(n, "batchSize");
            return this;
        }

        /** Steps per "epoch" (default 100, the reference's synthetic setting). */
        public Builder stepsPerEpoch(int n) {
            this.stepsPerEpoch = positive(n, "stepsPerEpoch");
            return this;
        }

        public Builder epochs(int n) {
            this.epochs = positive(n, "epochs");
            return this;
        }

        /** Batch size of the validation pass (default 64). */
        public Builder evalBatchSize(int n) {
            this.evalBatchSize = positive(n, "evalBatchSize");
            return this;
        }

        public Builder selection(Selection s) {
            this.selection = Objects.requireNonNull(s, "selection");
            return this;
        }

        /** Fixes initialisation, sampling and augmentation. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The augmentations, applied in order after {@link #trainTransform}; empty for none. */
        public Builder augmentations(List<Transform> transforms) {
            this.augmentations = new ArrayList<>(Objects.requireNonNull(transforms, "augmentations"));
            return this;
        }

        /** A per-item transform applied to training slices before the augmentations (e.g. anomaly insertion, resize). */
        public Builder trainTransform(SliceTransform t) {
            this.trainTransform = Objects.requireNonNull(t, "trainTransform");
            return this;
        }

        /** Log the training loss every {@code n} steps (0: only per epoch). */
        public Builder logEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("logEvery must be >= 0, got " + n);
            }
            this.logEvery = n;
            return this;
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + n);
            }
            return n;
        }

        public ClassifierTrainer build() {
            return new ClassifierTrainer(this);
        }
    }
}
