package dev.coin.core.nn;

/**
 * Forward mode of a graph, as PyTorch's {@code module.train()} / {@code module.eval()}.
 *
 * <p>{@link #TRAIN}: batch norm normalises with the batch statistics (biased variance) and the running statistics
 * are updated after the forward; {@link #EVAL}: batch norm uses the running statistics as constants. Spectral
 * normalisation advances its power iteration in both modes (the reference does so on every call).
 */
public enum Mode {
    /** Batch statistics; running statistics updated after each forward. */
    TRAIN,
    /** Running statistics used as constants. */
    EVAL
}
