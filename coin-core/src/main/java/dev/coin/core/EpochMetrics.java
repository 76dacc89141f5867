package dev.coin.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
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

    /** A JSON-ready map of every field (read back with {@link #fromJson}); used by checkpoints and saved models. */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("epoch", epoch);
        o.put("losses", losses);
        o.put("flipRate", flipRate);
        o.put("abnormalSlices", abnormalSlices);
        o.put("steps", steps);
        o.put("generatorSteps", generatorSteps);
        o.put("seconds", seconds);
        return o;
    }

    /** Reads what {@link #toJson} wrote. */
    public static EpochMetrics fromJson(JsonNode n) {
        Map<String, Double> losses = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("losses").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            losses.put(e.getKey(), e.getValue().asDouble());
        }
        return new EpochMetrics(n.path("epoch").asInt(), losses, n.path("flipRate").asDouble(),
                n.path("abnormalSlices").asInt(), n.path("steps").asInt(), n.path("generatorSteps").asInt(),
                n.path("seconds").asDouble());
    }
}
