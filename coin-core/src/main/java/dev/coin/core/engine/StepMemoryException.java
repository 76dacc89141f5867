package dev.coin.core.engine;

/**
 * A training step needs more memory for its activations and gradients than this process may use. The message says
 * how much, where the step's memory peaks and what to change; nothing was updated.
 */
public final class StepMemoryException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StepMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
