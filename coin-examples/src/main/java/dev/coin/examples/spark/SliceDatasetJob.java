package dev.coin.examples.spark;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.ct.Fingerprint;
import dev.coin.data.ct.FingerprintExtractor;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.dataset.SliceCache;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.Slicer;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark job 1: fingerprints and slices a whole dataset folder in parallel, into the same files {@code CtDataset}
 * would write on its first use ({@code fingerprint.json} and the per-scan slice cache), so that a later
 * {@code CtDataset.builder(layout).build()} with the same slicing decodes no NIfTI.
 *
 * <p>Two stages, each one Spark task per scan (a task handles whole scans): (1) each scan draws its fingerprint
 * samples ({@link FingerprintExtractor#sample}: the same stream it gets in the serial pass) and the driver merges
 * them in scan order, so the fingerprint equals the single-machine one exactly; skipped when the dataset already
 * has a fingerprint file. (2) Each scan is sliced with the window from the fingerprint and written to the slice
 * cache ({@link SliceCache#forConfig}, keyed by the slice config as {@code CtDataset} keys it); scans already in the
 * cache are left alone. The dataset folder and the cache must be on a file system every executor sees.
 *
 * <pre>{@code
 * try (JavaSparkContext sc = SparkJobs.localContext("slice", 2)) {
 *     SliceDatasetJob.Result r = SliceDatasetJob.builder(DatasetLayout.of(root)).recipe(SliceRecipe.layoutDefault(128))
 *             .build().run(sc);
 * }
 * }</pre>
 */
public final class SliceDatasetJob implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SliceDatasetJob.class);

    private final LayoutRef layout;
    private final SliceRecipe recipe;
    private final String cacheRoot;
    private final long fingerprintSamples;

    private SliceDatasetJob(Builder b) {
        this.layout = LayoutRef.of(b.layout);
        this.recipe = b.recipe;
        this.cacheRoot = (b.cacheRoot != null ? b.cacheRoot : b.layout.root().resolve(".cache")).toAbsolutePath()
                .toString();
        this.fingerprintSamples = b.fingerprintSamples;
    }

    public static Builder builder(DatasetLayout layout) {
        return new Builder(layout);
    }

    /**
     * What the job did.
     *
     * @param fingerprint  the dataset's fingerprint (computed, or read from its file)
     * @param sliceConfig  the slicing used (the recipe at the fingerprint's window)
     * @param cacheDir     the slice cache folder ({@code CtDataset.cache().directory()} with the same slicing)
     * @param scans        scans in the dataset
     * @param slicedScans  scans sliced by this run (the others were already cached)
     * @param slices       kidney slices of all scans
     * @param seconds      wall time
     */
    public record Result(Fingerprint fingerprint, SliceConfig sliceConfig, Path cacheDir, int scans, int slicedScans,
                         long slices, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "SliceDatasetJob[%d scans (%d sliced now), %d slices, %s, %.1f s]",
                    scans, slicedScans, slices, cacheDir, seconds);
        }
    }

    /** Runs both stages on {@code sc} and returns when the cache is complete. */
    public Result run(JavaSparkContext sc) {
        long start = System.nanoTime();
        DatasetLayout l = layout.open();
        List<String> ids = new ArrayList<>(layout.scansById(l).keySet());
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no scans in " + l);
        }
        int n = ids.size();
        Fingerprint fp;
        if (Files.exists(l.fingerprintFile())) {
            fp = Fingerprint.read(l.fingerprintFile());
            LOG.info("Fingerprint of {} read from {}", l.root(), l.fingerprintFile());
        } else {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                indices.add(i);
            }
            LayoutRef ref = layout;
            long samples = fingerprintSamples;
            List<String> idList = List.copyOf(ids);
            // one partition per scan: a task is one whole scan; collect() keeps the scan order
            List<float[]> drawn = sc.parallelize(indices, n).mapPartitions((Iterator<Integer> it) -> {
                DatasetLayout here = ref.open();
                Map<String, DatasetLayout.ScanFiles> files = ref.scansById(here);
                FingerprintExtractor fx = FingerprintExtractor.builder().totalSamples(samples).build();
                List<float[]> out = new ArrayList<>();
                while (it.hasNext()) {
                    int i = it.next();
                    out.add(fx.sample(here.readUnchecked(files.get(idList.get(i))), i, idList.size()));
                }
                return out.iterator();
            }).collect();
            FingerprintExtractor.Accumulator acc = FingerprintExtractor.builder().totalSamples(samples).build()
                    .start(n);
            for (int i = 0; i < n; i++) {
                acc.addSamples(ids.get(i), drawn.get(i));
            }
            fp = acc.finish();
            fp.write(l.fingerprintFile());
        }
        CtWindow window = fp.toWindow();
        SliceConfig config = recipe.sliceConfig(l, window);
        Path cacheDir = SliceCache.forConfig(Path.of(cacheRoot), config.toString(), 0).directory();
        LayoutRef ref = layout;
        SliceRecipe r = recipe;
        String dir = cacheDir.toString();
        double lo = window.lo(); // CtWindow is not serialisable
        double hi = window.hi();
        List<long[]> counts = sc.parallelize(ids, n).mapPartitions((Iterator<String> it) -> {
            DatasetLayout here = ref.open();
            Map<String, DatasetLayout.ScanFiles> files = ref.scansById(here);
            SliceConfig cfg = r.sliceConfig(here, CtWindow.of(lo, hi));
            SliceCache cache = SliceCache.in(Path.of(dir), 0);
            Slicer slicer = new Slicer(cfg);
            List<long[]> out = new ArrayList<>();
            while (it.hasNext()) {
                String id = it.next();
                long before = cache.computedScans();
                int size = cache.slices(id, () -> slicer.slice(here.readUnchecked(files.get(id)))).size();
                out.add(new long[] {size, cache.computedScans() - before});
            }
            return out.iterator();
        }).collect();
        long slices = counts.stream().mapToLong(c -> c[0]).sum();
        int sliced = (int) counts.stream().mapToLong(c -> c[1]).sum();
        Result res = new Result(fp, config, cacheDir, n, sliced, slices, (System.nanoTime() - start) / 1e9);
        LOG.info("{}", res);
        return res;
    }

    /** Options of {@link SliceDatasetJob}. */
    public static final class Builder {
        private final DatasetLayout layout;
        private SliceRecipe recipe;
        private Path cacheRoot;
        private long fingerprintSamples = FingerprintExtractor.DEFAULT_TOTAL_SAMPLES;

        private Builder(DatasetLayout layout) {
            this.layout = java.util.Objects.requireNonNull(layout, "layout");
            this.recipe = (l, w) -> l.sliceConfig(w);
        }

        /** How to slice given the window (default: the layout's {@code sliceConfig(window)}, as CtDataset). */
        public Builder recipe(SliceRecipe recipe) {
            this.recipe = java.util.Objects.requireNonNull(recipe, "recipe");
            return this;
        }

        /** Root of the slice cache (default {@code root/.cache}, as CtDataset). */
        public Builder cacheRoot(Path dir) {
            this.cacheRoot = dir;
            return this;
        }

        /** Intensity samples of the fingerprint (default 1e7, as CtDataset). */
        public Builder fingerprintSamples(long samples) {
            if (samples <= 0) {
                throw new IllegalArgumentException("samples must be > 0, got " + samples);
            }
            this.fingerprintSamples = samples;
            return this;
        }

        public SliceDatasetJob build() {
            return new SliceDatasetJob(this);
        }
    }
}
