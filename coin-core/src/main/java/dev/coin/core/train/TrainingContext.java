package dev.coin.core.train;

import dev.coin.core.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link TrainingListener} may look at (and the checkpoint action) while a trainer's {@code fit} runs.
 *
 * @param <M> the model type the trainer produces
 */
public interface TrainingContext<M> {
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

    /**
     * The trainer's run folder, or {@code null} when none was given. Listeners that write files write them here;
     * {@link #requireRunDirectory} fails with a clear message when there is none.
     */
    Path runDirectory();

    /** The run folder; fails, naming {@code who}, when the trainer has none. */
    default Path requireRunDirectory(String who) {
        Path dir = runDirectory();
        if (dir == null) {
            throw new IllegalStateException(who + " writes into the run folder, and this trainer has none; give the "
                    + "trainer one with .runDirectory(path)");
        }
        return dir;
    }

    /**
     * The model as it is now, for evaluation between epochs (validation IoU, panels). It reads the live weights:
     * use it inside the listener call, not after training has moved on.
     */
    M current();

    /** Writes a complete checkpoint into {@code directory} atomically; returns the final path. */
    Path writeCheckpoint(Path directory);
}
