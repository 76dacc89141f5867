package dev.coin.core.nn.internal;

import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.Pooling;
import dev.coin.core.nn.ReluMask;
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
        return applyWithTangent(s, null, x, null)[0];
    }

    /**
     * The block and, when {@code t} is not null, its directional derivative along the tangent {@code t} (same shape as
     * {@code x}): every conv without its bias, the ReLUs as the primal pass's masks ({@link ReluMask}), the poolings
     * as they are. The primal ops are exactly those of {@link #apply}; the tangent's live under {@code ts}'s prefix,
     * whose spectral norm must be that of {@code s}.
     *
     * @return {primal output, tangent output (null without a tangent)}
     */
    public SDVariable[] applyWithTangent(GraphScope s, GraphScope ts, SDVariable x, SDVariable t) {
        boolean pool = downsample > 1;
        boolean tangent = t != null;
        SDVariable left;
        SDVariable tLeft = null;
        if (first) {
            left = shortcutConv().apply(s, pool ? Pooling.avgPool2x2(s, x, name + ".left_branch.0") : x);
            if (tangent) {
                tLeft = shortcutConv().applyLinearPart(ts, pool ? Pooling.avgPool2x2(ts, t, name + ".left_branch.0") : t);
            }
        } else {
            left = hasShortcutConv() ? shortcutConv().apply(s, x) : x;
            left = pool ? Pooling.avgPool2x2(s, left, name + ".left_branch.1") : left;
            if (tangent) {
                tLeft = hasShortcutConv() ? shortcutConv().applyLinearPart(ts, t) : t;
                tLeft = pool ? Pooling.avgPool2x2(ts, tLeft, name + ".left_branch.1") : tLeft;
            }
        }
        SDVariable r = first ? x : s.sd().nn().relu(x, 0);
        SDVariable tr = !tangent ? null : first ? t : t.mul(ReluMask.of(ts, x, name + ".right_branch.0.mask"));
        SDVariable z1 = conv1().apply(s, r);
        r = s.sd().nn().relu(z1, 0);
        if (tangent) {
            tr = conv1().applyLinearPart(ts, tr).mul(ReluMask.of(ts, z1, name + ".right_branch.2.mask"));
        }
        r = conv2().apply(s, r);
        r = pool ? Pooling.avgPool2x2(s, r, name + ".right_branch.4") : r;
        if (tangent) {
            tr = conv2().applyLinearPart(ts, tr);
            tr = pool ? Pooling.avgPool2x2(ts, tr, name + ".right_branch.4") : tr;
        }
        return new SDVariable[] {left.add(s.opName(name), r), tangent ? tLeft.add(ts.opName(name), tr) : null};
    }
}
