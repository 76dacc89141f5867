package dev.coin.data.dataset;

import dev.coin.data.random.Seeds;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Class-balanced sampling with replacement, as the reference's {@code ImbalancedDatasetSampler}: each item has
 * weight 1 / (number of items with its label), and an epoch draws {@code size} items (default: the dataset size)
 * with replacement, so each label fills about half of every epoch.
 */
public final class BalancedSampler implements Sampler {
    private final double[] cumulative;
    private final int samplesPerEpoch;
    private final long seed;
    private final int[] labelCounts;

    private BalancedSampler(int[] labels, int samplesPerEpoch, long seed) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("labels is empty; a balanced sampler needs at least one item");
        }
        if (samplesPerEpoch <= 0) {
            throw new IllegalArgumentException("samplesPerEpoch must be > 0, got " + samplesPerEpoch);
        }
        int max = Arrays.stream(labels).max().getAsInt();
        int min = Arrays.stream(labels).min().getAsInt();
        if (min < 0) {
            throw new IllegalArgumentException("labels must be >= 0, found " + min);
        }
        labelCounts = new int[max + 1];
        for (int l : labels) {
            labelCounts[l]++;
        }
        cumulative = new double[labels.length];
        double acc = 0;
        for (int i = 0; i < labels.length; i++) {
            acc += 1.0 / labelCounts[labels[i]];
            cumulative[i] = acc;
        }
        this.samplesPerEpoch = samplesPerEpoch;
        this.seed = seed;
    }

    /** Balanced over the labels of {@code infos}; one epoch = as many draws as items. */
    public static BalancedSampler of(List<SliceInfo> infos, long seed) {
        int[] labels = infos.stream().mapToInt(SliceInfo::label).toArray();
        return new BalancedSampler(labels, labels.length, seed);
    }

    /** Balanced over {@code labels} with an explicit epoch length. */
    public static BalancedSampler of(int[] labels, int samplesPerEpoch, long seed) {
        return new BalancedSampler(labels.clone(), samplesPerEpoch, seed);
    }

    @Override
    public EpochPlan plan(int epoch) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
        double total = cumulative[cumulative.length - 1];
        int[] idx = new int[samplesPerEpoch];
        for (int s = 0; s < samplesPerEpoch; s++) {
            double u = rng.nextDouble() * total;
            int pos = Arrays.binarySearch(cumulative, u);
            idx[s] = Math.min(cumulative.length - 1, pos >= 0 ? pos + 1 : -pos - 1);
        }
        return EpochPlan.of(idx);
    }

    @Override
    public String toString() {
        return "BalancedSampler[" + cumulative.length + " items, label counts " + Arrays.toString(labelCounts)
                + ", " + samplesPerEpoch + " draws/epoch, seed " + seed + "]";
    }
}
