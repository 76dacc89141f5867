package dev.coin.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.EpochMetrics;
import dev.coin.core.SpecIdentity;
import dev.coin.core.TrainedPipeline;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop of the library: epochs and batches from a {@link BatchLoader}, listeners, the NaN check,
 * checkpoints and resume, provenance and the final model in the run folder. What a step does is plugged in as a
 * {@link TrainingTask} (the two-player COIN step, the single-player classifier and segmentor steps).
 *
 * <p>Rules every trainer follows: the loader owns batching and data order; {@code fit(loader, epochs)} trains
 * until {@code epochs} epochs are complete, counting those of a resumed checkpoint or of an earlier fit call on the
 * same trainer (a later call continues training when the task allows it); a resumed run must have the same
 * identity and the same loader seed and batch size as the run that wrote the checkpoint, and is then bit-identical
 * on CPU to an uninterrupted one.
 *
 * @param <M> the live model the listeners see
 */
final class TrainingLoop<M> implements TrainingContext<M> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    /** Where a loop resumes from. */
    record Resume(Path checkpoint, boolean latestInRunFolder) {
        static final Resume NONE = new Resume(null, false);
    }

    /** The loader settings a resumed run must share with the one that wrote the checkpoint. */
    private record LoaderKey(long seed, int batchSize) {
        static LoaderKey of(BatchLoader l) {
            return new LoaderKey(l.seed(), l.batchSize());
        }

        Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("seed", seed);
            o.put("batchSize", batchSize);
            return o;
        }
    }

    private final TrainingTask<M> task;
    private final List<TrainingListener<? super M>> listeners;
    private final Path runDirectory;
    private final Resume resume;
    private final String datasetSplitHash;

    private boolean prepared;
    private boolean resumePending;
    private boolean running;
    private LoaderKey loaderKey;
    private final List<EpochMetrics> history = new ArrayList<>();
    private int completedEpochs;
    private long globalStep;
    private int totalEpochs;
    private int stepsPerEpoch;

    TrainingLoop(TrainingTask<M> task, List<TrainingListener<? super M>> listeners, Path runDirectory, Resume resume,
            String datasetSplitHash) {
        this.task = Objects.requireNonNull(task, "task");
        this.listeners = List.copyOf(listeners);
        this.runDirectory = runDirectory;
        this.resume = Objects.requireNonNull(resume, "resume");
        this.datasetSplitHash = datasetSplitHash;
        this.resumePending = resume.checkpoint() != null || resume.latestInRunFolder();
        if (resume.latestInRunFolder() && runDirectory == null) {
            throw new IllegalArgumentException("resumeLatest() looks for checkpoints in the run folder, and none was "
                    + "given; add .runDirectory(path), or pass a checkpoint folder to resumeFrom(path)");
        }
    }

    /** Trains until {@code epochs} epochs are complete and returns the live model. */
    M fit(BatchLoader loader, int epochs) {
        Objects.requireNonNull(loader, "loader");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (running) {
            throw new IllegalStateException("fit(...) is already running on this trainer (called from a listener?); "
                    + "a trainer trains one run at a time");
        }
        if (prepared && task.refuseContinuation() != null) {
            throw new IllegalStateException(task.refuseContinuation());
        }
        checkLoader(loader, epochs);
        LoaderKey key = LoaderKey.of(loader);
        if (loaderKey != null && !loaderKey.equals(key)) {
            throw new IllegalArgumentException("this trainer already trained " + completedEpochs + " epochs with "
                    + "loader seed " + loaderKey.seed() + " and batch size " + loaderKey.batchSize() + "; the loader "
                    + "now has " + differences(loaderKey, key) + ". Continue with the same loader settings, or build a "
                    + "new trainer for a new run");
        }
        if (!prepared) {
            task.prepare(peek(loader));
            prepared = true;
        }
        if (resumePending) {
            // until a restore succeeds, every fit call tries it again: a refused resume never trains from scratch
            Path from = resumeFolder();
            if (from != null) {
                restore(Checkpoint.read(from), key);
            }
            resumePending = false;
        }
        loaderKey = key;
        if (completedEpochs >= epochs) {
            throw new IllegalArgumentException("this run already has " + completedEpochs + " epochs; fit(loader, n) "
                    + "trains until n epochs are complete, so ask for more than " + completedEpochs + " (got " + epochs
                    + ")");
        }
        totalEpochs = epochs;
        stepsPerEpoch = loader.batchesIn(completedEpochs);
        long start = System.nanoTime();
        writeProvenance(loader, epochs, Double.NaN);
        running = true;
        try {
            listeners.forEach(l -> l.onStart(this));
            for (int epoch = completedEpochs; epoch < epochs; epoch++) {
                runEpoch(loader, epoch);
            }
            listeners.forEach(l -> l.onEnd(this));
        } finally {
            running = false;
            task.release(); // the step buffers: activations and gradients of a whole step
        }
        writeProvenance(loader, epochs, (System.nanoTime() - start) / 1e9);
        M model = task.finish(List.copyOf(history));
        if (runDirectory != null) {
            task.saveFinal(model, runDirectory.resolve(TrainedPipeline.MODEL_FOLDER));
        }
        return model;
    }

    /**
     * A batch of one sample fails inside SameDiff's batch statistics halfway through an epoch; refuse it before
     * anything runs.
     */
    private static void checkLoader(BatchLoader loader, int epochs) {
        for (int e = 0; e < epochs; e++) {
            int last = loader.lastBatchSize(e);
            if (last == 1) {
                throw new IllegalArgumentException("epoch " + e + " would end with a batch of one sample (" + loader
                        + "); batch norm cannot train on it. Build the loader with dropLast(true), or a batch size "
                        + "that does not leave one sample over");
            }
            if (loader.batchesIn(e) == 0) {
                throw new IllegalArgumentException("epoch " + e + " has no batch (" + loader + "); give the loader "
                        + "more slices or a smaller batch size");
            }
        }
    }

    private static String differences(LoaderKey was, LoaderKey now) {
        List<String> d = new ArrayList<>();
        if (was.seed() != now.seed()) {
            d.add("seed " + now.seed() + " (was " + was.seed() + ")");
        }
        if (was.batchSize() != now.batchSize()) {
            d.add("batch size " + now.batchSize() + " (was " + was.batchSize() + ")");
        }
        return String.join(" and ", d);
    }

    private Path resumeFolder() {
        if (resume.checkpoint() != null) {
            return resume.checkpoint();
        }
        if (resume.latestInRunFolder()) {
            Path latest = CheckpointListener.latest(runDirectory);
            if (latest == null) {
                LOG.info("no checkpoint in {} yet: starting a new run", runDirectory);
            }
            return latest;
        }
        return null;
    }

    private static Batch peek(BatchLoader loader) {
        try (BatchLoader.Epoch e = loader.epoch(0)) {
            return e.next();
        }
    }

    private void runEpoch(BatchLoader loader, int epoch) {
        long t0 = System.nanoTime();
        EpochTally tally = new EpochTally();
        try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
            int b = 0;
            while (batches.hasNext()) {
                long s0 = System.nanoTime();
                Batch batch = batches.next();
                TrainingTask.StepOutcome out = task.step(batch, globalStep, tally);
                for (Map.Entry<String, Double> v : out.values().entrySet()) {
                    if (!Double.isFinite(v.getValue())) {
                        throw new NonFiniteLossException(termOf(v.getKey()), v.getValue(), globalStep, epoch, b);
                    }
                }
                tally.addStep(out.values(), out.generatorUpdated());
                StepReport r = new StepReport(epoch, b, globalStep, out.generatorUpdated(), out.values(),
                        (System.nanoTime() - s0) / 1e9);
                globalStep++;
                for (TrainingListener<? super M> l : listeners) {
                    l.onStep(r, this);
                }
                b++;
            }
        }
        task.endEpoch(epoch, tally);
        EpochMetrics m = tally.finish(epoch, (System.nanoTime() - t0) / 1e9);
        history.add(m);
        completedEpochs = epoch + 1;
        LOG.debug("epoch {} done: {}", epoch, m);
        for (TrainingListener<? super M> l : listeners) {
            l.onEpochEnd(m, this);
        }
    }

    /** The term a logged name belongs to: {@code loss/kl/raw} → {@code kl}; other names stay as they are. */
    private static String termOf(String logged) {
        if (!logged.startsWith("loss/")) {
            return logged;
        }
        String rest = logged.substring(5);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private void writeProvenance(BatchLoader loader, int epochs, double wallSeconds) {
        if (runDirectory != null) {
            Provenance.write(runDirectory, task.kind(), task.identity(), task.describe(), task.initialisationSeed(),
                    loader, datasetSplitHash, epochs, wallSeconds);
        }
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------

    @Override
    public Path writeCheckpoint(Path directory) {
        if (!prepared) {
            throw new IllegalStateException("training has not started; checkpoints are written from listeners");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("kind", task.kind());
        meta.put("completedEpochs", completedEpochs);
        meta.put("globalStep", globalStep);
        meta.put("loader", loaderKey.toJson());
        meta.putAll(task.stateMeta());
        meta.put("identity", task.identity());
        meta.put("resumeKey", task.resumeKey());
        List<Object> h = new ArrayList<>();
        history.forEach(m -> h.add(m.toJson()));
        meta.put("history", h);
        Path written = Checkpoint.write(directory, task.state(), meta);
        LOG.info("checkpoint written: {} (epoch {}, step {})", written, completedEpochs, globalStep);
        return written;
    }

    private void restore(Checkpoint c, LoaderKey key) {
        if (!task.kind().equals(c.kind())) {
            throw new IllegalArgumentException("checkpoint " + c.directory() + " was written by a " + c.kind()
                    + " trainer; this is a " + task.kind() + " trainer. Resume it with the trainer kind that wrote it");
        }
        List<String> differences = SpecIdentity.differences(c.resumeKey(), task.resumeKey(), 20);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + c.directory() + " was written by another " + task.kind()
                    + " (checkpoint → this one): " + String.join("; ", differences) + ". Resume with the "
                    + task.kind() + " that wrote it; the number of epochs and the run folder may differ");
        }
        JsonNode loader = c.meta().path("loader");
        if (!loader.isMissingNode()) {
            LoaderKey was = new LoaderKey(loader.path("seed").asLong(), loader.path("batchSize").asInt());
            if (!was.equals(key)) {
                throw new IllegalArgumentException("checkpoint " + c.directory() + " was trained with loader seed "
                        + was.seed() + " and batch size " + was.batchSize() + "; this loader has "
                        + differences(was, key) + ". Resume with the loader settings that wrote it (a resumed run "
                        + "must see the batches the uninterrupted run would have seen)");
            }
        } else {
            LOG.warn("checkpoint {} does not record its loader (format {}); the loader's seed and batch size are not "
                    + "checked", c.directory(), c.meta().path("format").asInt());
        }
        task.restore(c);
        completedEpochs = c.completedEpochs();
        globalStep = c.globalStep();
        history.clear();
        history.addAll(c.history());
        LOG.info("resumed from {} (epoch {}, step {})", c.directory(), completedEpochs, globalStep);
    }

    // ---- context -------------------------------------------------------------------------------------------

    @Override
    public M current() {
        if (!prepared) {
            throw new IllegalStateException("current() is only available once fit(...) has started (from a listener)");
        }
        return task.current(List.copyOf(history));
    }

    @Override
    public int completedEpochs() {
        return completedEpochs;
    }

    @Override
    public int totalEpochs() {
        return totalEpochs;
    }

    @Override
    public long globalStep() {
        return globalStep;
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    @Override
    public Path runDirectory() {
        return runDirectory;
    }

    boolean prepared() {
        return prepared;
    }

    int listenerCount() {
        return listeners.size();
    }
}
