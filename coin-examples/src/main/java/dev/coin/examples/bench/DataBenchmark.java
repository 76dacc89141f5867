package dev.coin.examples.bench;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.dataset.BalancedSampler;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.random.Seeds;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceOrientation;
import dev.coin.data.slice.Slicer;
import dev.coin.data.synth.AnomalyInsertion;
import dev.coin.data.synth.GaussianBlobAnomaly;
import dev.coin.data.synth.SyntheticDataset;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Data-path benchmark (a program, not a test): (1) read + slice + resize of a 512×512×200 int16 {@code .nii.gz};
 * (2) building the default embedded synthetic dataset; (3) one epoch of batches from it (first epoch: slicing and
 * cache files; second epoch: from the cache). Prints medians, spread and peak RSS.
 *
 * <pre>
 * mvn -B -q -pl coin-examples -am compile exec:java -Dexec.mainClass=dev.coin.examples.bench.DataBenchmark
 * </pre>
 */
public final class DataBenchmark {
    private DataBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        NativeBackend.configure();
        Path work = Files.createTempDirectory("coin-bench-");
        int scans = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        try {
            niftiReadSliceResize(work);
            syntheticDataset(work, scans);
        } finally {
            deleteTree(work);
        }
        System.out.printf(Locale.ROOT, "peak RSS %.0f MiB%n", BenchStats.peakRssMib());
    }

    static void niftiReadSliceResize(Path work) throws IOException {
        int n = 512;
        int nz = 200;
        float[] hu = new float[n * n * nz];
        float[] lab = new float[n * n * nz];
        SplittableRandom rng = Seeds.rng(1, 2);
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    int idx = i + n * (j + n * k);
                    double r = Math.hypot(i - 256, (j - 256) * 1.3);
                    hu[idx] = (float) Math.rint(r < 200 ? 40 + 20 * rng.nextDouble() : -1000);
                    // a "kidney" in slices 60..139
                    if (k >= 60 && k < 140 && Math.hypot(i - 180, j - 300) < 40) {
                        lab[idx] = Math.hypot(i - 180, j - 300) < 12 && k > 90 && k < 110 ? 2 : 1;
                        hu[idx] = 150;
                    }
                }
            }
        }
        double[] spacing = {0.78, 0.78, 2.5};
        Volume image = Volume.of("bench", new int[] {n, n, nz}, hu, spacing);
        Volume label = image.withVoxels("bench", lab);
        Path img = work.resolve("bench_0000.nii.gz");
        Path lbl = work.resolve("bench.nii.gz");
        NiftiVolumes.write(image, img, NiftiDataType.INT16);
        NiftiVolumes.write(label, lbl, NiftiDataType.UINT8);
        System.out.printf(Locale.ROOT, "512x512x200 int16 .nii.gz: %.1f MB on disk%n", Files.size(img) / 1e6);
        Slicer slicer = new Slicer(SliceConfig.tuh(CtWindow.of(-100, 300)).toBuilder()
                .orientation(SliceOrientation.VOXEL).build());
        double[] read = BenchStats.time(1, 5, () -> readQuietly(img));
        System.out.println("  read image           " + BenchStats.summary(read));
        Volume v = readQuietly(img);
        Volume l = readQuietly(lbl);
        final int[] kept = new int[1];
        double[] slice = BenchStats.time(1, 5, () -> kept[0] = slicer.slice(v, l).size());
        System.out.println("  slice + resize 256²  " + BenchStats.summary(slice) + ", " + kept[0] + " slices kept");
        double[] all = BenchStats.time(1, 5, () -> slicer.slice(readQuietly(img), readQuietly(lbl)));
        System.out.println("  read both + slice    " + BenchStats.summary(all));
    }

    static void syntheticDataset(Path work, int scans) {
        Path root = work.resolve("synthetic");
        long t = System.nanoTime();
        SyntheticDataset.ensure(root, SyntheticDataset.defaultConfig(), scans);
        double build = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        SyntheticDataset.ensure(root, SyntheticDataset.defaultConfig(), scans);
        double again = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "default embedded dataset (%d scans, 512²): built in %.1f s, second call %.3f s%n",
                scans, build, again);
        t = System.nanoTime();
        CtDataset ds = CtDataset.builder(root).sliceConfig(w -> SliceConfig.tuh(w).toBuilder().kidneyThreshold(32)
                .orientation(SliceOrientation.TRANSPOSED).build()).build();
        SliceSource train = ds.train();
        double open = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "  open dataset (fingerprint, split, slicing all scans into the cache): %.1f s, "
                + "%d training slices%n", open, train.size());
        BatchLoader loader = BatchLoader.builder(train).batchSize(16).seed(777)
                .sampler(BalancedSampler.of(train.infos(), 777))
                .transform(AnomalyInsertion.training(GaussianBlobAnomaly.coin())).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            t = System.nanoTime();
            int batches = 0;
            try (BatchLoader.Epoch e = loader.epoch(epoch)) {
                while (e.hasNext()) {
                    Batch b = e.next();
                    batches += b.size() > 0 ? 1 : 0;
                }
            }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf(Locale.ROOT, "  epoch %d of batches (16 x 256², anomalies drawn per access): %d batches "
                    + "in %.2f s (%.1f ms/batch)%n", epoch, batches, s, 1000 * s / batches);
        }
        t = System.nanoTime();
        CtDataset reopened = CtDataset.builder(root).sliceConfig(w -> SliceConfig.tuh(w).toBuilder()
                .kidneyThreshold(32).orientation(SliceOrientation.TRANSPOSED).build()).build();
        List<Slice> first = reopened.slicesOf(reopened.split().train().get(0));
        System.out.printf(Locale.ROOT, "  reopen in a new dataset object (slices from cache files): %.2f s (%d slices "
                + "of the first scan)%n", (System.nanoTime() - t) / 1e9, first.size());
    }

    private static Volume readQuietly(Path p) {
        try {
            return NiftiVolumes.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
