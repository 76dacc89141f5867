package dev.coin.core;

/**
 * Which class conditions a pipeline feeds its generator, derived from the generator's conditioning and the
 * {@link dev.coin.losses.TargetRule} (reference §1.4, §5). With classifier-feature conditioning
 * ({@code Conditioning.features(F)}, COIN-Aligned §9.5) the generator reads the classifier's features of x instead
 * of these labels, which then only feed a projection discriminator.
 */
public enum ConditioningMode {
    /** Unconditional generator: no labels are fed. */
    NONE,
    /** COIN v1 / always-healthy: one condition, the desired bin, identically 0 (CBN acts as a learned-affine BN). */
    ONE,
    /**
     * Singla*: two conditions — the counterfactual pass gets bin(1 − p(x)), the self-reconstruction and cyclic
     * passes get bin(p(x)).
     */
    TWO
}
