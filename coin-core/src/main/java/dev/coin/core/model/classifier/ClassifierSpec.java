package dev.coin.core.model.classifier;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The immutable description of a classifier architecture: enough to rebuild the network (and so to read its
 * weights back). Written as a small JSON object next to the weights by {@link GraphClassifier#save}.
 */
public interface ClassifierSpec {
    /** The architecture key written to JSON ({@code "resnet18"}, {@code "efficientnet_v2_s"}). */
    String architecture();

    /** Trainable parameters, computed from the layer shapes without allocating anything. */
    long parameterCount();

    /**
     * Width F of the penultimate (globally pooled) features {@link GraphClassifier#features} returns, known without
     * a forward pass: what a generator with {@code Conditioning.features(F)} needs (COIN-Aligned, reference §9.5).
     */
    int featureWidth();

    /** The options as JSON-friendly values (the architecture key is added by the writer). */
    Map<String, Object> options();

    /** A freshly initialised network (seeded; {@code DataType.DOUBLE} for gradient checks). */
    GraphClassifier create(long seed, DataType dataType);

    /** A freshly initialised single-precision network. */
    default GraphClassifier create(long seed) {
        return create(seed, DataType.FLOAT);
    }
}
