package dev.coin.core.train;

import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;
import dev.coin.core.model.classifier.ClassifierSpec;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.random.Seeds;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link GraphClassifier} on image-level labels (reference §3.4) with the library's one training loop, the
 * one {@link PipelineTrainer} uses: epochs from {@code fit(loader, epochs)}, batches from the loader
 * ({@link ClassifierLoader} builds the reference's class-balanced, augmented batches), listeners, checkpoints and
 * resume, provenance and the final model in the run folder. A step is BCE with logits and Adam, batch norm in train
 * mode; after each epoch an eval-mode pass over the validation slices scores it ({@code validation/loss},
 * {@code validation/macro_f1}, {@code validation/accuracy} in the epoch's metrics), and at the end the weights of the
 * best epoch (lowest validation loss, or highest validation F1) are put back into the classifier.
 *
 * <p>The trainer's seed fixes the initialisation of a spec ({@code derive(seed, 0)}); the loader's seed fixes
 * sampling and augmentation. A classifier passed as weights is trained in place and has no seed of its own. Not
 * implemented yet: dropout and stochastic depth during training (the EfficientNet head's dropout is treated as
 * identity), learning-rate schedules.
 *
 * <pre>{@code
 * BatchLoader loader = ClassifierLoader.builder(ds.train()).batchSize(16).stepsPerEpoch(40).seed(7).build();
 * ClassifierTrainer.Result r = ClassifierTrainer.builder(ResNet18.Spec.ofWidth(8)).seed(7).validation(val)
 *         .runDirectory(run).listeners(new ProgressBar(), new MetricsWriter(), CheckpointListener.every(1))
 *         .build().fit(loader, 8);                    // run/model holds the best epoch's classifier
 * }</pre>
 */
public final class ClassifierTrainer {
    static {
        NativeBackend.configure();
    }

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
        static EpochSummary of(EpochMetrics m) {
            return new EpochSummary(m.epoch(), m.loss(ClassifierTask.TRAIN_LOSS), ClassifierTask.report(m),
                    m.seconds());
        }
    }

    /**
     * What {@link #fit} returns.
     *
     * @param classifier the trained classifier, holding the best epoch's weights
     * @param bestEpoch  the selected epoch
     * @param history    every epoch, in order
     */
    public record Result(GraphClassifier classifier, int bestEpoch, List<EpochSummary> history) {
        public Result {
            history = List.copyOf(history);
        }

        /** The selected epoch's validation metrics. */
        public ClassificationReport best() {
            return history.get(bestEpoch).validation();
        }
    }

    private final ClassifierTask task;
    private final TrainingLoop<GraphClassifier> loop;
    private final String description;

    private ClassifierTrainer(Builder b) {
        if (b.validation == null) {
            throw new IllegalStateException("ClassifierTrainer needs validation slices to choose the best epoch; add "
                    + ".validation(source)");
        }
        if (b.validation.size() == 0) {
            throw new IllegalArgumentException("the validation source is empty; the best epoch is chosen on it");
        }
        if (b.given != null && b.seed != null) {
            throw new IllegalStateException("seed(" + b.seed + ") initialises a classifier built from a spec, and this "
                    + "trainer was given an initialised classifier (" + b.given.spec() + "); pass its spec to "
                    + "ClassifierTrainer.builder(spec) to initialise it with the seed, or drop seed(...)");
        }
        Long seed = b.given != null ? null : b.seed != null ? b.seed : Builder.DEFAULT_SEED;
        GraphClassifier classifier = b.given != null ? b.given : b.spec.create(Seeds.derive(seed, 0));
        this.task = new ClassifierTask(classifier, seed, b.optimizer, b.weightDecay, b.validation, b.evalBatchSize,
                b.selection);
        this.loop = new TrainingLoop<>(task, b.listeners, b.runDirectory, b.resume, b.datasetSplitHash);
        this.description = "ClassifierTrainer[" + task.describe() + (seed == null ? "" : ", seed " + seed)
                + (b.runDirectory == null ? "" : ", run folder " + b.runDirectory) + "]";
    }

    /** A trainer that creates {@code spec}'s network, initialised from the trainer's {@link Builder#seed seed}. */
    public static Builder builder(ClassifierSpec spec) {
        return new Builder(Objects.requireNonNull(spec, "spec"), null);
    }

    /** A trainer that trains {@code classifier} in place (its weights are the starting point). */
    public static Builder builder(GraphClassifier classifier) {
        return new Builder(null, Objects.requireNonNull(classifier, "classifier"));
    }

    /**
     * Trains until {@code epochs} epochs are complete (counting a resumed checkpoint's) and puts the best epoch's
     * weights into the classifier. A trainer fits once; to train longer, resume from a checkpoint.
     *
     * @throws NonFiniteLossException when the training loss becomes NaN or infinite
     */
    public Result fit(BatchLoader loader, int epochs) {
        GraphClassifier c = loop.fit(loader, epochs);
        List<EpochSummary> h = new ArrayList<>();
        loop.history().forEach(m -> h.add(EpochSummary.of(m)));
        return new Result(c, task.bestEpoch(), h);
    }

    /** The classifier being trained (initialised, before fit; the best epoch's weights, after). */
    public GraphClassifier classifier() {
        return task.current(List.of());
    }

    /** The trainer's state for listeners and tools (epochs done, history, the run folder). */
    public TrainingContext<GraphClassifier> context() {
        return loop;
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

    @Override
    public String toString() {
        return description;
    }

    /** Options of a {@link ClassifierTrainer}; defaults follow the reference's synthetic ResNet18 run. */
    public static final class Builder {
        static final long DEFAULT_SEED = 777;
        private final ClassifierSpec spec;
        private final GraphClassifier given;
        private Long seed;
        private Adam optimizer = Adam.lr(1e-3);
        private double weightDecay;
        private SliceSource validation;
        private int evalBatchSize = 64;
        private Selection selection = Selection.VALIDATION_LOSS;
        private final List<TrainingListener<? super GraphClassifier>> listeners = new ArrayList<>();
        private TrainingLoop.Resume resume = TrainingLoop.Resume.NONE;
        private Path runDirectory;
        private String datasetSplitHash;

        private Builder(ClassifierSpec spec, GraphClassifier given) {
            this.spec = spec;
            this.given = given;
        }

        /** Initialisation seed of a spec's network (default 777); refused for a classifier given as weights. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * The optimiser (default {@code Adam.lr(1e-3)}, the reference's synthetic ResNet18; TUH EfficientNet used
         * {@code Adam.lr(3e-4)} with weight decay 1e-4).
         */
        public Builder optimizer(Adam adam) {
            this.optimizer = Objects.requireNonNull(adam, "optimizer");
            return this;
        }

        /** PyTorch-Adam-style (coupled L2) weight decay; default 0. */
        public Builder weightDecay(double wd) {
            if (!(wd >= 0) || Double.isInfinite(wd)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + wd);
            }
            this.weightDecay = wd;
            return this;
        }

        /** The slices each epoch is scored on (required): they choose the epoch whose weights are kept. */
        public Builder validation(SliceSource source) {
            this.validation = Objects.requireNonNull(source, "validation");
            return this;
        }

        /** Batch size of the validation pass (default 64). */
        public Builder evalBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("evalBatchSize must be >= 1, got " + n);
            }
            this.evalBatchSize = n;
            return this;
        }

        public Builder selection(Selection s) {
            this.selection = Objects.requireNonNull(s, "selection");
            return this;
        }

        /** Listeners, called in the order given ({@link ProgressBar}, {@link MetricsWriter}, ... serve both trainers). */
        @SafeVarargs
        public final Builder listeners(TrainingListener<? super GraphClassifier>... ls) {
            return listeners(List.of(ls));
        }

        /** Listeners, called in the order given. */
        public Builder listeners(List<? extends TrainingListener<? super GraphClassifier>> ls) {
            for (TrainingListener<? super GraphClassifier> l : ls) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /** Continue from a checkpoint folder (epoch, step, weights, the best epoch so far, optimiser state). */
        public Builder resumeFrom(Path checkpoint) {
            this.resume = new TrainingLoop.Resume(Objects.requireNonNull(checkpoint, "checkpoint"), false);
            return this;
        }

        /** Continue from the newest checkpoint in the run folder, or start anew when it has none. */
        public Builder resumeLatest() {
            this.resume = new TrainingLoop.Resume(null, true);
            return this;
        }

        /** The run folder: provenance, the final classifier ({@code <dir>/model}), and what the listeners write. */
        public Builder runDirectory(Path dir) {
            this.runDirectory = Objects.requireNonNull(dir, "runDirectory");
            return this;
        }

        /** The dataset split's fingerprint, recorded in the provenance file. */
        public Builder datasetSplitHash(String hash) {
            this.datasetSplitHash = hash;
            return this;
        }

        public ClassifierTrainer build() {
            return new ClassifierTrainer(this);
        }
    }
}
