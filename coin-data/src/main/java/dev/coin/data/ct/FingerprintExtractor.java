package dev.coin.data.ct;

import dev.coin.data.volume.LabelValues;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a {@link Fingerprint} from labelled scans, following the reference's {@code extract_fingerprint.py}:
 * from every scan the same number of foreground voxel intensities ({@code totalSamples / scans}, rounded down) is
 * drawn uniformly <em>with replacement</em>; statistics are taken over the pooled samples.
 *
 * <p>Foreground is {@code label > 0} by default, or the label values given to
 * {@link Builder#foregroundLabels(int...)} (the reference's TUH fingerprint used the tumour only). Sampling uses a
 * seeded {@link SplittableRandom} (the reference uses numpy's {@code RandomState(1234)}; the draws differ, the
 * distribution does not), split once per scan in the order scans are added, so a result depends only on the
 * seed, the options and the scan order.
 *
 * <p>A scan without foreground voxels is skipped with a warning and listed in
 * {@link Fingerprint#skippedScans()} (the reference would crash); the other scans still contribute
 * {@code totalSamples / scans} samples each, so the pool is smaller. {@link Builder#failOnEmptyScan(boolean)}
 * turns the skip into an error; if every scan is empty the extractor always fails.
 *
 * <pre>{@code
 * FingerprintExtractor ex = FingerprintExtractor.builder().totalSamples(10_000_000).seed(1234)
 *         .foregroundLabels(2).build();                          // tumour-only fingerprint, as for TUH
 * Fingerprint fp = ex.compute(List.of(new LabelledScan(ct, seg), ...));
 *
 * FingerprintExtractor.Accumulator acc = ex.start(files.size());  // streaming: one scan in memory at a time
 * for (Path f : files) acc.add(readScan(f));
 * Fingerprint fp2 = acc.finish();
 * }</pre>
 */
public final class FingerprintExtractor {
    /** Default pooled sample count (the reference pools 1e8; 1e7 gives the same percentiles to ~0.1 HU). */
    public static final long DEFAULT_TOTAL_SAMPLES = 10_000_000L;
    /** The reference's seed. */
    public static final long DEFAULT_SEED = 1234L;
    private static final long MAX_SAMPLES = Integer.MAX_VALUE - 8;
    private static final Logger LOG = LoggerFactory.getLogger(FingerprintExtractor.class);

    private final long totalSamples;
    private final long seed;
    private final int[] foregroundLabels;
    private final boolean failOnEmptyScan;

    private FingerprintExtractor(Builder b) {
        this.totalSamples = b.totalSamples;
        this.seed = b.seed;
        this.foregroundLabels = b.foregroundLabels.clone();
        this.failOnEmptyScan = b.failOnEmptyScan;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.totalSamples = totalSamples;
        b.seed = seed;
        b.foregroundLabels = foregroundLabels.clone();
        b.failOnEmptyScan = failOnEmptyScan;
        return b;
    }

    public long totalSamples() {
        return totalSamples;
    }

    public long seed() {
        return seed;
    }

    /** The foreground label values; empty means every label value &gt; 0. */
    public int[] foregroundLabels() {
        return foregroundLabels.clone();
    }

    public boolean failOnEmptyScan() {
        return failOnEmptyScan;
    }

    /** Fingerprint of all {@code scans} (held in memory together; use {@link #start(int)} to stream). */
    public Fingerprint compute(List<LabelledScan> scans) {
        if (scans == null || scans.isEmpty()) {
            throw new IllegalArgumentException("scans must hold at least one labelled scan, got "
                    + (scans == null ? "null" : "an empty list"));
        }
        Accumulator acc = start(scans.size());
        for (LabelledScan s : scans) {
            acc.add(s);
        }
        return acc.finish();
    }

    /**
     * Starts a streaming computation over {@code scanCount} scans (the per-scan sample count depends on it).
     *
     * @throws IllegalArgumentException if {@code scanCount} is not positive or exceeds {@link #totalSamples()}
     */
    public Accumulator start(int scanCount) {
        if (scanCount <= 0) {
            throw new IllegalArgumentException("scanCount must be > 0, got " + scanCount);
        }
        if (scanCount > totalSamples) {
            throw new IllegalArgumentException("totalSamples (" + totalSamples + ") must be at least the number of "
                    + "scans (" + scanCount + ") so every scan contributes a sample; raise totalSamples");
        }
        return new Accumulator(scanCount);
    }

    /**
     * The p-th percentile of ascending-sorted values with numpy's default ("linear") definition: position
     * {@code p/100·(n−1)}, linear interpolation between the neighbouring order statistics.
     *
     * @param sorted ascending values, at least one
     * @param p      percentile in [0, 100]
     */
    public static double percentile(float[] sorted, double p) {
        if (sorted == null || sorted.length == 0) {
            throw new IllegalArgumentException("sorted must hold at least one value");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be a percentile in [0, 100], got " + p);
        }
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double t = pos - lo;
        double a = sorted[lo];
        double b = sorted[hi];
        // numpy's lerp: interpolate from the nearer end, which keeps the result inside [a, b]
        return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
    }

    @Override
    public String toString() {
        return "FingerprintExtractor[totalSamples=" + totalSamples + ", seed=" + seed + ", foreground="
                + (foregroundLabels.length == 0 ? "label > 0" : "labels " + Arrays.toString(foregroundLabels))
                + (failOnEmptyScan ? ", fail on empty scan" : ", skip empty scans") + "]";
    }

    /**
     * The samples the {@code scanIndex}-th of {@code scanCount} scans contributes: exactly what an
     * {@link Accumulator} started for {@code scanCount} scans draws from it when it is added in that position. Lets
     * scans be sampled in parallel (one task per scan) and merged with {@link Accumulator#addSamples} in order.
     *
     * @return {@code totalSamples / scanCount} samples, or an empty array for a scan without foreground voxels
     *         (unless {@link #failOnEmptyScan()})
     */
    public float[] sample(LabelledScan scan, int scanIndex, int scanCount) {
        if (scanIndex < 0 || scanIndex >= scanCount) {
            throw new IllegalArgumentException("scanIndex must be in [0, " + scanCount + "), got " + scanIndex);
        }
        if (scanCount > totalSamples) {
            throw new IllegalArgumentException("totalSamples (" + totalSamples + ") must be at least the number of "
                    + "scans (" + scanCount + ") so every scan contributes a sample; raise totalSamples");
        }
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom rng = master.split();
        for (int i = 0; i < scanIndex; i++) {
            rng = master.split();
        }
        float[] s = draw(scan, rng, (int) (totalSamples / scanCount));
        return s == null ? new float[0] : s;
    }

    /** One scan's samples drawn with its stream, or null for a scan without foreground voxels (skipped). */
    private float[] draw(LabelledScan scan, SplittableRandom rng, int perScan) {
        Volume label = scan.label();
        Volume image = scan.image();
        int n = (int) label.voxelCount();
        int foreground = 0;
        for (int v = 0; v < n; v++) {
            if (isForeground(LabelValues.classAt(label, v))) {
                foreground++;
            }
        }
        if (foreground == 0) {
            String msg = "scan " + scan.id() + " has no foreground voxels ("
                    + (foregroundLabels.length == 0 ? "label > 0" : "labels " + Arrays.toString(foregroundLabels))
                    + ")";
            if (failOnEmptyScan) {
                throw new IllegalArgumentException(msg + "; remove it from the list or build the extractor "
                        + "with failOnEmptyScan(false) to skip it");
            }
            LOG.warn("{}; skipped (it contributes no fingerprint samples)", msg);
            return null;
        }
        int[] ranks = new int[perScan];
        for (int s = 0; s < perScan; s++) {
            ranks[s] = rng.nextInt(foreground);
        }
        Arrays.sort(ranks);
        float[] out = new float[perScan];
        int next = 0;
        int rank = 0;
        for (int v = 0; v < n && next < perScan; v++) {
            if (!isForeground(LabelValues.classAt(label, v))) {
                continue;
            }
            float x = image.getFlat(v);
            while (next < perScan && ranks[next] == rank) {
                if (Float.isNaN(x)) {
                    throw new IllegalArgumentException("image volume " + image.id() + " holds NaN at foreground "
                            + "voxel " + v + " (flat index); fix or mask the scan before fingerprinting");
                }
                out[next++] = x;
            }
            rank++;
        }
        LOG.debug("fingerprint: scan {} has {} foreground voxels, sampled {}", scan.id(), foreground, perScan);
        return out;
    }

    /** Collects samples scan by scan; not thread-safe; {@link #finish()} once. */
    public final class Accumulator {
        private final int scanCount;
        private final int perScan;
        private final float[] pool;
        private final SplittableRandom master;
        private final List<String> skipped = new ArrayList<>();
        private int filled;
        private int added;

        private Accumulator(int scanCount) {
            this.scanCount = scanCount;
            this.perScan = (int) (totalSamples / scanCount);
            this.pool = new float[perScan * scanCount];
            this.master = new SplittableRandom(seed);
        }

        /** Adds one scan. */
        public Accumulator add(LabelledScan scan) {
            checkRoom();
            added++;
            SplittableRandom rng = master.split(); // one stream per scan, consumed even if the scan is skipped
            keep(scan.id(), draw(scan, rng, perScan));
            return this;
        }

        /**
         * Adds the samples of one scan drawn elsewhere by {@link #sample(LabelledScan, int, int)} with this
         * accumulator's scan count and the scan's position: the same fingerprint as {@link #add(LabelledScan)}
         * when scans are added in the same order (parallel sampling, e.g. one task per scan, merged in order).
         *
         * @param samples the samples, empty for a scan without foreground voxels (it is reported as skipped)
         */
        public Accumulator addSamples(String scanId, float[] samples) {
            checkRoom();
            if (samples.length != 0 && samples.length != perScan) {
                throw new IllegalArgumentException("scan " + scanId + " brings " + samples.length + " samples but "
                        + "this accumulator takes " + perScan + " per scan; draw them with sample(scan, index, "
                        + scanCount + ")");
            }
            added++;
            master.split(); // keep the per-scan streams aligned with add(scan)
            keep(scanId, samples.length == 0 ? null : samples);
            return this;
        }

        private void checkRoom() {
            if (added == scanCount) {
                throw new IllegalStateException("this accumulator was started for " + scanCount
                        + " scans and all have been added; start(n) with the right count");
            }
        }

        private void keep(String scanId, float[] samples) {
            if (samples == null) {
                skipped.add(scanId);
                return;
            }
            System.arraycopy(samples, 0, pool, filled, samples.length);
            filled += samples.length;
        }

        /** Adds one scan given as image and label volumes. */
        public Accumulator add(Volume image, Volume label) {
            return add(new LabelledScan(image, label));
        }

        /**
         * The fingerprint of the scans added.
         *
         * @throws IllegalStateException if fewer scans were added than announced, or every scan was empty
         */
        public Fingerprint finish() {
            if (added != scanCount) {
                throw new IllegalStateException("started for " + scanCount + " scans but " + added
                        + " were added; add the rest or start(" + added + ")");
            }
            if (filled == 0) {
                throw new IllegalStateException("none of the " + scanCount + " scans has foreground voxels ("
                        + (foregroundLabels.length == 0 ? "label > 0" : "labels " + Arrays.toString(foregroundLabels))
                        + "); check the label volumes or the foreground labels");
            }
            float[] v = Arrays.copyOf(pool, filled);
            Arrays.sort(v);
            double sum = 0;
            for (float x : v) {
                sum += x;
            }
            double mean = sum / v.length;
            double sq = 0;
            for (float x : v) {
                double d = x - mean;
                sq += d * d;
            }
            Fingerprint fp = new Fingerprint(percentile(v, 0.5), percentile(v, 99.5), mean, Math.sqrt(sq / v.length),
                    percentile(v, 50), v[0], v[v.length - 1], v.length, scanCount, skipped);
            LOG.info("{}", fp);
            return fp;
        }
    }

    private boolean isForeground(int labelValue) {
        if (foregroundLabels.length == 0) {
            return labelValue > 0;
        }
        for (int f : foregroundLabels) {
            if (f == labelValue) {
                return true;
            }
        }
        return false;
    }

    /** Options; every setter validates its argument. */
    public static final class Builder {
        private long totalSamples = DEFAULT_TOTAL_SAMPLES;
        private long seed = DEFAULT_SEED;
        private int[] foregroundLabels = new int[0];
        private boolean failOnEmptyScan;

        private Builder() {
        }

        /** Pooled sample count over all scans, &gt; 0 and at most {@value #MAX_SAMPLES}. */
        public Builder totalSamples(long totalSamples) {
            if (totalSamples <= 0 || totalSamples > MAX_SAMPLES) {
                throw new IllegalArgumentException("totalSamples must be in [1, " + MAX_SAMPLES + "], got "
                        + totalSamples + " (the reference pools 1e8; 1e7 is the default)");
            }
            this.totalSamples = totalSamples;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Label values counted as foreground (each &gt; 0); none given means every label value &gt; 0. */
        public Builder foregroundLabels(int... labels) {
            for (int l : labels) {
                if (l <= 0) {
                    throw new IllegalArgumentException("foreground labels must be > 0 (0 is background), got "
                            + Arrays.toString(labels));
                }
            }
            this.foregroundLabels = Arrays.stream(labels).distinct().sorted().toArray();
            return this;
        }

        /** Whether a scan without foreground voxels is an error (true) or skipped with a warning (false, default). */
        public Builder failOnEmptyScan(boolean fail) {
            this.failOnEmptyScan = fail;
            return this;
        }

        public FingerprintExtractor build() {
            return new FingerprintExtractor(this);
        }
    }
}
