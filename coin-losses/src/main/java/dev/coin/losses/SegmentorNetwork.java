package dev.coin.losses;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A frozen segmentation network as seen by the loss terms: adds its forward pass to a graph and returns the
 * probability map of the structure it segments (e.g. the kidney). coin-losses knows no networks, so this is the
 * one small interface through which {@link SegmentorInputs} and {@link SegmentorGuidance} reach one; coin-core's
 * {@code UNetSegmentor} implements it, and so can a lambda over any SameDiff-built network.
 *
 * <p>The contract of {@link #segment}:
 * <ul>
 *   <li>{@code x} is {@code [B, 1, H, W]} in image space [−1, 1]; the result is {@code [B, 1, H, W]} with values in
 *       [0, 1] (apply the sigmoid);</li>
 *   <li>the network's weights are <b>constants</b> of {@code sd} (never trainable variables: the generator's
 *       optimiser would update them), and the result is differentiable with respect to {@code x}, so the gradient
 *       reaches the counterfactual through the frozen network;</li>
 *   <li>inference-mode behaviour (batch norm with running statistics, no dropout), whatever else the graph trains;
 *   </li>
 *   <li>op names start with {@code call} (the graph holds two applications, on x and on x_cf); parameter names
 *       must not clash with the other networks of the graph (the library's segmentor prefixes them {@code seg.}).
 *   </li>
 * </ul>
 *
 * <pre>{@code
 * SegmentorNetwork threshold = (sd, x, call) ->            // a toy "segmentor": sigmoid(10·(x − 0.2))
 *         sd.nn.sigmoid(call + "/p", x.sub(0.2).mul(10.0));
 * SegmentorGuidance term = SegmentorGuidance.of(threshold).weight(0.5);
 * }</pre>
 */
@FunctionalInterface
public interface SegmentorNetwork {

    /**
     * Adds the frozen forward to {@code sd} and returns the probability map {@code [B, 1, H, W]} in [0, 1].
     *
     * @param sd   the graph (in a trainer: the generator's graph, on its shared array holder)
     * @param x    the images, {@code [B, 1, H, W]} in [−1, 1]
     * @param call a prefix for this application's op names, unique in the graph (e.g. {@code seg_x})
     */
    SDVariable segment(SameDiff sd, SDVariable x, String call);

    /**
     * What identifies the network in checkpoints and provenance: its architecture and, where it can, a fingerprint
     * of its weights (a resumed run with another segmentor is then refused). Defaults to the class name.
     */
    default String identity() {
        return getClass().getName();
    }
}
