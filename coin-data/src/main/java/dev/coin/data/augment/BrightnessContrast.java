package dev.coin.data.augment;

import dev.coin.data.image.FloatImage;
import java.util.SplittableRandom;

/**
 * albumentations' {@code RandomBrightnessContrast} (brightness_by_max) on float images: with probability {@code p},
 * {@code v' = α·v + β} with α = 1 + U(−contrastLimit, contrastLimit) and β = U(−brightnessLimit, brightnessLimit)·1
 * (the float "max value" is 1). The reference applies it to [−1, 1] slices as they are, so this does the same:
 * contrast scales about 0 (mid-grey), brightness shifts by up to ±0.1 of the half range, and nothing is clipped
 * (albumentations clips only integer images). Masks are untouched. Reference: limits 0.1, p 0.5.
 */
public record BrightnessContrast(double brightnessLimit, double contrastLimit, double p) implements Transform {
    public BrightnessContrast {
        Probability.nonNegative(brightnessLimit, "brightnessLimit");
        Probability.nonNegative(contrastLimit, "contrastLimit");
        Probability.check(p, "p");
    }

    /** COIN-Aligned's setting: ±0.1 brightness and contrast, p 0.5. */
    public static BrightnessContrast reference() {
        return new BrightnessContrast(0.1, 0.1, 0.5);
    }

    @Override
    public AugmentTarget apply(AugmentTarget target, SplittableRandom rng) {
        if (!(rng.nextDouble() < p)) {
            return target;
        }
        // albumentations draws alpha (contrast) first, then beta (brightness).
        float alpha = (float) (1 + uniform(rng, contrastLimit));
        float beta = (float) uniform(rng, brightnessLimit);
        float[] px = target.image().toArray();
        for (int i = 0; i < px.length; i++) {
            px[i] = px[i] * alpha + beta;
        }
        return target.withImage(FloatImage.wrap(target.height(), target.width(), px));
    }

    private static double uniform(SplittableRandom rng, double limit) {
        return limit == 0 ? 0 : -limit + 2 * limit * rng.nextDouble();
    }
}
