package dev.coin.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.data.dataset.Batch;
import java.nio.file.Path;
import java.util.List;
import dev.coin.core.EpochMetrics;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a trainer plugs into {@link TrainingLoop}: the step, the end-of-epoch work, and the state a checkpoint holds.
 * The loop owns everything else (epochs, batches, listeners, the NaN check, checkpoints and resume, provenance,
 * the run folder).
 *
 * @param <M> the live model the listeners see
 */
interface TrainingTask<M> {
    /** "pipeline", "classifier" or "segmentor": stored in checkpoints, so that one kind never resumes another. */
    String kind();

    /** The structured identity a resumed run must match (what was trained, with which settings and seed). */
    JsonNode resumeKey();

    /** The identity as written into provenance and checkpoints (the resume key plus labels such as a name). */
    JsonNode identity();

    /** A one-line human description for provenance. */
    String describe();

    /** The initialisation seed, for provenance. */
    long initialisationSeed();

    /** Builds the graphs and the weights, from the first batch's shapes; called once per trainer. */
    void prepare(Batch first);

    /** Runs one step and returns its logged scalars (name → value; the loop checks that each is finite). */
    StepOutcome step(Batch batch, long globalStep, EpochTally tally);

    /** End-of-epoch work (e.g. a validation pass): adds epoch-level values to {@code tally}. */
    default void endEpoch(int epoch, EpochTally tally) {
    }

    /** Every array a checkpoint must hold (weights, optimiser moments, ...), by name. */
    Map<String, INDArray> state();

    /** Extra checkpoint metadata (optimiser iteration counts, ...). */
    Map<String, Object> stateMeta();

    /** Restores what {@link #state()} and {@link #stateMeta()} wrote; the resume key was already compared. */
    void restore(Checkpoint checkpoint);

    /** The live model. */
    M current(List<EpochMetrics> history);

    /** The model a finished fit returns and saves (the classifier puts its best epoch's weights back here). */
    default M finish(List<EpochMetrics> history) {
        return current(history);
    }

    /** Why this task cannot be fit again, or {@code null} when a later fit call continues the run. */
    default String refuseContinuation() {
        return null;
    }

    /** Saves {@code model} under {@code folder} at the end of a fit with a run folder (or logs why it cannot). */
    void saveFinal(M model, Path folder);

    /** Frees the step buffers between fit calls (the weights stay). */
    void release();

    /** What one step produced. */
    record StepOutcome(Map<String, Double> values, boolean generatorUpdated) {
    }
}
