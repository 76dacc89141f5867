package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * An affine {@code nn.BatchNorm2d(channels, eps=eps)} (momentum 0.1) for networks whose epsilon is not PyTorch's
 * default 1e-5 (torchvision's EfficientNetV2 uses 1e-3). Same parameters, state and train/eval behaviour as
 * {@link BatchNorm2d} (batch statistics from primitives in TRAIN, running statistics as constants in EVAL).
 *
 * <pre>{@code
 * BatchNorm2dEps bn = new BatchNorm2dEps("features.0.1", 24, 1e-3);
 * }</pre>
 */
public record BatchNorm2dEps(String name, int channels, double eps) implements Layer {
    public BatchNorm2dEps {
        if (channels <= 0) {
            throw new IllegalArgumentException("batch norm '" + name + "': channels must be > 0, got " + channels);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("batch norm '" + name + "': eps must be finite and > 0, got " + eps);
        }
    }

    private BatchNorm2d delegate() {
        return new BatchNorm2d(name, channels, true);
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        delegate().declare(store, rng);
    }

    @Override
    public long parameterCount() {
        return 2L * channels;
    }

    /** {@code γ·(x − mean)/sqrt(var + eps) + β}. */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable normalized;
        if (s.mode() == Mode.TRAIN) {
            SDVariable mean = s.sd().mean(s.opName(name + ".batch_mean"), x.mean(3).mean(2), 0);
            SDVariable centered = x.sub(s.opName(name + ".centered"), mean.reshape(1, channels, 1, 1));
            SDVariable var = s.sd().mean(s.opName(name + ".batch_var"), centered.mul(centered).mean(3).mean(2), 0);
            s.registerBatchNorm(name, mean, var, centered);
            normalized = centered.mul(s.sd().math().rsqrt(var.add(eps)).reshape(1, channels, 1, 1));
        } else {
            SDVariable rm = s.param(name + ".running_mean").reshape(1, channels, 1, 1);
            SDVariable rv = s.param(name + ".running_var");
            normalized = x.sub(rm).mul(s.sd().math().rsqrt(rv.add(eps)).reshape(1, channels, 1, 1));
        }
        return normalized.mul(s.param(name + ".weight").reshape(1, channels, 1, 1))
                .add(s.opName(name), s.param(name + ".bias").reshape(1, channels, 1, 1));
    }

    @Override
    public String toString() {
        return "BatchNorm2dEps[" + name + ": " + channels + ", eps " + eps + "]";
    }
}
