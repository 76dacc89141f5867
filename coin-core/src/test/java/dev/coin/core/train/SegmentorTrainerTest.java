package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Adam;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Resize;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.synth.AnomalyInsertion;
import dev.coin.data.synth.GaussianBlobAnomaly;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmentor trainer on phantom slices (the embedded synthetic data at 64²) with synthetic anomalies inside the
 * kidney: a small U-Net learns the kidney channel (anomalies included) to a Dice far above the trivial predictor
 * within a few seconds; the trainer follows the one loop's rules (run folder, checkpoints, resume).
 */
class SegmentorTrainerTest {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentorTrainerTest.class);
    private static final int SIZE = 64;

    @TempDir
    static Path data;
    @TempDir
    Path tmp;

    private static SliceSource train;
    private static SliceSource validation;
    private static GaussianBlobAnomaly blobs;

    @BeforeAll
    static void phantom() {
        long t0 = System.nanoTime();
        PhantomConfig phantom = PhantomConfig.builder().seed(11).matrixSize(128).tumourFraction(0).cystFraction(0)
                .singlePhase().build();
        SyntheticDataset.ensure(data.resolve("synth"), phantom, 4);
        CtDataset ds = CtDataset.builder(data.resolve("synth"))
                .sliceConfig(w -> SliceConfig.synthetic(w).toBuilder().outputSize(128, 128).build())
                .fingerprintSamples(100_000).build();
        blobs = GaussianBlobAnomaly.builder().templateSize(12).minBoxArea(100).build(); // kidneys are small at 128²
        train = ds.train();
        SliceSource fixed = AnomalyInsertion.fixedSet(ds.validation(), blobs, 1234);
        List<Slice> val = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i++) {
            val.add(downsize(fixed.get(i)));
        }
        validation = SliceSource.of(val);
        LOG.info("phantom data: {} train, {} validation slices ({} abnormal) in {} s", train.size(), validation.size(),
                val.stream().filter(s -> s.label() == 1).count(),
                (System.nanoTime() - t0) / 1e9);
    }

    static Slice downsize(Slice s) {
        List<FloatImage> masks = new ArrayList<>();
        for (FloatImage m : s.masks()) {
            masks.add(Resize.nearest(m, SIZE, SIZE));
        }
        return new Slice(s.scanId(), s.sliceIndex(), s.label(), s.relativeHeight(),
                Resize.bilinear(s.image(), SIZE, SIZE), s.maskNames(), masks);
    }

    private static BatchLoader loader(long seed) {
        SliceTransform t = AnomalyInsertion.training(blobs).andThen((s, itemSeed) -> downsize(s));
        return BatchLoader.builder(train).batchSize(8).seed(seed).dropLast(true).transform(t).build();
    }

    @Test
    void aSmallUNetLearnsTheKidneyFarAboveTheTrivialPredictor() {
        long t0 = System.nanoTime();
        // 5 epochs of 10 batches of 8 at 64²; scored once at the end (the per-epoch validation is tested below)
        SegmentorTrainer.Result r = SegmentorTrainer.builder(UNetSegmentor.builder().widths(4, 8, 16).build())
                .seed(5).optimizer(Adam.lr(5e-3)).build().fit(loader(3), 5);
        double seconds = (System.nanoTime() - t0) / 1e9;
        SegmentorTrainer.Score s = SegmentorTrainer.evaluate(r.segmentor(), validation, 32, 1);
        LOG.info("after {} epochs ({} s): {}; history {}", r.history().size(), seconds, s, r.history());
        // measured: Dice 0.77 (the trivial all-kidney predictor: 0.024)
        assertThat(s.dice()).isGreaterThan(0.6).isGreaterThan(10 * s.allForegroundDice());
        assertThat(s.allForegroundDice()).isLessThan(0.05);
        assertThat(r.history()).hasSize(5);
        assertThat(r.history().get(4).trainLoss()).isLessThan(r.history().get(0).trainLoss());
        assertThat(r.history().get(4).validationDice()).isNaN(); // no validation slices given
        // the anomalies inside the kidney are kidney to the segmentor: its map covers them
        double covered = 0;
        double anomalyPixels = 0;
        for (int i = 0; i < validation.size(); i++) {
            Slice v = validation.get(i);
            if (v.label() == 1) {
                INDArray p = r.segmentor().probabilities(dev.coin.data.dataset.Batch.stackImages(List.of(v)));
                float[] a = v.mask(AnomalyInsertion.MASK).toArray();
                for (int k = 0; k < a.length; k++) {
                    if (a[k] > 0.5f) {
                        anomalyPixels++;
                        covered += p.getDouble(k) >= 0.5 ? 1 : 0;
                    }
                }
            }
        }
        LOG.info("anomaly pixels inside the predicted kidney: {} of {}", covered, anomalyPixels);
        assertThat(anomalyPixels).isPositive();
        assertThat(covered / anomalyPixels).isGreaterThan(0.5);
    }

    private static BatchLoader tinyLoader() {
        return BatchLoader.builder(TinyData.source(8, 5)).batchSize(4).seed(3).build();
    }

    @Test
    void aRunFolderHoldsTheModelCheckpointsResumeAndValidationIsLogged() throws Exception {
        UNetSegmentor.Spec spec = UNetSegmentor.builder().widths(2, 4).build();
        SliceSource val = TinyData.source(4, 9);
        Path run = tmp.resolve("run");
        SegmentorTrainer.Result straight = SegmentorTrainer.builder(spec).seed(1).validation(val).evalBatchSize(3)
                .runDirectory(run).listeners(CheckpointListener.every(1), new MetricsWriter()).build()
                .fit(tinyLoader(), 2);
        assertThat(straight.history()).hasSize(2);
        for (SegmentorTrainer.EpochSummary e : straight.history()) {
            assertThat(e.validationDice()).isBetween(0.0, 1.0);
            assertThat(e.trainLoss()).isFinite().isPositive();
        }
        // the segmentor holds the best epoch's weights: scoring it again gives that epoch's Dice
        double bestDice = Math.max(straight.history().get(0).validationDice(),
                straight.history().get(1).validationDice());
        assertThat(straight.history().get(straight.bestEpoch()).validationDice()).isEqualTo(bestDice);
        assertThat(SegmentorTrainer.evaluate(straight.segmentor(), val, 4, 1).dice()).isEqualTo(bestDice);
        assertThat(Files.readAllLines(run.resolve("metrics.csv")).get(0)).contains("loss/segmentor", "loss/bce",
                "loss/dice", "validation/dice");
        assertThat(Files.readString(run.resolve(Provenance.FILE))).contains("segmentor", "UNetSegmentor");
        UNetSegmentor saved = UNetSegmentor.load(run);
        INDArray x = dev.coin.data.dataset.Batch.stackImages(List.of(val.get(0), val.get(1)));
        assertThat(saved.probabilities(x)).isEqualTo(straight.segmentor().probabilities(x));
        // resumed from epoch 1: bit-identical to the uninterrupted run
        SegmentorTrainer.Result resumed = SegmentorTrainer.builder(spec).seed(1).validation(val).evalBatchSize(3)
                .resumeFrom(CheckpointListener.folderFor(run, 1)).build().fit(tinyLoader(), 2);
        assertThat(resumed.segmentor().fingerprint()).isEqualTo(straight.segmentor().fingerprint());
        assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        assertThat(resumed.history().get(1).trainLoss()).isEqualTo(straight.history().get(1).trainLoss());
        // another spec does not resume it
        assertThatThrownBy(() -> SegmentorTrainer.builder(UNetSegmentor.builder().widths(2, 8).build()).seed(1)
                .validation(val).evalBatchSize(3).resumeFrom(CheckpointListener.folderFor(run, 1)).build()
                .fit(tinyLoader(), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another segmentor");
    }

    @Test
    void badSettingsAreRejectedNamingTheValueAndTheFix() {
        UNetSegmentor.Spec spec = UNetSegmentor.builder().widths(2, 4).build();
        assertThatThrownBy(() -> SegmentorTrainer.builder(spec).targetChannels(3).build().fit(tinyLoader(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 3")
                .hasMessageContaining("2 mask channels");
        assertThatThrownBy(() -> SegmentorTrainer.builder(spec).targetChannels()).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("targetChannels is empty");
        assertThatThrownBy(() -> SegmentorTrainer.builder(spec).targetChannels(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-1]");
        assertThatThrownBy(() -> SegmentorTrainer.builder(spec).diceWeight(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("diceWeight")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> SegmentorTrainer.builder(spec.create(1L)).seed(3).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seed(3)");
        assertThatThrownBy(() -> SegmentorTrainer.builder(UNetSegmentor.builder().widths(2, 2, 2, 2, 2, 2, 2).build())
                .build().fit(tinyLoader(), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32x32").hasMessageContaining("divisible by 64");
        assertThatThrownBy(() -> SegmentorTrainer.builder(spec).validation(SliceSource.of(List.of())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation");
        assertThat(SegmentorTrainer.builder(spec).build().toString()).contains("UNetSegmentor", "Dice", "[1]",
                "seed 777");
    }
}
