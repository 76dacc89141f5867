package dev.coin.core.nn.internal;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * {@code nn.Conv2d(in, out, kernel, stride, padding, bias)} with any odd kernel, stride and explicit zero padding
 * (torchvision's classifiers: the 7×7 stride-2 ResNet stem, 1×1 stride-2 downsamples, 3×3 stride-2 stems).
 * Weights are initialised as torchvision does for its classifiers: Kaiming normal, mode fan_out, ReLU gain
 * (N(0, 2/(out·k²))); the bias, when present, is zero.
 *
 * <p>Parameters: {@code <name>.weight} (graph layout {@code [k,k,in,out]}), {@code <name>.bias} when {@link #bias()}.
 *
 * <pre>{@code
 * StridedConv2d stem = StridedConv2d.of("conv1", 1, 64, 7, 2, 3);
 * SDVariable y = stem.apply(scope, x);   // (N,1,H,W) → (N,64,⌊(H−1)/2⌋+1, …)
 * }</pre>
 */
public record StridedConv2d(String name, int in, int out, int kernel, int stride, int padding, boolean bias)
        implements Layer {
    public StridedConv2d {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("conv '" + name + "': channels must be > 0, got in=" + in + ", out=" + out);
        }
        if (kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("conv '" + name + "': kernel and stride must be > 0 and padding >= 0, got kernel="
                    + kernel + ", stride=" + stride + ", padding=" + padding);
        }
    }

    /** No bias. */
    public static StridedConv2d of(String name, int in, int out, int kernel, int stride, int padding) {
        return new StridedConv2d(name, in, out, kernel, stride, padding, false);
    }

    public StridedConv2d withBias(boolean b) {
        return new StridedConv2d(name, in, out, kernel, stride, padding, b);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        double std = Math.sqrt(2.0 / ((double) out * kernel * kernel));
        store.add(name + ".weight", ParameterKind.CONV_WEIGHT, Init.normal(rng, store.dataType(), 0, std, kernel, kernel, in, out));
        if (bias) {
            store.add(name + ".bias", ParameterKind.PLAIN, Init.constant(store.dataType(), 0.0, out));
        }
    }

    @Override
    public long parameterCount() {
        return (long) kernel * kernel * in * out + (bias ? out : 0);
    }

    /** Spatial output size for an input of size {@code size}, as PyTorch computes it. */
    public int outputSize(int size) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /** Adds the convolution; {@code x} is NCHW with {@link #in()} channels. */
    public SDVariable apply(GraphScope s, SDVariable x) {
        Conv2DConfig cfg = config(kernel, stride, padding);
        SDVariable w = s.param(name + ".weight");
        String op = s.opName(name);
        return bias ? s.sd().cnn().conv2d(op, x, w, s.param(name + ".bias"), cfg) : s.sd().cnn().conv2d(op, x, w, cfg);
    }

    static Conv2DConfig config(int kernel, int stride, int padding) {
        return Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
    }

    @Override
    public String toString() {
        return "StridedConv2d[" + name + ": " + in + "→" + out + ", " + kernel + "×" + kernel + " s" + stride + " p" + padding
                + (bias ? ", bias" : "") + "]";
    }
}
