package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.ParameterStore;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the model after every epoch and keeps a copy of the weights of the best-scoring epoch (lowest score), so a
 * short GAN run that ends on a bad epoch can still hand back its best one. Scoring runs on a copy of the weights:
 * it never disturbs training (counterfactuals advance spectral-norm state).
 *
 * <p>Pair it with a score that needs no pixel labels, such as {@link dev.coin.core.eval.HealthyEditScore} (how much
 * the generator edits known-healthy slices), to stay weakly supervised.
 *
 * <pre>{@code
 * BestEpochListener best = BestEpochListener.lowest("healthy p99", HealthyEditScore.of(healthySlices, 99));
 * TrainedPipeline last = trainer.toBuilder()...listeners(best).build().fit(loader, 8);
 * TrainedPipeline chosen = best.best().orElse(last);
 * }</pre>
 */
public final class BestEpochListener implements TrainingListener<TrainedPipeline> {
    private static final Logger LOG = LoggerFactory.getLogger(BestEpochListener.class);
    private final String name;
    private final ToDoubleFunction<TrainedPipeline> score;
    private ParameterStore bestStore;
    private List<EpochMetrics> bestHistory;
    private int bestEpoch = -1;
    private double bestScore = Double.POSITIVE_INFINITY;
    private dev.coin.core.Pipeline pipeline;

    private BestEpochListener(String name, ToDoubleFunction<TrainedPipeline> score) {
        this.name = Objects.requireNonNull(name, "name");
        this.score = Objects.requireNonNull(score, "score");
    }

    /** Keeps the epoch with the lowest {@code score} (NaN scores never win); {@code name} labels the log lines. */
    public static BestEpochListener lowest(String name, ToDoubleFunction<TrainedPipeline> score) {
        return new BestEpochListener(name, score);
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingContext<? extends TrainedPipeline> c) {
        TrainedPipeline now = c.current();
        pipeline = now.pipeline();
        ParameterStore snapshot = now.parameters().copy();
        double v = score.applyAsDouble(new TrainedPipeline(now.pipeline(), snapshot.copy(), c.history()));
        boolean better = v < bestScore;
        if (better) {
            bestScore = v;
            bestEpoch = metrics.epoch();
            bestStore = snapshot;
            bestHistory = List.copyOf(c.history());
        }
        LOG.info(String.format(Locale.ROOT, "epoch %d: %s %.4f%s", metrics.epoch() + 1, name, v,
                better ? " (best so far)" : "; best is epoch " + (bestEpoch + 1) + " with " + bestScore));
    }

    /** The best epoch's model (weights copied at the end of that epoch), or empty before the first scored epoch. */
    public Optional<TrainedPipeline> best() {
        if (bestStore == null) {
            return Optional.empty();
        }
        return Optional.of(new TrainedPipeline(pipeline, bestStore, bestHistory));
    }

    /** Zero-based index of the best epoch, −1 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best score, +∞ before any. */
    public double bestScore() {
        return bestScore;
    }

    @Override
    public String toString() {
        return "BestEpochListener[lowest " + name + (bestEpoch < 0 ? "" : ", epoch " + (bestEpoch + 1) + " = "
                + bestScore) + "]";
    }
}
