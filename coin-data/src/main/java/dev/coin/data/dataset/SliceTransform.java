package dev.coin.data.dataset;

import dev.coin.data.random.Seeds;

import dev.coin.data.slice.Slice;

/**
 * A per-item transform applied by the batch iterator (synthetic anomaly insertion, augmentations). The seed is a
 * pure function of (iterator seed, epoch, position), so results do not depend on threads or timing.
 */
@FunctionalInterface
public interface SliceTransform {
    Slice apply(Slice slice, long seed);

    /** This transform, then {@code next}, each with its own derived seed. */
    default SliceTransform andThen(SliceTransform next) {
        return (s, seed) -> next.apply(apply(s, Seeds.derive(seed, 1)), Seeds.derive(seed, 2));
    }

    static SliceTransform identity() {
        return (s, seed) -> s;
    }
}
