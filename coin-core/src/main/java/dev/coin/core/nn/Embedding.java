package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code nn.Embedding(count, dim)}: {@code <name>.weight} of shape (count, dim), rows selected by INT indices.
 *
 * <p>Rows are selected as {@code oneHot(indices) · table}, not with {@code gather}: on SameDiff 1.0.0-M2.1 the
 * gradient of {@code gather} is wrong when an index repeats (it is assigned to the wrong rows; found by
 * {@code BlockGradientCheckTest}) and its backward graph cannot be built twice in one graph. An index outside
 * {@code [0, count)} gives a zero row, so {@link ForwardHooks#output} checks label feeds before running.
 */
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
        return rows(s, s.param(name + ".weight"), indices, count, name);
    }

    /** Rows {@code indices} (N, INT) of {@code table} (count, dim) as {@code oneHot(indices)·table} → (N, dim). */
    static SDVariable rows(GraphScope s, SDVariable table, SDVariable indices, int count, String name) {
        s.hooks().addLabelCheck(indices.name(), count);
        SDVariable oneHot = s.sd().oneHot(s.opName(name + ".one_hot"), indices, count, -1, 1.0, 0.0, s.store().dataType());
        return oneHot.mmul(s.opName(name), table);
    }
}
