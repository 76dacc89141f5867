package dev.coin.core.nn.internal;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torchvision's EfficientNet {@code MBConv} (expand ratio > 1): {@code block.0} 1×1 expand conv + BN + SiLU,
 * {@code block.1} depthwise k×k (stride) + BN + SiLU, {@code block.2} squeeze-excitation (squeeze =
 * max(1, in/4)), {@code block.3} 1×1 projection + BN; residual added when stride 1 and in = out. Stochastic
 * depth (training only in torchvision) is not applied.
 *
 * <pre>{@code
 * MBConv b = new MBConv("features.4.0", 64, 128, 4, 3, 2, 1e-3);
 * }</pre>
 */
public record MBConv(String name, int in, int out, int expandedChannels, int kernel, int stride, double eps) implements Layer {
    public MBConv {
        if (expandedChannels == in) {
            throw new IllegalArgumentException("MBConv '" + name + "': expandedChannels equals in (" + in
                    + "); torchvision then omits the expand conv, which this block does not model");
        }
    }

    /** Whether the input is added to the output. */
    public boolean residual() {
        return stride == 1 && in == out;
    }

    private ConvNormActivation expand() {
        return new ConvNormActivation(name + ".block.0", in, expandedChannels, 1, 1, false, true, eps);
    }

    private ConvNormActivation depthwise() {
        return new ConvNormActivation(name + ".block.1", expandedChannels, expandedChannels, kernel, stride, true, true, eps);
    }

    private SqueezeExcitation se() {
        return new SqueezeExcitation(name + ".block.2", expandedChannels, Math.max(1, in / 4));
    }

    private ConvNormActivation project() {
        return new ConvNormActivation(name + ".block.3", expandedChannels, out, 1, 1, false, false, eps);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        expand().declare(store, rng);
        depthwise().declare(store, rng);
        se().declare(store, rng);
        project().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return expand().parameterCount() + depthwise().parameterCount() + se().parameterCount() + project().parameterCount();
    }

    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable y = project().apply(s, se().apply(s, depthwise().apply(s, expand().apply(s, x))));
        return residual() ? y.add(s.opName(name), x) : y;
    }
}
