package dev.coin.core.nn;

/**
 * What a {@link ParameterStore} entry is, which decides whether it becomes a trainable graph variable and how its
 * array layout maps to the reference PyTorch {@code state_dict}.
 */
public enum ParameterKind {
    /** Convolution kernel. Stored in SameDiff's {@code [kH, kW, in, out]}; PyTorch's is {@code [out, in, kH, kW]}. */
    CONV_WEIGHT(true),
    /** Linear weight. Stored as {@code [in, out]} (SameDiff {@code nn.linear}); PyTorch's is {@code [out, in]}. */
    LINEAR_WEIGHT(true),
    /** Bias, batch-norm γ/β, embedding table: same shape in both worlds. */
    PLAIN(true),
    /** Batch-norm running mean or variance (state, never trained). */
    RUNNING_STAT(false),
    /** Batch-norm {@code num_batches_tracked}: an INT64 scalar (state). */
    COUNTER(false),
    /** Spectral-norm left singular vector estimate {@code u}, shape {@code (1, out)} (state). */
    SN_VECTOR(false);

    private final boolean trainable;

    ParameterKind(boolean trainable) {
        this.trainable = trainable;
    }

    /** True for weights the optimiser updates; false for state buffers. */
    public boolean trainable() {
        return trainable;
    }
}
