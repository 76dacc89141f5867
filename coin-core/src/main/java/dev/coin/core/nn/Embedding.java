package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/** {@code nn.Embedding(count, dim)}: {@code <name>.weight} of shape (count, dim), rows gathered by INT indices. */
public record Embedding(String name, int count, int dim, WeightInit init) implements Layer {
    public Embedding {
        if (count <= 0 || dim <= 0) {
            throw new IllegalArgumentException("embedding '" + name + "': sizes must be > 0, got count=" + count + ", dim=" + dim);
        }
    }

    @Override
    public void declare(ParameterStore store, Random rng) {
        // PyTorch fans of a (rows, cols) tensor: fan_in = cols, fan_out = rows
        store.add(name + ".weight", ParameterKind.PLAIN, init.sample(rng, store.dataType(), dim, count, count, dim));
    }

    @Override
    public long parameterCount() {
        return (long) count * dim;
    }

    /** Rows {@code indices} (N) → (N, dim). */
    public SDVariable apply(GraphScope s, SDVariable indices) {
        return s.sd().gather(s.opName(name), s.param(name + ".weight"), indices, 0);
    }
}
