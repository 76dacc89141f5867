package dev.coin.core.train;

/** A loss became NaN or infinite; training stopped before anything was written. */
public final class NonFiniteLossException extends IllegalStateException {
    private final String term;
    private final long globalStep;

    public NonFiniteLossException(String term, double value, long globalStep, int epoch, int batch) {
        super("loss term '" + term + "' is " + value + " at global step " + globalStep + " (epoch " + epoch + ", batch "
                + batch + "); training stopped and no checkpoint was written after the last good one. Check the "
                + "input batch for NaN/Inf, lower the term's weight or the learning rate, and resume from the last "
                + "checkpoint");
        this.term = term;
        this.globalStep = globalStep;
    }

    /** The term's name (e.g. {@code kl}). */
    public String term() {
        return term;
    }

    public long globalStep() {
        return globalStep;
    }
}
