package dev.coin.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The running statistics of one batch-norm layer: the {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked} arrays of a {@link ParameterStore}, updated in place with PyTorch's rule.
 *
 * <p>After a train-mode forward over {@code n = N·H·W} values per channel with batch mean {@code m} and biased
 * batch variance {@code v}: {@code running_mean = (1−μ)·running_mean + μ·m},
 * {@code running_var = (1−μ)·running_var + μ·v·n/(n−1)} (the unbiased variance), {@code num_batches_tracked += 1},
 * with momentum μ = 0.1. Normalisation itself uses the biased variance.
 */
public final class BatchNormState {
    /** PyTorch's default momentum. */
    public static final double MOMENTUM = 0.1;
    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;

    private final String name;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final INDArray numBatchesTracked;

    /** Views the three buffers {@code <name>.running_mean|running_var|num_batches_tracked} of {@code store}. */
    public static BatchNormState of(ParameterStore store, String name) {
        return new BatchNormState(name, store.array(name + ".running_mean"), store.array(name + ".running_var"),
                store.array(name + ".num_batches_tracked"));
    }

    private BatchNormState(String name, INDArray runningMean, INDArray runningVar, INDArray numBatchesTracked) {
        this.name = name;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.numBatchesTracked = numBatchesTracked;
    }

    /** The layer's state_dict prefix. */
    public String name() {
        return name;
    }

    /**
     * Applies one update.
     *
     * @param batchMean    per-channel batch mean
     * @param batchVarBiased per-channel biased batch variance (divided by n)
     * @param n            values per channel in the batch (N·H·W); must be ≥ 2
     */
    public void update(INDArray batchMean, INDArray batchVarBiased, long n) {
        if (n < 2) {
            throw new IllegalArgumentException("batch norm '" + name + "' saw n=" + n
                    + " values per channel; the unbiased variance needs n >= 2 (use a larger batch or image)");
        }
        if (batchMean.length() != runningMean.length() || batchVarBiased.length() != runningVar.length()) {
            throw new IllegalArgumentException("batch norm '" + name + "': batch statistics have " + batchMean.length()
                    + " channels, running statistics " + runningMean.length());
        }
        INDArray m = batchMean.reshape(runningMean.shape()).castTo(runningMean.dataType());
        INDArray v = batchVarBiased.reshape(runningVar.shape()).castTo(runningVar.dataType());
        runningMean.muli(1.0 - MOMENTUM).addi(m.mul(MOMENTUM));
        runningVar.muli(1.0 - MOMENTUM).addi(v.mul(MOMENTUM * n / (n - 1.0)));
        numBatchesTracked.addi(1);
    }

    @Override
    public String toString() {
        return "BatchNormState[" + name + ", " + runningMean.length() + " channels, batches "
                + numBatchesTracked.getLong(0) + "]";
    }
}
