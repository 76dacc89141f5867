package dev.coin.data.augment;

import java.util.SplittableRandom;

/**
 * One augmentation step. Implementations are immutable and take all randomness from the generator they are given,
 * so an {@link AugmentPipeline} can hand each step its own derived stream.
 */
@FunctionalInterface
public interface Transform {
    /** Applies the transform (or not, for probabilistic ones) using {@code rng} for every random choice. */
    AugmentTarget apply(AugmentTarget target, SplittableRandom rng);
}
