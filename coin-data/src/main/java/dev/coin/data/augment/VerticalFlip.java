package dev.coin.data.augment;

import java.util.SplittableRandom;

/** Mirrors rows (top ↔ bottom) of the image and masks with probability {@code p} (reference: 0.1). */
public record VerticalFlip(double p) implements Transform {
    public VerticalFlip {
        Probability.check(p, "p");
    }

    public static VerticalFlip of(double p) {
        return new VerticalFlip(p);
    }

    @Override
    public AugmentTarget apply(AugmentTarget target, SplittableRandom rng) {
        return Flip.coin(rng, p) ? Flip.apply(target, false) : target;
    }
}
