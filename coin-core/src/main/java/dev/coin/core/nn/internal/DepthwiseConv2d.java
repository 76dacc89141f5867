package dev.coin.core.nn.internal;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code nn.Conv2d(c, c, kernel, stride, padding, groups=c, bias=False)}: one k×k filter per channel
 * (EfficientNet's MBConv). Kaiming normal fan_out init as torchvision, where PyTorch's fan_out of the
 * {@code [c,1,k,k]} weight is c·k² (it does not divide by groups).
 *
 * <p>Parameter {@code <name>.weight} is kept as {@code [k,k,1,c]} ({@link ParameterKind#CONV_WEIGHT} with in = 1),
 * so the state_dict conversion yields PyTorch's {@code [c,1,k,k]}; the graph reshapes it to SameDiff's depthwise
 * layout {@code [k,k,c,1]} (same memory order).
 *
 * <pre>{@code
 * DepthwiseConv2d dw = new DepthwiseConv2d("features.4.0.block.1.0", 256, 3, 2, 1);
 * }</pre>
 */
public record DepthwiseConv2d(String name, int channels, int kernel, int stride, int padding) implements Layer {
    public DepthwiseConv2d {
        if (channels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("depthwise conv '" + name + "': need channels, kernel, stride > 0 and padding >= 0, got channels="
                    + channels + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        double std = Math.sqrt(2.0 / ((double) channels * kernel * kernel));
        store.add(name + ".weight", ParameterKind.CONV_WEIGHT, Init.normal(rng, store.dataType(), 0, std, kernel, kernel, 1, channels));
    }

    @Override
    public long parameterCount() {
        return (long) kernel * kernel * channels;
    }

    /** Adds the depthwise convolution; {@code x} is NCHW with {@link #channels()} channels. */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable w = s.param(name + ".weight").reshape(kernel, kernel, channels, 1);
        return s.sd().cnn().depthWiseConv2d(s.opName(name), x, w, StridedConv2d.config(kernel, stride, padding));
    }

    @Override
    public String toString() {
        return "DepthwiseConv2d[" + name + ": " + channels + ", " + kernel + "×" + kernel + " s" + stride + " p" + padding + "]";
    }
}
