package dev.coin.core.nn.internal;

import dev.coin.core.nn.ConditionalBatchNorm2d;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.Upsample;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.nn.WeightInit;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The reference {@code GeneratorResBlock(in, out, upsample=2)}; output = shortcut + residual (no activation after).
 * <ul>
 *   <li>shortcut {@code left_branch}: Upsample ×2 → Conv 1×1 (no bias, Xavier-uniform 1, SN optional) [{@code .1}]</li>
 *   <li>residual: CBN(in) + ReLU [{@code cbn_relu_first}] at the input resolution → Upsample ×2 → Conv 3×3
 *       [{@code upsample_conv.1}] → CBN(out) + ReLU [{@code cbn_relu_second}] → Conv 3×3 [{@code last_conv}]
 *       (both 3×3 convs no bias, Xavier-uniform √2)</li>
 * </ul>
 */
public record GeneratorResBlock(String name, int in, int out, UpsampleKind upsample, boolean spectralNorm,
        Conditioning conditioning) implements Layer {
    private static final double SQRT2 = Math.sqrt(2.0);

    Conv2d shortcutConv() {
        return Conv2d.of(name + ".left_branch.1", in, out, 1).withSpectralNorm(spectralNorm);
    }

    ConditionalBatchNorm2d cbn1() {
        return new ConditionalBatchNorm2d(name + ".cbn_relu_first", in, conditioning);
    }

    ConditionalBatchNorm2d cbn2() {
        return new ConditionalBatchNorm2d(name + ".cbn_relu_second", out, conditioning);
    }

    Conv2d conv1() {
        return Conv2d.of(name + ".upsample_conv.1", in, out, 3).withInit(WeightInit.xavierUniform(SQRT2));
    }

    Conv2d conv2() {
        return Conv2d.of(name + ".last_conv", out, out, 3).withInit(WeightInit.xavierUniform(SQRT2));
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        shortcutConv().declare(store, rng);
        cbn1().declare(store, rng);
        cbn2().declare(store, rng);
        conv1().declare(store, rng);
        conv2().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return shortcutConv().parameterCount() + cbn1().parameterCount() + cbn2().parameterCount()
                + conv1().parameterCount() + conv2().parameterCount();
    }

    /** (N, in, H, W) → (N, out, 2H, 2W); {@code condition} as in {@link ConditionalBatchNorm2d#apply}. */
    public SDVariable apply(GraphScope s, SDVariable x, SDVariable condition, int height, int width) {
        SDVariable left = shortcutConv().apply(s,
                Upsample.apply(s, upsample, x, in, height, width, name + ".left_branch.0"));
        SDVariable r = s.sd().nn().relu(cbn1().apply(s, x, condition), 0);
        r = Upsample.apply(s, upsample, r, in, height, width, name + ".upsample_conv.0");
        r = conv1().apply(s, r);
        r = s.sd().nn().relu(cbn2().apply(s, r, condition), 0);
        r = conv2().apply(s, r);
        return left.add(s.opName(name), r);
    }
}
