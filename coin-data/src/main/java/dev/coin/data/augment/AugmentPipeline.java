package dev.coin.data.augment;

import dev.coin.data.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A seeded sequence of transforms (MONAI-style: one seed fixes the whole pipeline). Transform number {@code t}
 * applied to item {@code i} in epoch {@code e} draws from a stream derived from (seed, e, i, t), so results do not
 * depend on call order or threads, and adding a transform at the end leaves the earlier ones' draws unchanged.
 *
 * <pre>{@code
 * AugmentPipeline aug = AugmentPipeline.builder().seed(5)
 *     .add(BlackHoles.reference()).add(HorizontalFlip.of(0.5)).add(VerticalFlip.of(0.1))
 *     .add(ShiftScaleRotate.reference()).add(BrightnessContrast.reference())
 *     .build();
 * AugmentTarget out = aug.apply(AugmentTarget.of(image, kidneyMask), epoch, itemIndex);
 * }</pre>
 */
public final class AugmentPipeline {
    private final long seed;
    private final List<Transform> transforms;

    private AugmentPipeline(Builder b) {
        this.seed = b.seed;
        this.transforms = List.copyOf(b.transforms);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.transforms.addAll(transforms);
        return b;
    }

    public long seed() {
        return seed;
    }

    public List<Transform> transforms() {
        return transforms;
    }

    /** Applies the pipeline to item {@code itemIndex} (epoch 0). */
    public AugmentTarget apply(AugmentTarget target, long itemIndex) {
        return apply(target, 0, itemIndex);
    }

    /** Applies the pipeline to item {@code itemIndex} in epoch {@code epoch}; a pure function of its arguments. */
    public AugmentTarget apply(AugmentTarget target, long epoch, long itemIndex) {
        Objects.requireNonNull(target, "target");
        AugmentTarget t = target;
        for (int i = 0; i < transforms.size(); i++) {
            SplittableRandom rng = Seeds.rng(seed, epoch, itemIndex, i);
            t = Objects.requireNonNull(transforms.get(i).apply(t, rng), () -> "transform returned null");
        }
        return t;
    }

    @Override
    public String toString() {
        return "AugmentPipeline{seed=" + seed + ", " + transforms + "}";
    }

    /** Builder of {@link AugmentPipeline}. */
    public static final class Builder {
        private long seed;
        private final List<Transform> transforms = new ArrayList<>();

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Appends a transform. */
        public Builder add(Transform transform) {
            transforms.add(Objects.requireNonNull(transform, "transform must not be null"));
            return this;
        }

        public AugmentPipeline build() {
            return new AugmentPipeline(this);
        }
    }
}
