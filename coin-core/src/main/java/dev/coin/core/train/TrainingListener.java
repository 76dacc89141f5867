package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

/**
 * Receives training events. All methods have empty defaults; implement the ones you need.
 *
 * <pre>{@code
 * TrainingListener printer = new TrainingListener() {
 *     public void onEpochEnd(EpochMetrics m, TrainingContext ctx) { LOG.info("{}", m); }
 * };
 * }</pre>
 */
public interface TrainingListener {
    /** Before the first step (also after a resume). */
    default void onStart(TrainingContext context) {
    }

    /** After every step (discriminator update, preceded by the generator update on generator steps). */
    default void onStep(StepReport step, TrainingContext context) {
    }

    /** After every epoch, with the epoch's averages. */
    default void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
    }

    /** After the last epoch. */
    default void onEnd(TrainingContext context) {
    }
}
