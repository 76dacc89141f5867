package dev.coin.core.train;

import dev.coin.core.ConditioningMode;
import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.runtime.NativeBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Trains a {@link Pipeline}: the two-player COIN / Singla step (reference §4.6, §5; the discriminator every step,
 * the generator every k-th, the classifier frozen) run by the library's one training loop, which the
 * {@link ClassifierTrainer} shares (epochs, listeners, checkpoints, resume, provenance, the run folder).
 *
 * <p>With a run folder, the trainer writes {@code provenance.json} there, listeners write into it
 * ({@link MetricsWriter}, {@link LossCurvePlot}, {@link CheckpointListener}), and the final model is saved to
 * {@code <run folder>/model} ({@link TrainedPipeline#save}; read it back with {@code TrainedPipeline.load(run)}).
 *
 * <p>{@code fit(loader, n)} trains until n epochs are complete. Calling it again on the same trainer continues the
 * run (same weights, optimiser states and step count; the loader must keep its seed and batch size). Resuming from a
 * {@link Checkpoint} restores every array and both optimiser states, so on CPU a resumed run ends bit-identical to an
 * uninterrupted one; the pipeline's identity and the loader's seed and batch size must match the checkpoint's, and a
 * refusal names the field that differs. A NaN or infinite loss stops training with a {@link NonFiniteLossException}
 * naming the term and the step; nothing is written after that.
 *
 * <pre>{@code
 * TrainedPipeline t = PipelineTrainer.builder(pipeline).runDirectory(run)
 *         .listeners(new ProgressBar(), new MetricsWriter(), CheckpointListener.every(10))
 *         .build().fit(loader, 151);                     // again later: .resumeLatest() continues from the newest
 * }</pre>
 */
public final class PipelineTrainer {
    static {
        NativeBackend.configure();
    }

    private final Pipeline pipeline;
    private final CoinTask task;
    private final TrainingLoop<TrainedPipeline> loop;
    private final TrainingLoop.Resume resume;

    private PipelineTrainer(Builder b) {
        this.pipeline = b.pipeline;
        this.task = new CoinTask(b.pipeline);
        this.resume = b.resume;
        this.loop = new TrainingLoop<>(task, b.listeners, b.runDirectory, b.resume, b.datasetSplitHash);
    }

    public static Builder builder(Pipeline pipeline) {
        return new Builder(Objects.requireNonNull(pipeline, "pipeline"));
    }

    /**
     * Trains until {@code epochs} epochs are complete (counting those of a resumed checkpoint and of earlier fit
     * calls on this trainer) and returns the model.
     *
     * @throws NonFiniteLossException when a loss becomes NaN or infinite
     */
    public TrainedPipeline fit(BatchLoader loader, int epochs) {
        return loop.fit(loader, epochs);
    }

    /** The live parameter store (generator, discriminator, classifier) once training started. */
    public ParameterStore store() {
        if (!loop.prepared()) {
            throw new IllegalStateException("training has not started; the store exists once fit(...) runs");
        }
        return task.store();
    }

    /** The trainer's state for listeners and tools (epochs done, history, the run folder). */
    public TrainingContext<TrainedPipeline> context() {
        return loop;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public String toString() {
        return "PipelineTrainer[" + pipeline.name() + ", " + loop.listenerCount() + " listeners"
                + (loop.runDirectory() == null ? "" : ", run folder " + loop.runDirectory())
                + (resume.checkpoint() != null ? ", resume from " + resume.checkpoint()
                : resume.latestInRunFolder() ? ", resume from the newest checkpoint" : "")
                + ", conditioning " + (pipeline.conditioningMode() == ConditioningMode.NONE ? "none"
                : pipeline.conditioningMode()) + "]";
    }

    /** Options of a trainer. */
    public static final class Builder {
        private final Pipeline pipeline;
        private final List<TrainingListener<? super TrainedPipeline>> listeners = new ArrayList<>();
        private TrainingLoop.Resume resume = TrainingLoop.Resume.NONE;
        private Path runDirectory;
        private String datasetSplitHash;

        private Builder(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        /** Listeners, called in the order given. */
        @SafeVarargs
        public final Builder listeners(TrainingListener<? super TrainedPipeline>... ls) {
            return listeners(List.of(ls));
        }

        /** Listeners, called in the order given. */
        public Builder listeners(List<? extends TrainingListener<? super TrainedPipeline>> ls) {
            for (TrainingListener<? super TrainedPipeline> l : ls) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /** Continue from a checkpoint folder (epoch, step, weights, optimiser states). */
        public Builder resumeFrom(Path checkpoint) {
            this.resume = new TrainingLoop.Resume(Objects.requireNonNull(checkpoint, "checkpoint"), false);
            return this;
        }

        /**
         * Continue from the newest checkpoint in the run folder ({@link CheckpointListener#latest}), or start anew
         * when it has none: what an interrupted job does when it is started again.
         */
        public Builder resumeLatest() {
            this.resume = new TrainingLoop.Resume(null, true);
            return this;
        }

        /**
         * The run folder: provenance, the final model ({@code <dir>/model}), and whatever the listeners write
         * (checkpoints, metrics, plots). Without it nothing is written, and listeners that write refuse to start.
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
