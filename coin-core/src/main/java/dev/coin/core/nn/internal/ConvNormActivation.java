package dev.coin.core.nn.internal;

import dev.coin.core.nn.BatchNorm2dEps;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torchvision's {@code Conv2dNormActivation}: a bias-free convolution ({@code <name>.0}, padding (k−1)/2, optionally
 * depthwise), batch norm with epsilon {@code eps} ({@code <name>.1}) and, when {@link #silu()}, SiLU
 * ({@code x·sigmoid(x)}); otherwise no activation (EfficientNet's projection convs).
 *
 * <pre>{@code
 * ConvNormActivation stem = new ConvNormActivation("features.0", 1, 24, 3, 2, false, true, 1e-3);
 * }</pre>
 */
public record ConvNormActivation(String name, int in, int out, int kernel, int stride, boolean depthwise, boolean silu,
                                 double eps) implements Layer {
    public ConvNormActivation {
        if (depthwise && in != out) {
            throw new IllegalArgumentException("'" + name + "': a depthwise conv keeps the channel count, got in=" + in
                    + ", out=" + out);
        }
    }

    private Layer conv() {
        return depthwise ? new DepthwiseConv2d(name + ".0", in, kernel, stride, (kernel - 1) / 2)
                : StridedConv2d.of(name + ".0", in, out, kernel, stride, (kernel - 1) / 2);
    }

    private BatchNorm2dEps bn() {
        return new BatchNorm2dEps(name + ".1", out, eps);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        conv().declare(store, rng);
        bn().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return conv().parameterCount() + bn().parameterCount();
    }

    /** (N, in, H, W) → (N, out, ⌈H/stride⌉, ⌈W/stride⌉). */
    public SDVariable apply(GraphScope s, SDVariable x) {
        Layer c = conv();
        SDVariable y = c instanceof DepthwiseConv2d d ? d.apply(s, x) : ((StridedConv2d) c).apply(s, x);
        y = bn().apply(s, y);
        return silu ? silu(s, y, name) : y;
    }

    /** {@code x·sigmoid(x)}. */
    static SDVariable silu(GraphScope s, SDVariable x, String name) {
        return x.mul(s.opName(name + ".silu"), s.sd().nn().sigmoid(x));
    }

    @Override
    public String toString() {
        return "ConvNormActivation[" + name + ": " + in + "→" + out + ", " + kernel + "×" + kernel + " s" + stride
                + (depthwise ? ", depthwise" : "") + (silu ? ", SiLU" : "") + ", eps " + eps + "]";
    }
}
