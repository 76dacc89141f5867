package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * A stride-1 NCHW convolution with PyTorch semantics: kernel 1×1 (no padding) or 3×3 (zero padding 1), optional
 * bias (PyTorch default init U(±1/√fan_in)), optional spectral normalisation as in the reference (weight·(1/σ),
 * σ from the host-side power iteration, a constant).
 *
 * <p>Parameters: {@code <name>.weight} (graph layout {@code [k,k,in,out]}), {@code <name>.bias} when
 * {@link #bias()}, {@code <name>.u} ({@code (1,out)}, N(0,1)) when {@link #spectralNorm()}.
 *
 * <pre>{@code
 * Conv2d c = Conv2d.of("enc.blocks.0.right_branch.3", 64, 128, 3).withInit(WeightInit.xavierUniform(Math.sqrt(2)));
 * SDVariable y = c.apply(scope, x);
 * }</pre>
 */
public record Conv2d(String name, int in, int out, int kernel, boolean bias, WeightInit init, boolean spectralNorm)
        implements Layer {
    public Conv2d {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("conv '" + name + "': channels must be > 0, got in=" + in + ", out=" + out);
        }
        if (kernel != 1 && kernel != 3) {
            throw new IllegalArgumentException("conv '" + name + "': kernel must be 1 or 3, got " + kernel);
        }
    }

    /** No bias, no spectral norm, Xavier uniform gain 1. */
    public static Conv2d of(String name, int in, int out, int kernel) {
        return new Conv2d(name, in, out, kernel, false, WeightInit.xavierUniform(1.0), false);
    }

    public Conv2d withBias(boolean b) {
        return new Conv2d(name, in, out, kernel, b, init, spectralNorm);
    }

    public Conv2d withInit(WeightInit i) {
        return new Conv2d(name, in, out, kernel, bias, i, spectralNorm);
    }

    public Conv2d withSpectralNorm(boolean sn) {
        return new Conv2d(name, in, out, kernel, bias, init, sn);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        long k2 = (long) kernel * kernel;
        store.add(name + ".weight", ParameterKind.CONV_WEIGHT,
                init.sample(rng, store.dataType(), in * k2, out * k2, kernel, kernel, in, out));
        if (bias) {
            store.add(name + ".bias", ParameterKind.PLAIN, Init.defaultBias(rng, store.dataType(), in * k2, out));
        }
        if (spectralNorm) {
            store.add(name + ".u", ParameterKind.SN_VECTOR, Init.normal(rng, store.dataType(), 0, 1, 1, out));
        }
    }

    @Override
    public long parameterCount() {
        return (long) kernel * kernel * in * out + (bias ? out : 0);
    }

    /** Adds the convolution to the graph; {@code x} is NCHW with {@link #in()} channels. */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable w = weight(s);
        String op = s.opName(name);
        return bias ? s.sd().cnn().conv2d(op, x, w, s.param(name + ".bias"), config())
                : s.sd().cnn().conv2d(op, x, w, config());
    }

    /** The weight as the graph uses it: divided by σ under spectral norm. */
    private SDVariable weight(GraphScope s) {
        SDVariable w = s.param(name + ".weight");
        return spectralNorm ? w.mul(s.inverseSigma(name, ParameterKind.CONV_WEIGHT)) : w;
    }

    /** Stride 1, "same" padding for the odd kernel, NCHW. */
    private Conv2DConfig config() {
        int pad = kernel / 2;
        return Conv2DConfig.builder().kH(kernel).kW(kernel).sH(1).sW(1).pH(pad).pW(pad).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
    }

    /**
     * The convolution's linear part, without bias: its directional derivative along a tangent {@code t}. Use a scope
     * whose spectral norm is {@linkplain GraphScope#withSpectralNormOf that of the primal call}, so both divide by
     * the same σ.
     */
    public SDVariable applyLinearPart(GraphScope s, SDVariable t) {
        return s.sd().cnn().conv2d(s.opName(name), t, weight(s), config());
    }

    @Override
    public String toString() {
        return "Conv2d[" + name + ": " + in + "→" + out + ", " + kernel + "×" + kernel + (bias ? ", bias" : "")
                + (spectralNorm ? ", SN" : "") + ", " + init + "]";
    }
}
