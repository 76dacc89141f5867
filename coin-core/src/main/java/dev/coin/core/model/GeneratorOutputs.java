package dev.coin.core.model;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The graph variables of one generator application.
 *
 * @param counterfactual {@code x_cf} (N,1,H,W) in (−1, 1)
 * @param map            the decoder output {@code g} (N,1,H,W), unbounded
 * @param features       encoder block outputs f1…f5 (the stem output is not included)
 */
public record GeneratorOutputs(SDVariable counterfactual, SDVariable map, List<SDVariable> features) {
    public GeneratorOutputs {
        features = List.copyOf(features);
    }
}
