package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code nn.Linear} with optional spectral normalisation (the reference's {@code SNLinear}). Parameters:
 * {@code <name>.weight} (graph layout {@code [in,out]}; PyTorch's is {@code [out,in]}), {@code <name>.bias}
 * (U(±1/√in)), {@code <name>.u} when spectrally normalised.
 */
public record Linear(String name, int in, int out, boolean bias, WeightInit init, boolean spectralNorm) implements Layer {
    public Linear {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("linear '" + name + "': sizes must be > 0, got in=" + in + ", out=" + out);
        }
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        store.add(name + ".weight", ParameterKind.LINEAR_WEIGHT, init.sample(rng, store.dataType(), in, out, in, out));
        if (bias) {
            store.add(name + ".bias", ParameterKind.PLAIN, Init.defaultBias(rng, store.dataType(), in, out));
        }
        if (spectralNorm) {
            store.add(name + ".u", ParameterKind.SN_VECTOR, Init.normal(rng, store.dataType(), 0, 1, 1, out));
        }
    }

    @Override
    public long parameterCount() {
        return (long) in * out + (bias ? out : 0);
    }

    /** {@code x·W + b} for {@code x} of shape (N, in). */
    public SDVariable apply(GraphScope s, SDVariable x) {
        SDVariable w = weight(s);
        return bias ? s.sd().nn().linear(s.opName(name), x, w, s.param(name + ".bias")) : x.mmul(s.opName(name), w);
    }

    /** The linear part {@code t·W}, without bias: the layer's directional derivative along {@code t} (see Conv2d). */
    public SDVariable applyLinearPart(GraphScope s, SDVariable t) {
        return t.mmul(s.opName(name), weight(s));
    }

    /** The weight as the graph uses it: divided by σ under spectral norm. */
    private SDVariable weight(GraphScope s) {
        SDVariable w = s.param(name + ".weight");
        return spectralNorm ? w.mul(s.inverseSigma(name, ParameterKind.LINEAR_WEIGHT)) : w;
    }

    @Override
    public String toString() {
        return "Linear[" + name + ": " + in + "→" + out + (bias ? ", bias" : "") + (spectralNorm ? ", SN" : "") + "]";
    }
}
