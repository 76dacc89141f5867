package dev.coin.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.TrainedPipeline;
import dev.coin.core.VolumeSegmentation;
import dev.coin.core.VolumeSegmenter;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.SyntheticDataset;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import dev.coin.examples.bench.SparkBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both Spark jobs in {@code local[2]} on three tiny phantom scans (48² matrix, 32² slices): the slice cache and
 * fingerprint equal what {@link CtDataset} computes on one machine, and the masks and CSV numbers equal
 * {@link VolumeSegmenter} run directly, bit for bit; a truncated scan is reported in the CSV and the job finishes;
 * a re-run skips the finished scans.
 */
class SparkJobsTest {
    private static final int SIZE = 32;
    private static final long SAMPLES = 20_000;
    private static final double THRESHOLD = 0.06; // the 1-step model's edits are small

    @TempDir
    Path dir;

    @Test
    void bothJobsInLocalModeEqualTheSingleMachinePath() throws Exception {
        PhantomConfig phantoms = PhantomConfig.builder().seed(4).matrixSize(48).build();
        DatasetLayout layout = SyntheticDataset.ensure(dir.resolve("spark"), phantoms, 3);
        DatasetLayout serial = SyntheticDataset.ensure(dir.resolve("serial"), phantoms, 3);
        // the layout's slicing at the model's 32² input; a 48² phantom has few kidney pixels per slice
        SliceRecipe recipe = (l, w) -> l.sliceConfig(w).toBuilder().outputSize(SIZE, SIZE).kidneyThreshold(8).build();

        try (JavaSparkContext sc = SparkJobs.localContext("SparkJobsTest", 2)) {
            // job 1: fingerprint + slice cache, as CtDataset writes them on one machine
            SliceDatasetJob.Result sliced = SliceDatasetJob.builder(layout).recipe(recipe).fingerprintSamples(SAMPLES)
                    .build().run(sc);
            assertThat(sliced.scans()).isEqualTo(3);
            assertThat(sliced.slicedScans()).isEqualTo(3);
            CtDataset fromSpark = dataset(layout, recipe);
            CtDataset oneMachine = dataset(serial, recipe);
            assertThat(fromSpark.fingerprint()).isEqualTo(oneMachine.fingerprint());
            assertThat(fromSpark.cache().directory()).isEqualTo(sliced.cacheDir());
            long slices = 0;
            for (String id : fromSpark.scanIds()) {
                List<Slice> s = fromSpark.slicesOf(id);
                assertThat(s).isEqualTo(oneMachine.slicesOf(id));
                slices += s.size();
            }
            assertThat(fromSpark.cache().computedScans()).as("every scan came from the job's cache").isZero();
            assertThat(slices).isEqualTo(sliced.slices());
            assertThat(SliceDatasetJob.builder(layout).recipe(recipe).fingerprintSamples(SAMPLES).build().run(sc)
                    .slicedScans()).as("a second run finds everything cached").isZero();

            // a tiny model trained for one epoch on 16 of these slices, saved as a model folder
            Path model = dir.resolve("model");
            tinyModel(fromSpark).save(model);

            // a malformed scan in the archive: a truncated image next to a valid label
            Path bad = layout.imageFile("zz_broken");
            byte[] good = Files.readAllBytes(layout.imageFile(fromSpark.scanIds().get(0)));
            Files.write(bad, java.util.Arrays.copyOf(good, good.length / 3));
            Files.copy(layout.labelFile(fromSpark.scanIds().get(0)), layout.labelFile("zz_broken"));

            // job 2: masks and CSV
            Path out = dir.resolve("out");
            SegmentArchiveJob job = SegmentArchiveJob.builder(layout, model, fromSpark.window(), out).recipe(recipe)
                    .maskThreshold(THRESHOLD).build();
            SegmentArchiveJob.Result r = job.run(sc);
            System.out.println("SparkJobsTest: " + sliced + "; " + r + "; model loads in this JVM: "
                    + ModelPool.loads());
            System.out.println(Files.readString(r.csv()));
            List<SegmentArchiveJob.Row> rows = SegmentArchiveJob.readCsv(r.csv());
            assertThat(rows).hasSize(4);
            assertThat(rows.stream().map(SegmentArchiveJob.Row::scanId).toList())
                    .containsExactlyElementsOf(layout.scans().stream().map(DatasetLayout.ScanFiles::id).toList());
            SegmentArchiveJob.Row broken = rows.get(3);
            assertThat(broken.scanId()).isEqualTo("zz_broken");
            assertThat(broken.status()).isEqualTo("error");
            assertThat(broken.error()).isNotBlank();
            assertThat(Files.exists(SegmentArchiveJob.maskFile(out, "zz_broken"))).isFalse();
            assertThat(ModelPool.loads()).as("loaded once per task slot, not per scan").isBetween(1, 2);

            // the single-machine path, a freshly loaded model per scan: the same masks and numbers, bit for bit
            SliceConfig cfg = recipe.sliceConfig(layout, fromSpark.window());
            long maskVoxels = 0;
            for (SegmentArchiveJob.Row row : rows.subList(0, 3)) {
                assertThat(row.status()).isEqualTo("ok");
                DatasetLayout.ScanFiles f = layout.scans().stream().filter(s -> s.id().equals(row.scanId()))
                        .findFirst().orElseThrow();
                VolumeSegmentation want = VolumeSegmenter.of(TrainedPipeline.load(model), cfg)
                        .withMaskPolicy(MaskPolicy.fixed(THRESHOLD)).segment(f.image(), f.label());
                Volume got = NiftiVolumes.read(SegmentArchiveJob.maskFile(out, row.scanId()));
                assertThat(got.copyVoxels()).containsExactly(want.mask().copyVoxels());
                assertThat(got.affine()).isDeepEqualTo(NiftiVolumes.read(f.image()).affine());
                assertThat(row.keptSlices()).isEqualTo(want.explainedSlices().length).isPositive();
                assertThat(row.abnormalSlices()).isEqualTo(want.abnormalSlices());
                assertThat(row.maskMl()).isCloseTo(want.maskMillilitres(), org.assertj.core.data.Offset.offset(1e-4));
                maskVoxels += want.maskVoxels();
            }
            assertThat(maskVoxels).as("the masks are not all empty").isPositive();

            // a re-run skips finished scans (masks untouched) and retries the failed one
            List<FileTime> before = new ArrayList<>();
            for (SegmentArchiveJob.Row row : rows.subList(0, 3)) {
                before.add(Files.getLastModifiedTime(SegmentArchiveJob.maskFile(out, row.scanId())));
            }
            SegmentArchiveJob.Result again = job.run(sc);
            assertThat(again.count("done")).isEqualTo(3);
            assertThat(again.count("error")).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                SegmentArchiveJob.Row row = again.rows().get(i);
                assertThat(row.withStatus("ok")).isEqualTo(rows.get(i));
                assertThat(Files.getLastModifiedTime(SegmentArchiveJob.maskFile(out, row.scanId())))
                        .isEqualTo(before.get(i));
            }
        }
    }

    private static CtDataset dataset(DatasetLayout layout, SliceRecipe recipe) {
        return CtDataset.builder(layout).sliceConfig(w -> recipe.sliceConfig(layout, w)).fingerprintSamples(SAMPLES)
                .memoryBytes(0).build();
    }

    private static TrainedPipeline tinyModel(CtDataset ds) {
        List<Slice> slices = new ArrayList<>();
        for (String id : ds.scanIds()) {
            slices.addAll(ds.slicesOf(id));
        }
        assertThat(slices.size()).isGreaterThanOrEqualTo(16);
        return SparkBenchmark.tinyModel(slices);
    }
}
