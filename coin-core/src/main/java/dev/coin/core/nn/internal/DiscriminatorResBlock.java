package dev.coin.core.nn.internal;

import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.Pooling;
import dev.coin.core.nn.WeightInit;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference {@code DiscriminatorResBlock}; every conv is spectrally normalised with bias; output = shortcut +
 * residual.
 * <ul>
 *   <li>first block: shortcut AvgPool → SNConv 1×1 [{@code left_branch.1}]; residual SNConv 3×3
 *       [{@code right_branch.1}] → ReLU → SNConv 3×3 [{@code right_branch.3}] → AvgPool (no ReLU on the image).</li>
 *   <li>other blocks: shortcut SNConv 1×1 [{@code left_branch.0}] (identity when in == out) → AvgPool; residual
 *       ReLU → SNConv 3×3 [{@code right_branch.1}] → ReLU → SNConv 3×3 [{@code right_branch.3}] → AvgPool.</li>
 * </ul>
 * Pooling is skipped when {@code downsample == 1}. Shortcut convs Xavier-uniform gain 1, residual convs gain √2.
 */
public record DiscriminatorResBlock(String name, int in, int out, int downsample, boolean first) implements Layer {
    private static final double SQRT2 = Math.sqrt(2.0);

    public DiscriminatorResBlock {
        if (downsample != 1 && downsample != 2) {
            throw new IllegalArgumentException("discriminator block '" + name + "': downsample must be 1 or 2, got " + downsample);
        }
    }

    private boolean hasShortcutConv() {
        return first || in != out;
    }

    Conv2d shortcutConv() {
        return Conv2d.of(name + (first ? ".left_branch.1" : ".left_branch.0"), in, out, 1).withBias(true)
                .withSpectralNorm(true);
    }

    Conv2d conv1() {
        return Conv2d.of(name + ".right_branch.1", in, out, 3).withBias(true).withSpectralNorm(true)
                .withInit(WeightInit.xavierUniform(SQRT2));
    }

    Conv2d conv2() {
        return Conv2d.of(name + ".right_branch.3", out, out, 3).withBias(true).withSpectralNorm(true)
                .withInit(WeightInit.xavierUniform(SQRT2));
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        if (hasShortcutConv()) {
            shortcutConv().declare(store, rng);
        }
        conv1().declare(store, rng);
        conv2().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return (hasShortcutConv() ? shortcutConv().parameterCount() : 0) + conv1().parameterCount()
                + conv2().parameterCount();
    }

    /** (N, in, H, W) → (N, out, H/d, W/d). */
    public SDVariable apply(GraphScope s, SDVariable x) {
        boolean pool = downsample > 1;
        SDVariable left;
        if (first) {
            left = shortcutConv().apply(s, pool ? Pooling.avgPool2x2(s, x, name + ".left_branch.0") : x);
        } else {
            left = hasShortcutConv() ? shortcutConv().apply(s, x) : x;
            left = pool ? Pooling.avgPool2x2(s, left, name + ".left_branch.1") : left;
        }
        SDVariable r = first ? x : s.sd().nn().relu(x, 0);
        r = s.sd().nn().relu(conv1().apply(s, r), 0);
        r = conv2().apply(s, r);
        r = pool ? Pooling.avgPool2x2(s, r, name + ".right_branch.4") : r;
        return left.add(s.opName(name), r);
    }
}
