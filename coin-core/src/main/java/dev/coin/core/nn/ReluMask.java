package dev.coin.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * The derivative of ReLU at a pre-activation, 1[z > 0], as a graph constant for the backward pass: a directional
 * derivative (tangent) through a ReLU is {@code t ⊙ mask(z)}. The mask carries no gradient (ReLU's second derivative
 * is 0 almost everywhere), so differentiating the tangent with respect to the weights gives the exact second-order
 * terms of a piecewise-linear network, which is what COIN-Aligned's gradient penalty needs.
 */
public final class ReluMask {
    private ReluMask() {
    }

    /** 1 where {@code z > 0}, else 0, in {@code z}'s data type, with no gradient flowing back into {@code z}. */
    public static SDVariable of(GraphScope s, SDVariable z, String name) {
        SDVariable frozen = new StopGradient(s.sd(), z).outputVariable();
        DataType dt = z.dataType();
        return frozen.gt(0.0).castTo(s.opName(name), dt);
    }
}
