package dev.coin.data.augment;

import java.util.SplittableRandom;

/** Mirrors columns (left ↔ right) of the image and masks with probability {@code p} (reference: 0.5). */
public record HorizontalFlip(double p) implements Transform {
    public HorizontalFlip {
        Probability.check(p, "p");
    }

    public static HorizontalFlip of(double p) {
        return new HorizontalFlip(p);
    }

    @Override
    public AugmentTarget apply(AugmentTarget target, SplittableRandom rng) {
        return Flip.coin(rng, p) ? Flip.apply(target, true) : target;
    }
}
