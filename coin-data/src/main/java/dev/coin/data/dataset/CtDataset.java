package dev.coin.data.dataset;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.ct.Fingerprint;
import dev.coin.data.ct.FingerprintExtractor;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.Slicer;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CT dataset on disk ({@link DatasetLayout}) turned into train and validation {@link SliceSource}s: fingerprint
 * → window → slicing of every scan (cached per scan, so later runs decode no NIfTI) → scan-level split.
 *
 * <pre>{@code
 * CtDataset ds = CtDataset.builder(Path.of("data/tuh"))          // nnU-Net layout, SliceConfig.tuh
 *         .sliceConfig(window -> SliceConfig.tuh(window))
 *         .build();
 * SliceSource train = ds.train();       // slices of the training scans
 * CtDataset kits = CtDataset.builder(DatasetLayout.kits19(Path.of("data/kits19"))).build();  // the layout's config
 * }</pre>
 *
 * <p>The fingerprint (0.5/99.5 percentiles of foreground intensities) is computed over all scans on first use, as
 * the reference does, and saved to {@code fingerprint.json}; the split is drawn once (80/20 stratified by tumour
 * volume) and saved to {@code splits/split.csv}. Both files are reused afterwards and never silently redrawn.
 */
public final class CtDataset {
    private static final Logger LOG = LoggerFactory.getLogger(CtDataset.class);

    private final DatasetLayout layout;
    private final SliceConfig sliceConfig;
    private final Fingerprint fingerprint;
    private final ScanSplit split;
    private final SliceCache cache;
    private final Map<String, DatasetLayout.ScanFiles> files;

    private CtDataset(Builder b) {
        this.layout = b.layout;
        List<DatasetLayout.ScanFiles> scans = layout.scans();
        this.files = new LinkedHashMap<>();
        scans.forEach(s -> files.put(s.id(), s));
        this.fingerprint = loadOrComputeFingerprint(scans, b.fingerprintSamples, FingerprintExtractor.DEFAULT_SEED);
        this.sliceConfig = b.sliceConfig.apply(fingerprint.toWindow());
        Path cacheRoot = b.cacheDir != null ? b.cacheDir : layout.root().resolve(".cache");
        this.cache = SliceCache.forConfig(cacheRoot, sliceConfig.toString(), b.memoryBytes);
        this.split = Files.exists(layout.splitFile()) ? checkedSplit(ScanSplit.load(layout.splitFile()))
                : drawSplit(b.validationFraction, b.seed);
    }

    /** A dataset in the nnU-Net layout ({@link DatasetLayout#nnUNet}), sliced with {@link SliceConfig#tuh} by default. */
    public static Builder builder(Path root) {
        return new Builder(DatasetLayout.nnUNet(Objects.requireNonNull(root, "root")));
    }

    /**
     * A dataset in any {@link DatasetLayout} (e.g. {@link DatasetLayout#kits19}, {@link DatasetLayout#totalSegmentator},
     * {@link DatasetLayout#detect}), sliced with {@link DatasetLayout#sliceConfig} by default.
     */
    public static Builder builder(DatasetLayout layout) {
        return new Builder(Objects.requireNonNull(layout, "layout"));
    }

    private Fingerprint loadOrComputeFingerprint(List<DatasetLayout.ScanFiles> scans, long samples, long seed) {
        Path fp = layout.fingerprintFile();
        if (Files.exists(fp)) {
            return Fingerprint.read(fp);
        }
        LOG.info("Computing the intensity fingerprint of {} scans in {}", scans.size(), layout.root());
        FingerprintExtractor.Accumulator acc = FingerprintExtractor.builder().totalSamples(samples).seed(seed).build()
                .start(scans.size());
        for (DatasetLayout.ScanFiles s : scans) {
            // scan ids come from the layout (nnU-Net image files carry a "_0000" channel suffix, KiTS files are all
            // called imaging.nii.gz)
            LabelledScan scan = layout.readUnchecked(s);
            acc.add(scan);
        }
        Fingerprint f = acc.finish();
        f.write(fp);
        return f;
    }

    private ScanSplit checkedSplit(ScanSplit s) {
        List<String> all = new ArrayList<>(s.train());
        all.addAll(s.validation());
        if (!new java.util.HashSet<>(all).equals(files.keySet())) {
            throw new IllegalStateException("split file " + layout.splitFile() + " names other scans than "
                    + layout + " holds; delete or move it to draw a new split deliberately");
        }
        return s;
    }

    private ScanSplit drawSplit(double validationFraction, long seed) {
        Map<String, Double> tumourVolume = new LinkedHashMap<>();
        LabelMap map = sliceConfig.labelMap();
        int tumourChannel = sliceConfig.tumourClass().map(map::channelIndex).orElse(-1);
        for (DatasetLayout.ScanFiles s : files.values()) {
            double count = 0;
            if (tumourChannel >= 0) {
                Volume label = readLabel(layout, s);
                for (int i = 0; i < label.voxelCount(); i++) {
                    float v = label.getFlat(i);
                    if (v == (int) v && map.channelHas(tumourChannel, (int) v)) {
                        count++;
                    }
                }
                double[] sp = label.spacing();
                count *= sp[0] * sp[1] * sp[2] / 1000.0; // ml
            }
            tumourVolume.put(s.id(), count);
        }
        return ScanSplit.loadOrCreate(layout.splitFile(), tumourVolume, validationFraction, seed);
    }

    private static Volume readLabel(DatasetLayout layout, DatasetLayout.ScanFiles s) {
        try {
            return layout.readLabel(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the labels of scan " + s.id() + " (" + s.label() + ")", e);
        }
    }

    /** The slices of one scan (sliced on first access, then from the cache). */
    public List<Slice> slicesOf(String scanId) {
        DatasetLayout.ScanFiles f = files.get(scanId);
        if (f == null) {
            throw new IllegalArgumentException("no scan '" + scanId + "' in " + layout.root() + "; scans are "
                    + files.keySet());
        }
        Slicer slicer = new Slicer(sliceConfig);
        return cache.slices(scanId, () -> slicer.slice(layout.readUnchecked(f)));
    }

    /** Slices of the training scans. */
    public SliceSource train() {
        return sourceOf(split.train());
    }

    /** Slices of the validation scans. */
    public SliceSource validation() {
        return sourceOf(split.validation());
    }

    /** Slices of the given scans, in the given order. */
    public SliceSource sourceOf(List<String> scanIds) {
        List<SliceInfo> infos = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        for (int s = 0; s < scanIds.size(); s++) {
            List<Slice> slices = slicesOf(scanIds.get(s));
            for (int k = 0; k < slices.size(); k++) {
                Slice sl = slices.get(k);
                infos.add(SliceInfo.of(sl));
                where.add(new int[] {s, k});
            }
        }
        List<String> ids = List.copyOf(scanIds);
        return new SliceSource() {
            @Override
            public int size() {
                return infos.size();
            }

            @Override
            public SliceInfo info(int index) {
                return infos.get(index);
            }

            @Override
            public Slice get(int index) {
                int[] w = where.get(index);
                return slicesOf(ids.get(w[0])).get(w[1]);
            }

            @Override
            public String toString() {
                long abnormal = infos.stream().filter(i -> i.label() == 1).count();
                return "SliceSource[" + ids.size() + " scans, " + infos.size() + " slices, " + abnormal
                        + " abnormal]";
            }
        };
    }

    public SliceConfig sliceConfig() {
        return sliceConfig;
    }

    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public CtWindow window() {
        return fingerprint.toWindow();
    }

    public ScanSplit split() {
        return split;
    }

    public DatasetLayout layout() {
        return layout;
    }

    public List<String> scanIds() {
        return List.copyOf(files.keySet());
    }

    public SliceCache cache() {
        return cache;
    }

    @Override
    public String toString() {
        return "CtDataset[" + layout.root() + ", " + files.size() + " scans, " + split + ", " + window() + "]";
    }

    /** Options of {@link CtDataset}. */
    public static final class Builder {
        private final DatasetLayout layout;
        private Function<CtWindow, SliceConfig> sliceConfig;
        private double validationFraction = 0.2;
        private long seed = 777;
        private long fingerprintSamples = FingerprintExtractor.DEFAULT_TOTAL_SAMPLES;
        private Path cacheDir;
        private long memoryBytes = 2L << 30;

        private Builder(DatasetLayout layout) {
            this.layout = layout;
            this.sliceConfig = layout::sliceConfig;
        }

        /**
         * How to slice, given the window from the fingerprint (default: the layout's
         * {@link DatasetLayout#sliceConfig}, i.e. {@link SliceConfig#tuh} for a root path).
         */
        public Builder sliceConfig(Function<CtWindow, SliceConfig> sliceConfig) {
            this.sliceConfig = Objects.requireNonNull(sliceConfig, "sliceConfig");
            return this;
        }

        /** Fraction of scans in validation when a split is drawn (default 0.2). */
        public Builder validationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /** Seed of the split draw (default 777; the fingerprint sampling keeps the reference's 1234). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Number of intensity samples for the fingerprint (default 1e7). */
        public Builder fingerprintSamples(long samples) {
            this.fingerprintSamples = samples;
            return this;
        }

        /** Folder of the per-scan slice cache (default {@code root/.cache}). */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** Bytes of slices kept in memory; the rest is memory-mapped from the cache files (default 2 GiB). */
        public Builder memoryBytes(long bytes) {
            this.memoryBytes = bytes;
            return this;
        }

        public CtDataset build() {
            return new CtDataset(this);
        }
    }
}
