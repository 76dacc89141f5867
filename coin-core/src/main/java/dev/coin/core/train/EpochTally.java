package dev.coin.core.train;

import dev.coin.core.EpochMetrics;
import dev.coin.core.eval.FlipRate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running sums of one epoch: each logged scalar's mean over the steps that logged it, the step counts, the flip
 * rate of the generator steps, and epoch-level values (validation) set once.
 */
final class EpochTally {
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private final Map<String, Double> epochValues = new LinkedHashMap<>();
    private final FlipRate flips = new FlipRate();
    private int steps;
    private int generatorSteps;

    void addStep(Map<String, Double> values, boolean generatorUpdated) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
            s[0] += e.getValue();
            s[1]++;
        }
        steps++;
        if (generatorUpdated) {
            generatorSteps++;
        }
    }

    /** The flip-rate counter of this epoch (COIN adds p(x), p(x_cf) of its generator steps). */
    FlipRate flips() {
        return flips;
    }

    /** An epoch-level value (e.g. {@code validation/loss}), stored as it is, not averaged. */
    void put(String name, double value) {
        epochValues.put(name, value);
    }

    int steps() {
        return steps;
    }

    EpochMetrics finish(int epoch, double seconds) {
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
        means.putAll(epochValues);
        return new EpochMetrics(epoch, means, flips.value(), (int) flips.abnormal(), steps, generatorSteps, seconds);
    }
}
