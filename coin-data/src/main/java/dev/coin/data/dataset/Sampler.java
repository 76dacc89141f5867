package dev.coin.data.dataset;

/**
 * Decides which items an epoch visits, in which order. Implementations are pure functions of (seed, epoch), so a
 * resumed run sees exactly the order an uninterrupted one would.
 */
public interface Sampler {
    /** The plan for one epoch (0-based). */
    EpochPlan plan(int epoch);
}
