package dev.coin.core.nn.internal;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torchvision's EfficientNetV2 {@code FusedMBConv}: with expansion, {@code block.0} k×k conv (stride) + BN + SiLU
 * to the expanded width and {@code block.1} 1×1 projection + BN; without expansion a single {@code block.0}
 * k×k conv + BN + SiLU. Residual added when stride 1 and in = out; stochastic depth not applied.
 *
 * <pre>{@code
 * FusedMBConv b = new FusedMBConv("features.2.0", 24, 48, 96, 3, 2, 1e-3);
 * }</pre>
 */
public record FusedMBConv(String name, int in, int out, int expandedChannels, int kernel, int stride, double eps)
        implements Layer {

    public boolean residual() {
        return stride == 1 && in == out;
    }

    private boolean expands() {
        return expandedChannels != in;
    }

    private ConvNormActivation first() {
        return new ConvNormActivation(name + ".block.0", in, expands() ? expandedChannels : out, kernel, stride, false, true, eps);
    }

    private ConvNormActivation project() {
        return new ConvNormActivation(name + ".block.1", expandedChannels, out, 1, 1, false, false, eps);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        first().declare(store, rng);
        if (expands()) {
            project().declare(store, rng);
        }
    }

    @Override
    public long parameterCount() {
        return first().parameterCount() + (expands() ? project().parameterCount() : 0);
    }

    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable y = first().apply(s, x);
        if (expands()) {
            y = project().apply(s, y);
        }
        return residual() ? y.add(s.opName(name), x) : y;
    }
}
