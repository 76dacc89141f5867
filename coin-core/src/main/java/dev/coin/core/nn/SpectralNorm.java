package dev.coin.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference's host-side spectral normalisation step (COIN's custom {@code SNConv2d} / {@code SNLinear}, not
 * PyTorch's {@code spectral_norm}).
 *
 * <p>One power iteration per forward call: with {@code W} the weight as an {@code (out, in·k·k)} matrix,
 * {@code v = normalize(u·W)}, {@code u = normalize(v·Wᵀ)}, {@code σ = u·W·vᵀ}, where
 * {@code normalize(x) = x / (‖x‖₂ + 1e-12)}; the buffer {@code u} is replaced by the new {@code u}. The graph then
 * uses {@code W · (1/σ)} with {@code 1/σ} a constant, so no gradient flows through σ (as in the reference).
 * The column order of the flattened kernel does not change {@code u} or σ, so the graph layout is used as is.
 */
public final class SpectralNorm {
    /** The reference's normalisation epsilon. */
    public static final double EPS = 1e-12;

    private SpectralNorm() {
    }

    /**
     * Advances {@code u} in place by one power iteration and returns σ.
     *
     * @param weight graph-layout weight ({@link ParameterKind#CONV_WEIGHT} {@code [k,k,in,out]} or
     *               {@link ParameterKind#LINEAR_WEIGHT} {@code [in,out]})
     * @param kind   which layout {@code weight} has
     * @param u      the {@code (1, out)} buffer, updated in place
     */
    public static double powerIterate(INDArray weight, ParameterKind kind, INDArray u) {
        INDArray wMat = asOutByFanIn(weight, kind);
        long out = wMat.size(0);
        if (u.length() != out) {
            throw new IllegalArgumentException("u has " + u.length() + " elements but the weight has " + out
                    + " output units; u must have shape (1, out)");
        }
        INDArray u0 = u.reshape(1, out).castTo(wMat.dataType());
        INDArray v = u0.mmul(wMat);                       // (1, K)
        v.divi(v.norm2Number().doubleValue() + EPS);
        INDArray u1 = v.mmul(wMat.transpose());          // (1, out)
        u1.divi(u1.norm2Number().doubleValue() + EPS);
        double sigma = u1.mmul(wMat).mmul(v.transpose()).getDouble(0);
        u.assign(u1.reshape(u.shape()));
        return sigma;
    }

    /** The weight as the reference's {@code (out, in·k·k)} matrix (a copy with some column order). */
    static INDArray asOutByFanIn(INDArray weight, ParameterKind kind) {
        switch (kind) {
            case CONV_WEIGHT:
                if (weight.rank() != 4) {
                    throw new IllegalArgumentException("conv weight must be rank 4 [kH,kW,in,out], got " + weight.shapeInfoToString());
                }
                return weight.permute(3, 0, 1, 2).dup('c').reshape('c', weight.size(3), -1);
            case LINEAR_WEIGHT:
                if (weight.rank() != 2) {
                    throw new IllegalArgumentException("linear weight must be rank 2 [in,out], got " + weight.shapeInfoToString());
                }
                return weight.transpose().dup('c');
            default:
                throw new IllegalArgumentException("kind " + kind + " is not a weight; use CONV_WEIGHT or LINEAR_WEIGHT");
        }
    }
}
