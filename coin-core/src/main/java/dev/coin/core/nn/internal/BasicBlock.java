package dev.coin.core.nn.internal;

import dev.coin.core.nn.BatchNorm2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torchvision's ResNet {@code BasicBlock}: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))} with 3×3
 * convolutions (conv1 carries the stride) and, when the stride or width changes, a shortcut
 * {@code downsample = Sequential(conv 1×1 stride s, BN)} ({@code <name>.downsample.0/1}); otherwise identity.
 *
 * <pre>{@code
 * BasicBlock b = new BasicBlock("layer2.0", 64, 128, 2);   // has layer2.0.downsample.{0,1}
 * SDVariable y = b.apply(scope, x);                      // (N,64,H,W) → (N,128,H/2,W/2)
 * }</pre>
 */
public record BasicBlock(String name, int in, int out, int stride) implements Layer {
    public BasicBlock {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("basic block '" + name + "': stride must be 1 or 2, got " + stride);
        }
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("basic block '" + name + "': channels must be > 0, got in=" + in + ", out=" + out);
        }
    }

    /** True when the shortcut needs a projection (stride ≠ 1 or in ≠ out), as torchvision decides. */
    public boolean hasDownsample() {
        return stride != 1 || in != out;
    }

    StridedConv2d conv1() {
        return StridedConv2d.of(name + ".conv1", in, out, 3, stride, 1);
    }

    BatchNorm2d bn1() {
        return new BatchNorm2d(name + ".bn1", out, true);
    }

    StridedConv2d conv2() {
        return StridedConv2d.of(name + ".conv2", out, out, 3, 1, 1);
    }

    BatchNorm2d bn2() {
        return new BatchNorm2d(name + ".bn2", out, true);
    }

    StridedConv2d downsampleConv() {
        return StridedConv2d.of(name + ".downsample.0", in, out, 1, stride, 0);
    }

    BatchNorm2d downsampleBn() {
        return new BatchNorm2d(name + ".downsample.1", out, true);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        conv1().declare(store, rng);
        bn1().declare(store, rng);
        conv2().declare(store, rng);
        bn2().declare(store, rng);
        if (hasDownsample()) {
            downsampleConv().declare(store, rng);
            downsampleBn().declare(store, rng);
        }
    }

    @Override
    public long parameterCount() {
        long n = conv1().parameterCount() + bn1().parameterCount() + conv2().parameterCount() + bn2().parameterCount();
        return hasDownsample() ? n + downsampleConv().parameterCount() + downsampleBn().parameterCount() : n;
    }

    /** (N, in, H, W) → (N, out, ⌈H/stride⌉, ⌈W/stride⌉). */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable r = s.sd().nn().relu(bn1().apply(s, conv1().apply(s, x)), 0);
        r = bn2().apply(s, conv2().apply(s, r));
        SDVariable shortcut = hasDownsample() ? downsampleBn().apply(s, downsampleConv().apply(s, x)) : x;
        return s.sd().nn().relu(s.opName(name), r.add(shortcut), 0);
    }

    @Override
    public String toString() {
        return "BasicBlock[" + name + ": " + in + "→" + out + ", stride " + stride + (hasDownsample() ? ", downsample" : "") + "]";
    }
}
