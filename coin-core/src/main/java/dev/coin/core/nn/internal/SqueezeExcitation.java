package dev.coin.core.nn.internal;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torchvision's {@code SqueezeExcitation} with SiLU: {@code x · sigmoid(fc2(silu(fc1(mean_HW(x)))))}, where
 * {@code fc1}/{@code fc2} are 1×1 convolutions with bias ({@code <name>.fc1}: channels → squeeze,
 * {@code <name>.fc2}: squeeze → channels).
 *
 * <pre>{@code
 * SqueezeExcitation se = new SqueezeExcitation("features.4.0.block.2", 256, 16);
 * }</pre>
 */
public record SqueezeExcitation(String name, int channels, int squeeze) implements Layer {
    public SqueezeExcitation {
        if (channels <= 0 || squeeze <= 0) {
            throw new IllegalArgumentException("squeeze-excitation '" + name + "': channels and squeeze must be > 0, got "
                    + channels + " and " + squeeze);
        }
    }

    private StridedConv2d fc1() {
        return StridedConv2d.of(name + ".fc1", channels, squeeze, 1, 1, 0).withBias(true);
    }

    private StridedConv2d fc2() {
        return StridedConv2d.of(name + ".fc2", squeeze, channels, 1, 1, 0).withBias(true);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        fc1().declare(store, rng);
        fc2().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return fc1().parameterCount() + fc2().parameterCount();
    }

    /** Rescales each channel of {@code x} (N, C, H, W) by its excitation in (0, 1). */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable pooled = s.sd().mean(x, true, 2, 3);
        SDVariable h = ConvNormActivation.silu(s, fc1().apply(s, pooled), name + ".fc1");
        SDVariable scale = s.sd().nn().sigmoid(fc2().apply(s, h));
        return x.mul(s.opName(name), scale);
    }
}
