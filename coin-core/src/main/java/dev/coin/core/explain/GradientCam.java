package dev.coin.core.explain;

import dev.coin.core.model.Classifier;
import dev.coin.data.image.FloatImage;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared machinery of the gradient-weighted CAMs: activations A and ∂logit/∂A of one layer from
 * {@link LayerGradients}, a per-method combination into an h×w map, bilinear upsampling to the input size
 * (half-pixel centres, clamped edges) and min–max normalisation.
 */
abstract class GradientCam implements SaliencyMethod {
    private final LayerGradients gradients;
    protected final String layer;

    GradientCam(Classifier classifier, String layer) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(layer, "layer (e.g. \"layer4\")");
        this.layer = layer;
        this.gradients = new LayerGradients(classifier, layer);
    }

    /** Combines one image's activations and gradients (each [C][h·w]) into an h·w map (before upsampling). */
    abstract float[] combine(float[] act, float[] grad, int channels, int cells);

    /** eps of the final min–max normalisation. */
    abstract double normalisationEps();

    @Override
    public synchronized FloatImage[] saliency(INDArray x) {
        int[] hw = SaliencyMethod.checkInput(x);
        LayerGradients.Result r = gradients.compute(x);
        INDArray act = r.activations().castTo(DataType.FLOAT).dup('c');
        INDArray grad = r.gradients().castTo(DataType.FLOAT).dup('c');
        int channels = (int) act.size(1);
        int ah = (int) act.size(2);
        int aw = (int) act.size(3);
        int per = channels * ah * aw;
        float[] a = act.data().asFloat();
        float[] g = grad.data().asFloat();
        FloatImage[] out = new FloatImage[(int) x.size(0)];
        for (int s = 0; s < out.length; s++) {
            float[] small = combine(java.util.Arrays.copyOfRange(a, s * per, (s + 1) * per),
                    java.util.Arrays.copyOfRange(g, s * per, (s + 1) * per), channels, ah * aw);
            float[] up = BilinearResize.resize(small, ah, aw, hw[0], hw[1], BilinearResize.Edge.CLAMP);
            MapNormalisation.minMax(up, normalisationEps());
            out[s] = FloatImage.wrap(hw[0], hw[1], up);
        }
        return out;
    }
}
