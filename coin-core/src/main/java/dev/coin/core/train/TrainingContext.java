package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import java.nio.file.Path;
import java.util.List;

/** What a {@link TrainingListener} may look at (and the checkpoint action) while training runs. */
public interface TrainingContext {
    Pipeline pipeline();

    /** Epochs completed so far. */
    int completedEpochs();

    /** Total epochs of this fit. */
    int totalEpochs();

    /** Steps done so far (the reference's global_step of the next step). */
    long globalStep();

    /** Batches per epoch. */
    int stepsPerEpoch();

    /** Metrics of the completed epochs, oldest first. */
    List<EpochMetrics> history();

    /** The run folder (may be {@code null} when none is configured). */
    Path runDirectory();

    /**
     * The model as it is now, for evaluation between epochs (validation IoU, panels). It reads the live weights:
     * use it inside the listener call, not after training has moved on.
     */
    TrainedPipeline current();

    /** Writes a complete checkpoint into {@code directory} atomically; returns the final path. */
    Path writeCheckpoint(Path directory);
}
