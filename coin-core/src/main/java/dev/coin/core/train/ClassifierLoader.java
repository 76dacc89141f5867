package dev.coin.core.train;

import dev.coin.data.augment.AugmentPipeline;
import dev.coin.data.augment.AugmentTarget;
import dev.coin.data.augment.HorizontalFlip;
import dev.coin.data.augment.ShiftScaleRotate;
import dev.coin.data.augment.Transform;
import dev.coin.data.augment.VerticalFlip;
import dev.coin.data.dataset.BalancedSampler;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceInfo;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.random.Seeds;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reference's classifier batches (§3.4) as a {@link BatchLoader}: class-balanced sampling with replacement,
 * {@code stepsPerEpoch × batchSize} slices per "epoch", full batches only, and the reference augmentations (hflip
 * p 0.5, vflip p 0.1, ShiftScaleRotate(0.07, 0.1, 10°, p 0.5)) after an optional per-item transform (anomaly
 * insertion, resize). One seed fixes the sampling ({@code derive(seed, 1)}), the augmentation draws
 * ({@code derive(seed, 2)}) and the per-item seeds ({@code derive(seed, 3)}, the loader's seed).
 *
 * <pre>{@code
 * BatchLoader loader = ClassifierLoader.builder(ds.train()).batchSize(16).stepsPerEpoch(40).seed(7).build();
 * ClassifierTrainer.builder(ResNet18.Spec.ofWidth(8)).validation(val).build().fit(loader, 8);
 * }</pre>
 */
public final class ClassifierLoader {
    private ClassifierLoader() {
    }

    /** The reference augmentations: hflip p 0.5, vflip p 0.1, ShiftScaleRotate(0.07, 0.1, 10°, p 0.5, border 0). */
    public static List<Transform> referenceAugmentations() {
        return List.of(HorizontalFlip.of(0.5), VerticalFlip.of(0.1), ShiftScaleRotate.reference());
    }

    public static Builder builder(SliceSource train) {
        return new Builder(Objects.requireNonNull(train, "train"));
    }

    /** Options; defaults follow the reference's synthetic ResNet18 run (batch 32 here; the reference used 128). */
    public static final class Builder {
        private final SliceSource source;
        private int batchSize = 32;
        private int stepsPerEpoch = 100;
        private long seed = 777;
        private List<Transform> augmentations = new ArrayList<>(referenceAugmentations());
        private SliceTransform transform = SliceTransform.identity();

        private Builder(SliceSource source) {
            this.source = source;
        }

        /** Slices per batch (default 32). */
        public Builder batchSize(int n) {
            this.batchSize = positive(n, "batchSize");
            return this;
        }

        /** Batches per "epoch" (default 100, the reference's synthetic setting). */
        public Builder stepsPerEpoch(int n) {
            this.stepsPerEpoch = positive(n, "stepsPerEpoch");
            return this;
        }

        /** Fixes the sampling, the augmentation draws and the per-item transforms' seeds (default 777). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The augmentations, applied in order after {@link #transform}; empty for none. */
        public Builder augmentations(List<Transform> transforms) {
            this.augmentations = new ArrayList<>(Objects.requireNonNull(transforms, "augmentations"));
            return this;
        }

        /** A per-item transform applied before the augmentations (e.g. anomaly insertion, resize). */
        public Builder transform(SliceTransform t) {
            this.transform = Objects.requireNonNull(t, "transform");
            return this;
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + n);
            }
            return n;
        }

        public BatchLoader build() {
            if (source.size() == 0) {
                throw new IllegalArgumentException("the training source is empty; a classifier needs labelled slices");
            }
            int[] labels = source.infos().stream().mapToInt(SliceInfo::label).toArray();
            return BatchLoader.builder(source)
                    .sampler(BalancedSampler.of(labels, stepsPerEpoch * batchSize, Seeds.derive(seed, 1)))
                    .batchSize(batchSize).dropLast(true).transform(transform.andThen(augmentation()))
                    .seed(Seeds.derive(seed, 3)).build();
        }

        private SliceTransform augmentation() {
            if (augmentations.isEmpty()) {
                return SliceTransform.identity();
            }
            AugmentPipeline.Builder pb = AugmentPipeline.builder().seed(Seeds.derive(seed, 2));
            augmentations.forEach(pb::add);
            AugmentPipeline pipeline = pb.build();
            return (slice, itemSeed) -> {
                AugmentTarget out = pipeline.apply(new AugmentTarget(slice.image(), slice.masks()), 0, itemSeed);
                return new Slice(slice.scanId(), slice.sliceIndex(), slice.anatomicalIndex(), slice.label(),
                        slice.relativeHeight(), out.image(), slice.maskNames(), out.masks());
            };
        }
    }
}
