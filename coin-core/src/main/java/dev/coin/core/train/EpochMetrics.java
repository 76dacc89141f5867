package dev.coin.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Averages of one epoch: each discriminator scalar over all steps, each generator scalar over the generator steps,
 * and the flip rate.
 *
 * @param epoch            0-based epoch
 * @param losses           name → mean ({@code loss/adv}, {@code loss/kl/raw}, {@code loss/d_adv/real}, …)
 * @param flipRate         of the slices the classifier called abnormal (p ≥ 0.5) in generator steps, the fraction
 *                         whose counterfactual it calls normal (p(x_cf) &lt; 0.5); NaN when there was none
 * @param abnormalSlices   how many abnormal-predicted slices {@code flipRate} is over
 * @param steps            steps in the epoch
 * @param generatorSteps   generator updates in the epoch
 * @param seconds          wall time of the epoch
 */
public record EpochMetrics(int epoch, Map<String, Double> losses, double flipRate, int abnormalSlices, int steps,
                           int generatorSteps, double seconds) {
    public EpochMetrics {
        losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses));
    }

    /** The mean of {@code name}, or NaN when it was not logged. */
    public double loss(String name) {
        return losses.getOrDefault(name, Double.NaN);
    }
}
