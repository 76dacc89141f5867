package dev.coin.examples.bench;

import dev.coin.core.Presets;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.VolumeSegmenter;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.train.PipelineTrainer;
import dev.coin.data.ct.CtWindow;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.SyntheticDataset;
import dev.coin.examples.spark.SegmentArchiveJob;
import dev.coin.examples.spark.SliceDatasetJob;
import dev.coin.examples.spark.SliceRecipe;
import dev.coin.examples.spark.SparkJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Scans per minute of the archive path, single machine ({@link VolumeSegmenter} in a loop, one model) against the
 * Spark jobs in local mode ({@code local[threads]}), on a phantom dataset: slicing (CtDataset's first pass vs
 * {@link SliceDatasetJob}) and segmentation ({@link VolumeSegmenter} + {@code writeMask} vs
 * {@link SegmentArchiveJob}). The model is the tiny test network trained for one epoch: the numbers measure the
 * plumbing (reading, slicing, explaining, pasting back, writing), not a paper-size generator. Needs Spark on the
 * class path and its JVM flags (README, "Whole archives on Apache Spark"):
 *
 * <pre>
 * scripts/bench-spark.sh 12 96 32 2      # builds, writes the test class path (Spark is provided), runs this
 * </pre>
 * Arguments: scans (12), phantom matrix (96), slice size (32), Spark threads (2).
 */
public final class SparkBenchmark {
    private SparkBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        NativeBackend.configure();
        int scans = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int matrix = args.length > 1 ? Integer.parseInt(args[1]) : 96;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path work = Files.createTempDirectory("coin-spark-bench-");
        try {
            PhantomConfig phantoms = PhantomConfig.builder().seed(5).matrixSize(matrix).build();
            DatasetLayout serial = SyntheticDataset.ensure(work.resolve("serial"), phantoms, scans);
            DatasetLayout spark = SyntheticDataset.ensure(work.resolve("spark"), phantoms, scans);
            SliceRecipe recipe = (l, w) -> l.sliceConfig(w).toBuilder().outputSize(size, size).kidneyThreshold(8)
                    .build();
            System.out.printf(Locale.ROOT, "%d phantom scans of %d² (%s), %d² slices, Spark local[%d], %d cores%n",
                    scans, matrix, sizeOf(serial), size, threads, Runtime.getRuntime().availableProcessors());

            long t0 = System.nanoTime();
            CtDataset ds = CtDataset.builder(serial).sliceConfig(w -> recipe.sliceConfig(serial, w)).build();
            List<Slice> all = new ArrayList<>();
            for (String id : ds.scanIds()) {
                all.addAll(ds.slicesOf(id));
            }
            double sliceSerial = (System.nanoTime() - t0) / 1e9;
            TrainedPipeline model = tinyModel(all);
            Path modelDir = model.save(work.resolve("model"));
            CtWindow window = ds.window();
            SliceConfig cfg = recipe.sliceConfig(serial, window);

            VolumeSegmenter seg = VolumeSegmenter.of(TrainedPipeline.load(modelDir), cfg)
                    .withMaskPolicy(MaskPolicy.DEFAULT);
            List<DatasetLayout.ScanFiles> files = serial.scans();
            seg.segment(files.get(0).image(), files.get(0).label()); // warm-up: graph build, JIT
            Path out = Files.createDirectories(work.resolve("out-serial"));
            t0 = System.nanoTime();
            for (DatasetLayout.ScanFiles f : files) {
                seg.segment(f.image(), f.label()).writeMask(out.resolve(f.id() + "_mask.nii.gz"));
            }
            double segMainThread = (System.nanoTime() - t0) / 1e9;
            // the same loop on a fresh thread (as a Spark task runs): the main thread trained the model above
            double[] fresh = new double[1];
            Thread worker = new Thread(() -> {
                long s0 = System.nanoTime();
                for (DatasetLayout.ScanFiles f : files) {
                    try {
                        seg.segment(f.image(), f.label()).writeMask(out.resolve(f.id() + "_mask.nii.gz"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                fresh[0] = (System.nanoTime() - s0) / 1e9;
            });
            worker.start();
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            double segSerial = fresh[0];
            System.out.printf(Locale.ROOT, "single machine on the training thread: %.1f scans/min (%.1f s)%n",
                    perMinute(scans, segMainThread), segMainThread);
            t0 = System.nanoTime();
            try (JavaSparkContext sc = SparkJobs.localContext("SparkBenchmark", threads)) {
                double startUp = (System.nanoTime() - t0) / 1e9;
                SliceDatasetJob.Result sliced = SliceDatasetJob.builder(spark).recipe(recipe).build().run(sc);
                // warm-up on a throw-away output (loads the model in each task slot), then the timed run
                SegmentArchiveJob.builder(spark, modelDir, window, work.resolve("out-warm")).recipe(recipe).build()
                        .run(sc);
                SegmentArchiveJob.Result segmented = SegmentArchiveJob.builder(spark, modelDir, window,
                        work.resolve("out-spark")).recipe(recipe).build().run(sc);
                System.out.printf(Locale.ROOT, "Spark context start-up %.1f s%n", startUp);
                System.out.printf(Locale.ROOT, "slicing       single machine %6.1f scans/min (%.1f s) | Spark local[%d] %6.1f "
                        + "scans/min (%.1f s)%n", perMinute(scans, sliceSerial), sliceSerial, threads,
                        perMinute(scans, sliced.seconds()), sliced.seconds());
                System.out.printf(Locale.ROOT, "segmentation  single machine %6.1f scans/min (%.1f s) | Spark local[%d] %6.1f "
                        + "scans/min (%.1f s)%n", perMinute(scans, segSerial), segSerial, threads,
                        perMinute(scans, segmented.seconds()), segmented.seconds());
                System.out.println(segmented);
            }
        } finally {
            deleteTree(work);
        }
        System.out.printf(Locale.ROOT, "peak RSS %.0f MiB%n", BenchStats.peakRssMib());
    }

    private static double perMinute(int scans, double seconds) {
        return scans * 60.0 / seconds;
    }

    private static String sizeOf(DatasetLayout layout) throws IOException {
        long bytes = 0;
        for (DatasetLayout.ScanFiles f : layout.scans()) {
            bytes += Files.size(f.image());
        }
        return String.format(Locale.ROOT, "%.1f MB of .nii.gz images", bytes / 1e6);
    }

    /** The tiny network of the benchmark and of SparkJobsTest (4–16 channels), one epoch on 16 slices. */
    public static TrainedPipeline tinyModel(List<Slice> slices) {
        UNetPerturbation generator = UNetPerturbation.builder().stemChannels(4).channels(4, 8, 8, 16, 16)
                .upsample(UpsampleKind.NEAREST).spectralNorm(true).build();
        ResNetDiscriminator discriminator = ResNetDiscriminator.builder()
                .blocks(new int[] {4, 8, 8, 16, 16}, new int[] {2, 2, 2, 2, 2}).build();
        var pipeline = Presets.coinSynthetic().classifier(ResNet18.create(ResNet18.Spec.ofWidth(4), 17L))
                .generator(generator).discriminator(discriminator).seed(11).generatorEvery(1).build();
        return PipelineTrainer.builder(pipeline).build()
                .fit(BatchLoader.builder(SliceSource.of(slices.subList(0, 16))).batchSize(8).seed(3).build(), 1);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
