package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a checkpoint every N epochs (and after the last epoch) into {@code <run>/checkpoints/epoch-NNNN}.
 *
 * <pre>{@code
 * CheckpointListener.every(10, runDir)        // epoch-0010, epoch-0020, …
 * }</pre>
 */
public final class CheckpointListener implements TrainingListener {
    private final int every;
    private final Path folder;
    private Path last;

    private CheckpointListener(int every, Path folder) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint period must be >= 1 epoch, got " + every);
        }
        this.every = every;
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    /** Checkpoints every {@code epochs} epochs under {@code runDirectory/checkpoints}. */
    public static CheckpointListener every(int epochs, Path runDirectory) {
        return new CheckpointListener(epochs, runDirectory.resolve("checkpoints"));
    }

    /** The checkpoint folder for a number of completed epochs. */
    public static Path folderFor(Path runDirectory, int completedEpochs) {
        return runDirectory.resolve("checkpoints").resolve(String.format("epoch-%04d", completedEpochs));
    }

    /** The most recent checkpoint this listener wrote, or {@code null}. */
    public Path last() {
        return last;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingContext context) {
        int done = context.completedEpochs();
        if (done % every == 0 || done == context.totalEpochs()) {
            last = context.writeCheckpoint(folder.resolve(String.format("epoch-%04d", done)));
        }
    }

    @Override
    public String toString() {
        return "CheckpointListener[every " + every + " epochs → " + folder + "]";
    }
}
