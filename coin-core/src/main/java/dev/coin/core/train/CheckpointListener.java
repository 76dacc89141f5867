package dev.coin.core.train;

import dev.coin.core.EpochMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a checkpoint every N epochs (and after the last epoch) into {@code <run folder>/checkpoints/epoch-NNNN},
 * the run folder being the trainer's. Works with either trainer.
 *
 * <pre>{@code
 * PipelineTrainer.builder(p).runDirectory(run).listeners(CheckpointListener.every(10)).build().fit(loader, 30);
 * // epoch-0010, epoch-0020, epoch-0030; continue with .resumeLatest(),
 * // or from a chosen one with .resumeFrom(CheckpointListener.folderFor(run, 20))
 * }</pre>
 */
public final class CheckpointListener implements TrainingListener<Object> {
    /** The folder of checkpoints inside a run folder. */
    public static final String FOLDER = "checkpoints";
    private final int every;
    private final boolean keepOnlyLatest;
    private Path last;

    private CheckpointListener(int every, boolean keepOnlyLatest) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint period must be >= 1 epoch, got " + every);
        }
        this.every = every;
        this.keepOnlyLatest = keepOnlyLatest;
    }

    /** Checkpoints every {@code epochs} epochs (and after the last) under {@code <run folder>/checkpoints}. */
    public static CheckpointListener every(int epochs) {
        return new CheckpointListener(epochs, false);
    }

    /**
     * As {@link #every}, but once a checkpoint is complete the older ones of the run folder are deleted: enough to
     * resume an interrupted run, at the disk cost of one checkpoint (what an experiment table with many cells needs).
     */
    public CheckpointListener keepingOnlyLatest() {
        return new CheckpointListener(every, true);
    }

    /** The checkpoint folder for a number of completed epochs in {@code runDirectory}. */
    public static Path folderFor(Path runDirectory, int completedEpochs) {
        return runDirectory.resolve(FOLDER).resolve(String.format(Locale.ROOT, "epoch-%04d", completedEpochs));
    }

    /** The checkpoint with the most completed epochs in {@code runDirectory}, or {@code null} when there is none. */
    public static Path latest(Path runDirectory) {
        Path folder = runDirectory.resolve(FOLDER);
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}"))
                    .filter(Checkpoint::isCheckpoint)
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(6))))
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The most recent checkpoint this listener wrote, or {@code null}. */
    public Path last() {
        return last;
    }

    @Override
    public void onStart(TrainingContext<?> context) {
        context.requireRunDirectory("CheckpointListener");
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingContext<?> context) {
        int done = context.completedEpochs();
        if (done % every == 0 || done == context.totalEpochs()) {
            Path run = context.requireRunDirectory("CheckpointListener");
            last = context.writeCheckpoint(folderFor(run, done));
            if (keepOnlyLatest) {
                deleteOlderThan(run, done);
            }
        }
    }

    // only after the new checkpoint is complete (writeCheckpoint returned), so a crash here never leaves none
    private static void deleteOlderThan(Path runDirectory, int done) {
        Path folder = runDirectory.resolve(FOLDER);
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(q -> q.getFileName().toString().matches("epoch-\\d{4,}"))
                    .filter(q -> Integer.parseInt(q.getFileName().toString().substring(6)) < done).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete old checkpoints in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    @Override
    public String toString() {
        return "CheckpointListener[every " + every + " epochs" + (keepOnlyLatest ? ", only the latest kept" : "") + "]";
    }
}
