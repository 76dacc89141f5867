package dev.coin.core.explain;

import dev.coin.core.model.Classifier;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Activations A of one classifier layer and the gradient ∂logit/∂A, for gradient-weighted CAM methods.
 *
 * <p>The classifier is added to a private SameDiff graph with its weights as constants (eval mode), the input as a
 * placeholder {@code x}, and loss = Σ_batch logit. Samples are independent in eval mode, so the gradient of that
 * sum w.r.t. A is each sample's own ∂logit/∂A.
 *
 * <p>What works in SameDiff 1.0.0-M2.1 (checked by {@code LayerGradientsTest} against the closed form): requesting
 * the gradient of an intermediate (ARRAY-type) op output by name from {@code calculateGradientsAndOutputs}, so the
 * classifier graph need not be split at the layer. What does not: building a gradient graph whose loss depends on
 * no trainable VARIABLE ("graph does not contain any trainable SDVariables") — which a frozen classifier is; the
 * input is therefore multiplied by a scalar variable fixed at 1. The graph is built on first use and rebuilt
 * when the input's channel/height/width change.
 *
 * <p>Not thread-safe (one graph, one session).
 */
public final class LayerGradients {
    private final Classifier classifier;
    private final String layer;
    private SameDiff sd;
    private String activationName;
    private String logitName;
    private long[] builtFor;

    /** Gradients of {@code classifier}'s logit w.r.t. layer {@code layer} (one of its {@code layerNames()}). */
    public LayerGradients(Classifier classifier, String layer) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.layer = Objects.requireNonNull(layer, "layer");
        if (!classifier.layerNames().contains(layer)) {
            throw new IllegalArgumentException("layer '" + layer + "' is not one of the classifier's layers "
                    + classifier.layerNames() + "; pick one of those");
        }
    }

    /** Activations and gradients, both [B, C, h, w]. */
    public record Result(INDArray activations, INDArray gradients) {
    }

    /** Runs the forward and backward pass for {@code x} [B, 1, H, W]. */
    public Result compute(INDArray x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("x must be [B, 1, H, W], got shape " + java.util.Arrays.toString(x.shape()));
        }
        if (sd == null || !java.util.Arrays.equals(builtFor, new long[] {x.size(1), x.size(2), x.size(3)})) {
            build(x);
        }
        INDArray xf = x.castTo(classifier.parameters().dataType());
        // one forward + backward pass returns both the activation and its gradient
        OutAndGrad og = sd.calculateGradientsAndOutputs(Map.of("x", xf), List.of(activationName), List.of(activationName));
        INDArray act = og.getOutputs().get(activationName).dup();
        INDArray g = og.getGradients().get(activationName);
        if (g == null) {
            throw new IllegalStateException("SameDiff returned no gradient for layer '" + layer + "' (variable "
                    + activationName + ")");
        }
        return new Result(act, g.dup());
    }

    private void build(INDArray x) {
        SameDiff graph = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        DataType dt = classifier.parameters().dataType();
        SDVariable in = graph.placeHolder("x", dt, -1, x.size(1), x.size(2), x.size(3));
        GraphScope scope = GraphScope.create(graph, classifier.parameters()).withMode(Mode.EVAL).withTrainable(false);
        // M2.1 refuses to build a gradient graph unless the loss depends on a trainable VARIABLE; the frozen
        // classifier has none, so the input passes through a scalar variable fixed at 1.
        SDVariable one = graph.var("cam_unit_scale", Nd4j.scalar(dt, 1.0));
        Classifier.ClassifierOutputs outs = classifier.apply(scope, in.mul(one), layer);
        SDVariable loss = outs.logits().sum("cam_loss");
        graph.setLossVariables(loss);
        activationName = outs.layers().get(0).name();
        logitName = outs.logits().name();
        sd = graph;
        builtFor = new long[] {x.size(1), x.size(2), x.size(3)};
    }

    @Override
    public String toString() {
        return "LayerGradients[layer=" + layer + ", logit=" + logitName + "]";
    }
}
