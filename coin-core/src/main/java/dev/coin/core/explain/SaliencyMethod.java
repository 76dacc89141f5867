package dev.coin.core.explain;

import dev.coin.data.image.FloatImage;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A method that explains a classifier's "abnormal" decision with a per-pixel map, shared by the attribution
 * baselines (RISE, ScoreCAM, LayerCAM, GradCAM) and COIN's counterfactual difference maps, so the evaluation code
 * treats them alike.
 *
 * <pre>{@code
 * SaliencyMethod rise = Rise.builder().classifier(clf).seed(1).build();
 * FloatImage[] maps = rise.saliency(batch);      // batch [B, 1, H, W] in [-1, 1]
 * FloatImage mask = Masks.threshold(maps[0], Masks.DEFAULT_SALIENCY_THRESHOLD);
 * }</pre>
 */
public interface SaliencyMethod {

    /** Short name used in reports, e.g. {@code "RISE"}. */
    String name();

    /**
     * One map per input image, at the input size, with values in [0, 1] (1 = most important). A map that carries
     * no information (constant before normalisation) is returned as all zeros.
     *
     * @param x [B, 1, H, W] images in [−1, 1]
     */
    FloatImage[] saliency(INDArray x);

    /** Checks the input layout shared by all methods; returns {H, W}. */
    static int[] checkInput(INDArray x) {
        if (x == null || x.rank() != 4 || x.size(1) != 1 || x.size(0) < 1) {
            throw new IllegalArgumentException("x must be a [B, 1, H, W] batch with B >= 1, got shape "
                    + (x == null ? "null" : java.util.Arrays.toString(x.shape())) + "; add the channel axis with reshape");
        }
        return new int[] {(int) x.size(2), (int) x.size(3)};
    }
}
