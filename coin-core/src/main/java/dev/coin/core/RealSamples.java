package dev.coin.core;

/**
 * What the discriminator sees as "real" (reference §9.3).
 */
public enum RealSamples {
    /**
     * The input batch x itself, abnormal and healthy slices alike, with the classifier's bin as the projection label
     * (COIN, Singla et al.).
     */
    INPUT,
    /**
     * COIN-Aligned's paired healthy slices ({@code align_discriminator}): each batch row's healthy partner from the
     * same relative-height bin (a loader with {@code PairedHealthySampler} fills {@code Batch.healthy()}), seen by an
     * unconditional discriminator; fake = D(x_cf detached). With tanh alignment the partner is tanh'ed too.
     */
    PAIRED_HEALTHY
}
