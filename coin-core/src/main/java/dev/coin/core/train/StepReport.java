package dev.coin.core.train;

import java.util.Map;

/**
 * One finished training step.
 *
 * @param epoch          0-based epoch
 * @param batch          0-based batch index in the epoch
 * @param globalStep     epoch·len(loader) + batch
 * @param generatorStep  whether the generator was updated in this step
 * @param losses         loss scalars of this step by variable name ({@code loss/adv}, {@code loss/d_adv/real}, …);
 *                       generator values only on generator steps
 * @param seconds        wall time of the step
 */
public record StepReport(int epoch, int batch, long globalStep, boolean generatorStep, Map<String, Double> losses,
                         double seconds) {
    public StepReport {
        losses = Map.copyOf(losses);
    }
}
