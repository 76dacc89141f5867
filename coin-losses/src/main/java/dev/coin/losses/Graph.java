package dev.coin.losses;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;

/**
 * The few graph primitives the terms share. Only ops whose gradients were verified on SameDiff 1.0.0-M2.1 (see the
 * gradient-check tests): abs, softplus, relu, square, log, clipByValue, mean/sum reductions, strided slices,
 * constant padding, max pooling, multiplication by Java constants.
 */
final class Graph {
    private Graph() {
    }

    /** mean |a − b| over all elements (PyTorch {@code L1Loss}, mean reduction). */
    static SDVariable l1(SameDiff sd, SDVariable a, SDVariable b) {
        return sd.mean(sd.math.abs(a.sub(b)));
    }

    /**
     * Numerically stable softplus ln(1 + eᶻ) = z/2 + |z|/2 + ln(1 + e^(−|z|)).
     *
     * <p>{@code sd.nn.softplus} (and {@code −logSigmoid(−z)}) overflow to +∞ in float32 for z ≳ 89, which a
     * confident discriminator reaches. The split form never exponentiates a positive number. It is written with z/2 +
     * |z|/2 rather than relu(z) so that the gradient at exactly z = 0 is the correct ½: both relu'(0) and abs'(0) are
     * 0 in ND4J, and the |z| kinks cancel here.
     */
    static SDVariable softplus(SameDiff sd, SDVariable z) {
        SDVariable absZ = sd.math.abs(z);
        return z.add(absZ).mul(0.5).add(sd.math.log1p(sd.math.exp(absZ.neg())));
    }

    /** BCE-with-logits against target 1, elementwise: softplus(−l). */
    static SDVariable bceOne(SameDiff sd, SDVariable logits) {
        return softplus(sd, logits.neg());
    }

    /** BCE-with-logits against target 0, elementwise: softplus(l). */
    static SDVariable bceZero(SameDiff sd, SDVariable logits) {
        return softplus(sd, logits);
    }

    /**
     * {@code x[..., from:]} or {@code x[..., :to]} along one axis of a rank-4 tensor without knowing its shape.
     *
     * @param axis  2 (H) or 3 (W)
     * @param begin start index, or 0 with {@code toEnd=false}
     * @param end   exclusive end (negative counts from the end); ignored when {@code toEnd}
     */
    static SDVariable sliceAxis(SameDiff sd, SDVariable x, int axis, long begin, long end, boolean toEnd) {
        long[] b = new long[4];
        long[] e = new long[4];
        long[] s = {1, 1, 1, 1};
        b[axis] = begin;
        e[axis] = end;
        int others = 0b1111 & ~(1 << axis);
        int endMask = toEnd ? 0b1111 : others;
        return sd.stridedSlice(x, b, e, s, others, endMask, 0, 0, 0);
    }

    /** Channel {@code c} of a rank-4 tensor, kept as {@code [B, 1, H, W]}. */
    static SDVariable channel(SameDiff sd, SDVariable x, int c) {
        long[] b = {0, c, 0, 0};
        long[] e = {0, c + 1, 0, 0};
        int others = 0b1101;
        return sd.stridedSlice(x, b, e, new long[] {1, 1, 1, 1}, others, others, 0, 0, 0);
    }

    /** Grey dilation: k×k max pooling, stride 1, no padding, NCHW (output {@code H−k+1 × W−k+1}). */
    static SDVariable maxPoolValid(SameDiff sd, SDVariable x, int k) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).type(Pooling2D.Pooling2DType.MAX).build();
        return sd.cnn.maxPooling2d(x, cfg);
    }
}
