package dev.coin.core.explain;

import dev.coin.core.model.Classifier;

/**
 * Layer-CAM (Jiang et al. 2021) as in the reference (§8): cam = Σ_k A_k ⊙ ReLU(∂logit/∂A_k), bilinear upsample to
 * the input size (align_corners false), min–max with +1e-8 in the denominator. No extra ReLU on the sum (the
 * reference has none; post-ReLU layers make it non-negative anyway). Gradients come from a SameDiff graph of the
 * frozen classifier ({@link LayerGradients}).
 *
 * <pre>{@code
 * FloatImage[] maps = new LayerCam(resnet, "layer4").saliency(x);
 * }</pre>
 */
public final class LayerCam extends GradientCam {

    public LayerCam(Classifier classifier, String layer) {
        super(classifier, layer);
    }

    @Override
    float[] combine(float[] act, float[] grad, int channels, int cells) {
        float[] cam = new float[cells];
        for (int k = 0; k < channels; k++) {
            for (int p = 0; p < cells; p++) {
                float gk = grad[k * cells + p];
                if (gk > 0) {
                    cam[p] += act[k * cells + p] * gk;
                }
            }
        }
        return cam;
    }

    @Override
    double normalisationEps() {
        return 1e-8;
    }

    @Override
    public String name() {
        return "LayerCAM";
    }

    @Override
    public String toString() {
        return "LayerCam[layer=" + layer + "]";
    }
}
