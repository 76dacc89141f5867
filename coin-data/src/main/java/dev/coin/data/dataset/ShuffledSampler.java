package dev.coin.data.dataset;

import dev.coin.data.random.Seeds;

import java.util.SplittableRandom;

/** Every item once per epoch, in a seeded random order (or in order when shuffling is off, for evaluation). */
public final class ShuffledSampler implements Sampler {
    private final int size;
    private final long seed;
    private final boolean shuffle;

    private ShuffledSampler(int size, long seed, boolean shuffle) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0, got " + size + "; is the dataset empty?");
        }
        this.size = size;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    public static ShuffledSampler shuffled(int size, long seed) {
        return new ShuffledSampler(size, seed, true);
    }

    /** Items 0..size-1 in order every epoch. */
    public static ShuffledSampler sequential(int size) {
        return new ShuffledSampler(size, 0, false);
    }

    @Override
    public EpochPlan plan(int epoch) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return EpochPlan.of(idx);
    }

    @Override
    public String toString() {
        return shuffle ? "ShuffledSampler[" + size + " items, seed " + seed + "]" : "SequentialSampler[" + size + "]";
    }
}
