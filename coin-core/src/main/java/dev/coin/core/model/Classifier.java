package dev.coin.core.model;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.ParameterStore;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A binary image classifier (one logit; p = sigmoid(logit) is the probability of "abnormal") that COIN explains.
 * Inputs are NCHW single-channel slices in [−1, 1], fed as they are (no ImageNet normalisation, reference §3.2).
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>inside another graph ({@link #apply}): COIN's generator graph adds the frozen classifier with weights as
 *       constants, so gradients reach the counterfactual but the weights never change;</li>
 *   <li>on its own ({@link #logits}, {@link #probabilities}, {@link #features}, {@link #activations}): host-side
 *       inference in eval mode, batched by the caller.</li>
 * </ul>
 */
public interface Classifier {

    /** The immutable description of the network (architecture, widths, input size); readable {@code toString()}. */
    Object spec();

    /** The weights and batch-norm statistics, keyed by reference-style names. */
    ParameterStore parameters();

    /** Names of layers whose activations {@link #activations} can return (e.g. {@code "layer4"}). */
    List<String> layerNames();

    /**
     * Adds the classifier's eval-mode forward to {@code scope}'s graph (use {@code scope.withTrainable(false)} to
     * freeze it) and returns its outputs. {@code x} is [B, 1, H, W].
     *
     * @param layers names from {@link #layerNames()} whose activations should also be returned
     */
    ClassifierOutputs apply(GraphScope scope, SDVariable x, String... layers);

    /** Logits [B, 1] in eval mode. */
    INDArray logits(INDArray x);

    /** sigmoid(logits) [B, 1]. */
    default INDArray probabilities(INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.sigmoid(logits(x), true);
    }

    /** Penultimate (globally pooled) features [B, F], e.g. for FID and classifier-conditioned batch norm. */
    INDArray features(INDArray x);

    /** Activations of one named layer [B, C, h, w], e.g. ResNet18 {@code layer4} for CAM methods. */
    INDArray activations(INDArray x, String layer);

    /** Trainable parameter count. */
    default long parameterCount() {
        return parameters().trainableParameterCount();
    }

    /**
     * What {@link #apply} returns.
     *
     * @param logits   [B, 1]
     * @param features penultimate features [B, F]
     * @param layers   the requested layer activations, in request order
     */
    record ClassifierOutputs(SDVariable logits, SDVariable features, List<SDVariable> layers) {
    }
}
