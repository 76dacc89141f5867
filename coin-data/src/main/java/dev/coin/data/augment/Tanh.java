package dev.coin.data.augment;

import dev.coin.data.image.FloatImage;
import java.util.SplittableRandom;

/**
 * COIN-Aligned's {@code tanh} augmentation (§9.8): every image is replaced by tanh(image); deterministic, masks
 * untouched. It matches the classifier's inputs to the tanh-bounded generator outputs.
 */
public record Tanh() implements Transform {
    public static Tanh of() {
        return new Tanh();
    }

    @Override
    public AugmentTarget apply(AugmentTarget target, SplittableRandom rng) {
        float[] px = target.image().toArray();
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.tanh(px[i]);
        }
        return target.withImage(FloatImage.wrap(target.height(), target.width(), px));
    }
}
