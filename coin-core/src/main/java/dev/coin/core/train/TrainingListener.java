package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

/**
 * Receives training events from either trainer. All methods have empty defaults; implement the ones you need.
 * {@code M} is the model the trainer's {@link TrainingContext#current()} returns
 * ({@link dev.coin.core.TrainedPipeline} for {@link PipelineTrainer}, {@link dev.coin.core.model.classifier.GraphClassifier}
 * for {@link ClassifierTrainer}); a listener that does not look at the model (progress, metrics, checkpoints) is a
 * {@code TrainingListener<Object>} and serves both.
 *
 * <pre>{@code
 * TrainingListener<Object> printer = new TrainingListener<>() {
 *     public void onEpochEnd(EpochMetrics m, TrainingContext<?> ctx) { LOG.info("{}", m); }
 * };
 * }</pre>
 *
 * @param <M> the model type the trainer produces
 */
public interface TrainingListener<M> {
    /** Before the first step of a fit call (also after a resume). */
    default void onStart(TrainingContext<? extends M> context) {
    }

    /** After every step (for COIN: the discriminator update, preceded by the generator update on generator steps). */
    default void onStep(StepReport step, TrainingContext<? extends M> context) {
    }

    /** After every epoch, with the epoch's averages. */
    default void onEpochEnd(EpochMetrics metrics, TrainingContext<? extends M> context) {
    }

    /** After the last epoch. */
    default void onEnd(TrainingContext<? extends M> context) {
    }
}
