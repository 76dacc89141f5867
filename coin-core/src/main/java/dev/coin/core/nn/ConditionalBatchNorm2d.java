package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Conditional batch norm as in COIN's generator: {@code BatchNorm2d(C, affine=False)} ({@code <name>.bn.*}) followed
 * by a per-sample {@code γ·x + β}, with γ/β from an embedding row or a classifier-feature bridge (see
 * {@link Conditioning}). The ReLU that follows in the reference block is not part of this layer.
 *
 * <p>With {@link Conditioning#features} the bridge {@code fc} is stored as {@code [F, 2C]} (PyTorch's
 * {@code [2C, F]}, transposed by {@link dev.coin.core.nn.io.StateDict}); {@code [γ, β] = features·W + b} split in
 * halves, γ first. Its PyTorch default init makes γ start near 0 (see {@link Conditioning}).
 */
public record ConditionalBatchNorm2d(String name, int channels, Conditioning conditioning) implements Layer {
    public ConditionalBatchNorm2d {
        if (channels <= 0) {
            throw new IllegalArgumentException("conditional batch norm '" + name + "': channels must be > 0, got " + channels);
        }
    }

    private BatchNorm2d bn() {
        return new BatchNorm2d(name + ".bn", channels, conditioning.kind() == Conditioning.Kind.NONE);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        bn().declare(store, rng);
        DataType dt = store.dataType();
        switch (conditioning.kind()) {
            case LABELS: {
                int n = conditioning.size();
                double[] table = new double[n * 2 * channels];
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < channels; c++) {
                        table[r * 2 * channels + c] = 1.0 + 0.02 * rng.nextGaussian();
                    }
                }
                store.add(name + ".embed.weight", ParameterKind.PLAIN,
                        org.nd4j.linalg.factory.Nd4j.create(table, new long[] {n, 2L * channels}, DataType.DOUBLE).castTo(dt));
                break;
            }
            case FEATURES: {
                int f = conditioning.size();
                store.add(name + ".fc.weight", ParameterKind.LINEAR_WEIGHT, Init.defaultBias(rng, dt, f, f, 2L * channels));
                store.add(name + ".fc.bias", ParameterKind.PLAIN, Init.defaultBias(rng, dt, f, 2L * channels));
                break;
            }
            default:
                break;
        }
    }

    @Override
    public long parameterCount() {
        switch (conditioning.kind()) {
            case LABELS:
                return (long) conditioning.size() * 2 * channels;
            case FEATURES:
                return ((long) conditioning.size() + 1) * 2 * channels;
            default:
                return 2L * channels;
        }
    }

    /**
     * Adds the layer. {@code condition} is the INT label vector (N) for {@link Conditioning#labels}, the feature matrix
     * (N, featureDim) for {@link Conditioning#features}, and ignored (may be null) for {@link Conditioning#none()}.
     */
    public SDVariable apply(GraphScope s, SDVariable x, SDVariable condition) {
        SDVariable y = bn().apply(s, x);
        if (conditioning.kind() == Conditioning.Kind.NONE) {
            return y;
        }
        if (condition == null) {
            throw new IllegalArgumentException("conditional batch norm '" + name + "' uses " + conditioning
                    + " but no condition variable was given; pass the labels or classifier features");
        }
        SDVariable gammaBeta = conditioning.kind() == Conditioning.Kind.LABELS
                ? Embedding.rows(s, s.param(name + ".embed.weight"), condition, conditioning.size(), name + ".embed")
                : s.sd().nn().linear(condition, s.param(name + ".fc.weight"), s.param(name + ".fc.bias"));
        SDVariable gamma = gammaBeta.get(SDIndex.all(), SDIndex.interval(0, channels)).reshape(-1, channels, 1, 1);
        SDVariable beta = gammaBeta.get(SDIndex.all(), SDIndex.interval(channels, 2 * channels)).reshape(-1, channels, 1, 1);
        return y.mul(gamma).add(s.opName(name), beta);
    }

    @Override
    public String toString() {
        return "ConditionalBatchNorm2d[" + name + ": " + channels + ", " + conditioning + "]";
    }
}
