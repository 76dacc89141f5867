package dev.coin.core.nn.internal;

import dev.coin.core.nn.BatchNorm2d;
import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.Pooling;
import dev.coin.core.nn.WeightInit;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference {@code EncoderResBlock(in, out, downsample=2)}; output = shortcut + residual (no activation after).
 * <ul>
 *   <li>shortcut {@code left_branch}: AvgPool 2×2 → Conv 1×1 (no bias, Xavier-uniform 1, SN optional) [{@code .1}]</li>
 *   <li>residual {@code right_branch}: BN(in) [{@code .0}] → ReLU → AvgPool → Conv 3×3 (no bias, Xavier-uniform √2)
 *       [{@code .3}] → BN(out) [{@code .4}] → ReLU → Conv 3×3 [{@code .6}]</li>
 * </ul>
 */
public record EncoderResBlock(String name, int in, int out, boolean spectralNorm) implements Layer {
    private static final double SQRT2 = Math.sqrt(2.0);

    Conv2d shortcutConv() {
        return Conv2d.of(name + ".left_branch.1", in, out, 1).withSpectralNorm(spectralNorm);
    }

    BatchNorm2d bn1() {
        return new BatchNorm2d(name + ".right_branch.0", in, true);
    }

    Conv2d conv1() {
        return Conv2d.of(name + ".right_branch.3", in, out, 3).withInit(WeightInit.xavierUniform(SQRT2));
    }

    BatchNorm2d bn2() {
        return new BatchNorm2d(name + ".right_branch.4", out, true);
    }

    Conv2d conv2() {
        return Conv2d.of(name + ".right_branch.6", out, out, 3).withInit(WeightInit.xavierUniform(SQRT2));
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        shortcutConv().declare(store, rng);
        bn1().declare(store, rng);
        conv1().declare(store, rng);
        bn2().declare(store, rng);
        conv2().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return shortcutConv().parameterCount() + bn1().parameterCount() + conv1().parameterCount()
                + bn2().parameterCount() + conv2().parameterCount();
    }

    /** (N, in, H, W) → (N, out, H/2, W/2). */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable left = shortcutConv().apply(s, Pooling.avgPool2x2(s, x, name + ".left_branch.0"));
        SDVariable r = s.sd().nn().relu(bn1().apply(s, x), 0);
        r = Pooling.avgPool2x2(s, r, name + ".right_branch.2");
        r = s.sd().nn().relu(bn2().apply(s, conv1().apply(s, r)), 0);
        r = conv2().apply(s, r);
        return left.add(s.opName(name), r);
    }
}
