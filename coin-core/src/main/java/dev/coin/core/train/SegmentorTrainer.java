package dev.coin.core.train;

import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.random.Seeds;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link UNetSegmentor} on the slices' masks with the library's one training loop (the one
 * {@link PipelineTrainer} and {@link ClassifierTrainer} use): epochs from {@code fit(loader, epochs)}, batches from
 * any {@link BatchLoader} (its masks are the targets), listeners, checkpoints and resume, provenance and the final
 * segmentor in the run folder ({@code <run>/model}, read back with {@link UNetSegmentor#load}). A step is per-pixel
 * BCE with logits + λ_dice · soft Dice (default λ_dice = 1; 0 for BCE alone) with Adam, batch norm in train mode;
 * with {@link Builder#validation validation} slices each epoch logs {@code validation/dice} and
 * {@code validation/bce}, and the weights of the best epoch (highest validation Dice) are put back at the end, as
 * {@link ClassifierTrainer} does (a trainer with validation then fits once; to train longer, resume from a
 * checkpoint). Without validation the final weights are the last epoch's and a later {@code fit} continues.
 *
 * <p>The target is the union of the mask channels {@link Builder#targetChannels} (default {1}: the kidney). For
 * {@link dev.coin.losses.SegmentorGuidance} the structure should be the kidney <em>including</em> the tumour: the
 * term then asks the counterfactual to keep the whole organ while the tumour inside it turns into healthy tissue.
 * A "healthy kidney only" segmentor would call the tumour region background in x and kidney in a good
 * counterfactual, so the term would penalise exactly the edit COIN wants. On the synthetic data the kidney channel
 * already covers the inserted anomalies (they are painted onto kidney voxels); with the TUH or KiTS label maps,
 * where the tumour has its own channel, use {@code targetChannels(1, 2)} (or {@code (1, 2, 3)} with cysts).
 *
 * <p>The trainer's seed fixes the initialisation of a spec ({@code derive(seed, 0)}); the loader's seed fixes the
 * batches. Train on both normal and abnormal slices (e.g. with {@code AnomalyInsertion.training(...)} as the
 * loader's transform), so that the segmentor has seen tumours inside the kidney.
 *
 * <pre>{@code
 * BatchLoader loader = BatchLoader.builder(train).batchSize(16).seed(7)
 *         .transform(AnomalyInsertion.training(GaussianBlobAnomaly.coin())).build();
 * SegmentorTrainer.Result r = SegmentorTrainer.builder(UNetSegmentor.builder().widths(8, 16, 32).build())
 *         .seed(7).validation(val).runDirectory(run).listeners(new ProgressBar()).build().fit(loader, 5);
 * UNetSegmentor seg = r.segmentor();               // also in run/model
 * }</pre>
 */
public final class SegmentorTrainer {
    static {
        NativeBackend.configure();
    }

    /**
     * One epoch's numbers.
     *
     * @param epoch          0-based
     * @param trainLoss      mean training loss (BCE + λ_dice·Dice) over the epoch's steps
     * @param validationDice Dice of the thresholded map on the validation slices (NaN without validation)
     * @param seconds        wall time of the epoch including validation
     */
    public record EpochSummary(int epoch, double trainLoss, double validationDice, double seconds) {
        static EpochSummary of(EpochMetrics m) {
            return new EpochSummary(m.epoch(), m.loss(SegmentorTask.TRAIN_LOSS), m.loss(SegmentorTask.VAL + "dice"),
                    m.seconds());
        }
    }

    /**
     * What {@link #fit} returns.
     *
     * @param segmentor the trained segmentor (the best epoch's weights with validation, else the last epoch's)
     * @param bestEpoch the epoch whose weights it holds
     * @param history   every epoch, in order
     */
    public record Result(UNetSegmentor segmentor, int bestEpoch, List<EpochSummary> history) {
        public Result {
            history = List.copyOf(history);
        }
    }

    /**
     * Scores of a segmentor on a set of slices.
     *
     * @param dice              2·|P ∩ T| / (|P| + |T|) over every pixel of the set, P = {p ≥ 0.5} (1 when both
     *                          are empty)
     * @param bce               mean per-pixel BCE of the probabilities
     * @param allForegroundDice the Dice of the trivial predictor that marks every pixel, 2·|T| / (N + |T|): a
     *                          segmentor worth using is clearly above it
     * @param pixels            pixels scored
     */
    public record Score(double dice, double bce, double allForegroundDice, long pixels) {
    }

    private final SegmentorTask task;
    private final TrainingLoop<UNetSegmentor> loop;
    private final String description;

    private SegmentorTrainer(Builder b) {
        if (b.given != null && b.seed != null) {
            throw new IllegalStateException("seed(" + b.seed + ") initialises a segmentor built from a spec, and this "
                    + "trainer was given an initialised segmentor (" + b.given + "); pass its spec to "
                    + "SegmentorTrainer.builder(spec) to initialise it with the seed, or drop seed(...)");
        }
        if (b.validation != null && b.validation.size() == 0) {
            throw new IllegalArgumentException("the validation source is empty; pass slices with masks, or no "
                    + "validation at all");
        }
        Long seed = b.given != null ? null : b.seed != null ? b.seed : Builder.DEFAULT_SEED;
        UNetSegmentor segmentor = b.given != null ? b.given : b.spec.create(Seeds.derive(seed, 0));
        this.task = new SegmentorTask(segmentor, seed, b.optimizer, b.targetChannels, b.diceWeight, b.validation,
                b.evalBatchSize);
        this.loop = new TrainingLoop<>(task, b.listeners, b.runDirectory, b.resume, b.datasetSplitHash);
        this.description = "SegmentorTrainer[" + task.describe() + (seed == null ? "" : ", seed " + seed)
                + (b.runDirectory == null ? "" : ", run folder " + b.runDirectory) + "]";
    }

    /** A trainer that creates {@code spec}'s network, initialised from the trainer's {@link Builder#seed seed}. */
    public static Builder builder(UNetSegmentor.Spec spec) {
        return new Builder(Objects.requireNonNull(spec, "spec"), null);
    }

    /** A trainer that trains {@code segmentor} in place (its weights are the starting point). */
    public static Builder builder(UNetSegmentor segmentor) {
        return new Builder(null, Objects.requireNonNull(segmentor, "segmentor"));
    }

    /**
     * Trains until {@code epochs} epochs are complete (counting a resumed checkpoint's or an earlier call's) and,
     * with validation slices, puts the best epoch's weights back.
     *
     * @throws NonFiniteLossException when the training loss becomes NaN or infinite
     */
    public Result fit(BatchLoader loader, int epochs) {
        UNetSegmentor s = loop.fit(loader, epochs);
        List<EpochSummary> h = new ArrayList<>();
        loop.history().forEach(m -> h.add(EpochSummary.of(m)));
        return new Result(s, task.bestEpoch() >= 0 ? task.bestEpoch() : h.size() - 1, h);
    }

    /** The segmentor being trained. */
    public UNetSegmentor segmentor() {
        return task.current(List.of());
    }

    /** The trainer's state for listeners and tools. */
    public TrainingContext<UNetSegmentor> context() {
        return loop;
    }

    /**
     * Eval-mode scores of {@code segmentor} on every slice of {@code source} against the union of mask channels
     * {@code targetChannels}, in batches of {@code batchSize}.
     *
     * @throws IllegalArgumentException for a bad batch size, no channels, or a channel the slices do not have
     */
    public static Score evaluate(UNetSegmentor segmentor, SliceSource source, int batchSize, int... targetChannels) {
        Objects.requireNonNull(segmentor, "segmentor");
        Objects.requireNonNull(source, "source");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        checkChannels(targetChannels);
        long inter = 0;
        long predicted = 0;
        long truth = 0;
        long pixels = 0;
        double bce = 0;
        int n = source.size();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<Slice> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(source.get(i));
            }
            INDArray p = segmentor.probabilities(Batch.stackImages(batch)).castTo(DataType.DOUBLE);
            double[] pv = p.dup('c').data().asDouble();
            int hw = batch.get(0).height() * batch.get(0).width();
            for (int b = 0; b < batch.size(); b++) {
                Slice s = batch.get(b);
                float[][] masks = new float[targetChannels.length][];
                for (int k = 0; k < targetChannels.length; k++) {
                    int c = targetChannels[k];
                    if (c >= s.masks().size()) {
                        throw new IllegalArgumentException("target channel " + c + " but slice " + s.scanId() + "#"
                                + s.sliceIndex() + " has masks " + s.maskNames() + "; choose channels among them");
                    }
                    masks[k] = s.masks().get(c).toArray();
                }
                for (int i = 0; i < hw; i++) {
                    boolean t = false;
                    for (float[] m : masks) {
                        t |= m[i] > 0.5f;
                    }
                    double prob = pv[b * hw + i];
                    boolean pr = prob >= 0.5;
                    inter += pr && t ? 1 : 0;
                    predicted += pr ? 1 : 0;
                    truth += t ? 1 : 0;
                    double q = Math.min(Math.max(prob, 1e-7), 1 - 1e-7);
                    bce -= t ? Math.log(q) : Math.log1p(-q);
                    pixels++;
                }
            }
        }
        double dice = predicted + truth == 0 ? 1.0 : 2.0 * inter / (predicted + truth);
        double trivial = 2.0 * truth / (pixels + truth);
        return new Score(dice, bce / pixels, trivial, pixels);
    }

    private static int[] checkChannels(int[] channels) {
        Objects.requireNonNull(channels, "targetChannels");
        if (channels.length == 0) {
            throw new IllegalArgumentException("targetChannels is empty; name the structure's mask channels, e.g. 1 "
                    + "(the kidney)");
        }
        for (int c : channels) {
            if (c < 0) {
                throw new IllegalArgumentException("targetChannels must be >= 0, got " + Arrays.toString(channels)
                        + "; e.g. 1 (the kidney)");
            }
        }
        return channels.clone();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Options of a {@link SegmentorTrainer}. */
    public static final class Builder {
        static final long DEFAULT_SEED = 777;
        private final UNetSegmentor.Spec spec;
        private final UNetSegmentor given;
        private Long seed;
        private Adam optimizer = Adam.lr(1e-3);
        private int[] targetChannels = {1};
        private double diceWeight = 1.0;
        private SliceSource validation;
        private int evalBatchSize = 32;
        private final List<TrainingListener<? super UNetSegmentor>> listeners = new ArrayList<>();
        private TrainingLoop.Resume resume = TrainingLoop.Resume.NONE;
        private Path runDirectory;
        private String datasetSplitHash;

        private Builder(UNetSegmentor.Spec spec, UNetSegmentor given) {
            this.spec = spec;
            this.given = given;
        }

        /** Initialisation seed of a spec's network (default 777); refused for a segmentor given as weights. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The optimiser (default {@code Adam.lr(1e-3)}). */
        public Builder optimizer(Adam adam) {
            this.optimizer = Objects.requireNonNull(adam, "optimizer");
            return this;
        }

        /**
         * The mask channels whose union is the target (default {1}: the kidney; the synthetic data's kidney
         * channel includes the inserted anomalies). See the class comment for tumour channels.
         */
        public Builder targetChannels(int... channels) {
            this.targetChannels = checkChannels(channels);
            return this;
        }

        /** λ_dice of the soft Dice term added to the BCE (default 1; 0 = BCE alone). */
        public Builder diceWeight(double w) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("diceWeight must be finite and >= 0, got " + w + "; 1.0 adds the "
                        + "Dice loss with the BCE's weight, 0 trains on BCE alone");
            }
            this.diceWeight = w;
            return this;
        }

        /** Slices scored after every epoch ({@code validation/dice}, {@code validation/bce}); optional. */
        public Builder validation(SliceSource source) {
            this.validation = Objects.requireNonNull(source, "validation");
            return this;
        }

        /** Batch size of the validation pass (default 32). */
        public Builder evalBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("evalBatchSize must be >= 1, got " + n);
            }
            this.evalBatchSize = n;
            return this;
        }

        /** Listeners, called in the order given ({@link ProgressBar}, {@link MetricsWriter}, ... serve every trainer). */
        @SafeVarargs
        public final Builder listeners(TrainingListener<? super UNetSegmentor>... ls) {
            return listeners(List.of(ls));
        }

        /** Listeners, called in the order given. */
        public Builder listeners(List<? extends TrainingListener<? super UNetSegmentor>> ls) {
            for (TrainingListener<? super UNetSegmentor> l : ls) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /** Continue from a checkpoint folder (epoch, step, weights, optimiser state). */
        public Builder resumeFrom(Path checkpoint) {
            this.resume = new TrainingLoop.Resume(Objects.requireNonNull(checkpoint, "checkpoint"), false);
            return this;
        }

        /** Continue from the newest checkpoint in the run folder, or start anew when it has none. */
        public Builder resumeLatest() {
            this.resume = new TrainingLoop.Resume(null, true);
            return this;
        }

        /** The run folder: provenance, the final segmentor ({@code <dir>/model}), and what the listeners write. */
        public Builder runDirectory(Path dir) {
            this.runDirectory = Objects.requireNonNull(dir, "runDirectory");
            return this;
        }

        /** The dataset split's fingerprint, recorded in the provenance file. */
        public Builder datasetSplitHash(String hash) {
            this.datasetSplitHash = hash;
            return this;
        }

        public SegmentorTrainer build() {
            return new SegmentorTrainer(this);
        }
    }
}
