package dev.coin.core.experiment;

import dev.coin.core.RealSamples;
import dev.coin.core.train.ClassifierLoader;
import dev.coin.data.augment.Transform;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.ShuffledSampler;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * 32×32 slices for runner tests: a grey disc body on a dark background, and in every other slice a bright blob whose
 * mask is the truth ("anomaly"); four slices per scan. Training and evaluation slices are drawn with different seeds.
 * No augmentations at all (the reference ones would only slow the tests down).
 */
final class TinyExperimentData implements ExperimentData {
    static final int SIZE = 32;
    private final SliceSource train = SliceSource.of(slices(16, 1, "train"));
    private final List<Slice> evaluation = slices(8, 2, "val");

    static List<Slice> slices(int n, long seed, String prefix) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Slice> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            float[] img = new float[SIZE * SIZE];
            float[] blob = new float[SIZE * SIZE];
            float[] body = new float[SIZE * SIZE];
            boolean abnormal = s % 2 == 0;
            int cr = 10 + rng.nextInt(12);
            int cc = 10 + rng.nextInt(12);
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    int i = r * SIZE + c;
                    double dr = r - 15.5;
                    double dc = c - 15.5;
                    boolean inBody = dr * dr + dc * dc < 14 * 14;
                    body[i] = inBody ? 1 : 0;
                    img[i] = (float) (inBody ? -0.3 + 0.2 * rng.nextDouble() : -1.0 + 0.05 * rng.nextDouble());
                    if (abnormal && (r - cr) * (r - cr) + (c - cc) * (c - cc) <= 16) {
                        img[i] = (float) (0.85 + 0.1 * rng.nextDouble());
                        blob[i] = 1;
                    }
                }
            }
            Slice slice = new Slice(prefix + (s / 4), s, abnormal ? 1 : 0, 0.5, FloatImage.of(SIZE, SIZE, img),
                    List.of("kidney"), List.of(FloatImage.of(SIZE, SIZE, body)));
            // every slice has the mask (empty when healthy): a batch needs the same mask channels throughout
            out.add(slice.withMask("anomaly", FloatImage.of(SIZE, SIZE, blob)));
        }
        return out;
    }

    @Override
    public BatchLoader counterfactualBatches(RealSamples realSamples, int batchSize, long seed) {
        if (realSamples != RealSamples.INPUT) {
            throw new UnsupportedOperationException("the tiny test data has no paired healthy slices");
        }
        return BatchLoader.builder(train).batchSize(batchSize)
                .sampler(ShuffledSampler.shuffled(train.size(), seed)).dropLast(true).build();
    }

    @Override
    public BatchLoader classifierBatches(List<Transform> extraAugmentations, int batchSize, int steps, long seed) {
        return ClassifierLoader.builder(train).batchSize(batchSize).stepsPerEpoch(steps).seed(seed)
                .augmentations(extraAugmentations).build();
    }

    @Override
    public SliceSource classifierValidation() {
        return SliceSource.of(evaluation);
    }

    @Override
    public List<Slice> evaluationSlices() {
        return evaluation;
    }

    @Override
    public List<Slice> cleanEvaluationSlices() {
        return List.of();
    }

    @Override
    public String truthMask() {
        return "anomaly";
    }

    @Override
    public String splitHash() {
        return "tiny";
    }

    @Override
    public String describe() {
        return "tiny test slices, 32²";
    }

    /** Sizes for tests: 32², widths 4–16, two epochs. */
    static Budget budget() {
        return new Budget("test", SIZE, 4, new int[] {4, 8, 8, 16, 16}, 0.01, new int[] {4, 8, 8, 16, 16, 16}, 1, 2,
                4, 4, 1, 2, 8);
    }
}
