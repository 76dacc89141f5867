package dev.coin.data.dataset;

import dev.coin.data.random.Seeds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COIN-Aligned's paired sampling (reference §9.3): an epoch visits every abnormal slice (label 1) once, in a seeded
 * order, each paired with a healthy slice (label 0) drawn uniformly from the same relative-height bin, pooled over
 * all scans. The bin of relative height r is {@code floor(bins · r)} (0..bins; the top slice alone reaches
 * {@code bins}).
 *
 * <p>Where the reference divides by zero (a scan with one kidney slice has no relative height) or crashes (an
 * abnormal slice whose bin holds no healthy slice), this sampler fails at construction with a message naming the
 * scan or the bin; {@link Builder#skipUnpairable()} drops such abnormal slices instead, with a warning.
 *
 * <pre>{@code
 * Sampler s = PairedHealthySampler.builder(infos).bins(50).seed(777).build();
 * EpochPlan p = s.plan(0);   // p.item(i) abnormal, p.partner(i) healthy
 * }</pre>
 */
public final class PairedHealthySampler implements Sampler {
    private static final Logger LOG = LoggerFactory.getLogger(PairedHealthySampler.class);

    private final int[] abnormal;
    private final int[][] partnersOf;
    private final long seed;
    private final int bins;

    private PairedHealthySampler(Builder b) {
        this.seed = b.seed;
        this.bins = b.bins;
        List<SliceInfo> infos = b.infos;
        Map<String, Integer> slicesPerScan = new HashMap<>();
        for (SliceInfo s : infos) {
            slicesPerScan.merge(s.scanId(), 1, Integer::sum);
        }
        Map<Integer, List<Integer>> healthyByBin = new HashMap<>();
        for (int i = 0; i < infos.size(); i++) {
            SliceInfo s = infos.get(i);
            if (s.label() == 0 && slicesPerScan.get(s.scanId()) > 1) {
                healthyByBin.computeIfAbsent(bin(s.relativeHeight()), k -> new ArrayList<>()).add(i);
            }
        }
        List<Integer> kept = new ArrayList<>();
        List<int[]> partners = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            SliceInfo s = infos.get(i);
            if (s.label() != 1) {
                continue;
            }
            String problem = null;
            if (slicesPerScan.get(s.scanId()) < 2) {
                problem = "scan " + s.scanId() + " has a single kidney slice (index " + s.sliceIndex()
                        + "), so its relative height is undefined";
            } else {
                List<Integer> pool = healthyByBin.get(bin(s.relativeHeight()));
                if (pool == null || pool.isEmpty()) {
                    problem = "relative-height bin " + bin(s.relativeHeight()) + " (of 0.." + bins
                            + ") has no healthy slice to pair with abnormal slice " + s.scanId() + "#"
                            + s.sliceIndex();
                } else {
                    kept.add(i);
                    partners.add(pool.stream().mapToInt(Integer::intValue).toArray());
                }
            }
            if (problem != null) {
                if (!b.skipUnpairable) {
                    throw new IllegalArgumentException(problem + "; use fewer bins, add healthy slices, or call "
                            + "PairedHealthySampler.builder(..).skipUnpairable() to drop such slices");
                }
                LOG.warn("Skipping unpairable slice: {}", problem);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no abnormal slice could be paired with a healthy one (of "
                    + infos.size() + " slices); a paired sampler needs label-1 and label-0 slices at similar heights");
        }
        abnormal = kept.stream().mapToInt(Integer::intValue).toArray();
        partnersOf = partners.toArray(new int[0][]);
    }

    public static Builder builder(List<SliceInfo> infos) {
        return new Builder(infos);
    }

    private int bin(double relativeHeight) {
        return (int) Math.floor(bins * relativeHeight);
    }

    /** Number of abnormal slices an epoch visits. */
    public int size() {
        return abnormal.length;
    }

    @Override
    public EpochPlan plan(int epoch) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
        int n = abnormal.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] items = new int[n];
        int[] partners = new int[n];
        for (int p = 0; p < n; p++) {
            items[p] = abnormal[order[p]];
            int[] pool = partnersOf[order[p]];
            partners[p] = pool[rng.nextInt(pool.length)];
        }
        return EpochPlan.paired(items, partners);
    }

    @Override
    public String toString() {
        return "PairedHealthySampler[" + abnormal.length + " abnormal slices, " + bins + " height bins, seed "
                + seed + "]";
    }

    /** Options of {@link PairedHealthySampler}. */
    public static final class Builder {
        private final List<SliceInfo> infos;
        private int bins = 50;
        private long seed = 777;
        private boolean skipUnpairable;

        private Builder(List<SliceInfo> infos) {
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("infos must list at least one slice, got "
                        + (infos == null ? "null" : "an empty list"));
            }
            this.infos = List.copyOf(infos);
        }

        /** Number of relative-height bins (reference: 50). */
        public Builder bins(int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("bins must be >= 1, got " + bins);
            }
            this.bins = bins;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Drop abnormal slices that cannot be paired (with a warning) instead of failing. */
        public Builder skipUnpairable() {
            this.skipUnpairable = true;
            return this;
        }

        public PairedHealthySampler build() {
            return new PairedHealthySampler(this);
        }
    }
}
