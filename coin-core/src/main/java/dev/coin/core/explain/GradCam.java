package dev.coin.core.explain;

import dev.coin.core.model.Classifier;

/**
 * Grad-CAM (Selvaraju et al. 2017): w_k = spatial mean of ∂logit/∂A_k, cam = ReLU(Σ_k w_k A_k), bilinear upsample
 * to the input size (align_corners false), min–max to [0, 1] (constant → zeros). Not one of the reference's
 * baselines; included for comparison.
 *
 * <pre>{@code
 * FloatImage[] maps = new GradCam(resnet, "layer4").saliency(x);
 * }</pre>
 */
public final class GradCam extends GradientCam {

    public GradCam(Classifier classifier, String layer) {
        super(classifier, layer);
    }

    @Override
    float[] combine(float[] act, float[] grad, int channels, int cells) {
        float[] cam = new float[cells];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < cells; p++) {
                mean += grad[k * cells + p];
            }
            float wk = (float) (mean / cells);
            for (int p = 0; p < cells; p++) {
                cam[p] += wk * act[k * cells + p];
            }
        }
        MapNormalisation.relu(cam);
        return cam;
    }

    @Override
    double normalisationEps() {
        return 0;
    }

    @Override
    public String name() {
        return "GradCAM";
    }

    @Override
    public String toString() {
        return "GradCam[layer=" + layer + "]";
    }
}
