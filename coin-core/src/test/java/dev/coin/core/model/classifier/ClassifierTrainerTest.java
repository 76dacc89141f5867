package dev.coin.core.model.classifier;

import dev.coin.core.Adam;
import dev.coin.core.train.ClassifierLoader;
import dev.coin.core.train.ClassifierTrainer;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.core.train.ClassificationReport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.slice.Resize;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.synth.AnomalyInsertion;
import dev.coin.data.synth.GaussianBlobAnomaly;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.SyntheticDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acceptance: a narrow ResNet18 trained with {@link ClassifierTrainer} on COIN's synthetic-anomaly task (Gaussian
 * blobs inserted into healthy phantom kidneys, 256² slices resized to 96²; blobs from a 40-pixel template instead of 20, so they stay
 * visible after the resize and a short CPU run can learn them) separates the validation set.
 */
class ClassifierTrainerTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTrainerTest.class);
    static final int SIZE = 96;

    /** Bilinear image, nearest masks, to SIZE×SIZE. */
    static Slice downsize(Slice s) {
        List<dev.coin.data.image.FloatImage> masks = new ArrayList<>();
        for (var m : s.masks()) {
            masks.add(Resize.nearest(m, SIZE, SIZE));
        }
        return new Slice(s.scanId(), s.sliceIndex(), s.label(), s.relativeHeight(), Resize.bilinear(s.image(), SIZE, SIZE),
                s.maskNames(), masks);
    }

    @Test
    void narrowResNet18LearnsSyntheticAnomalies(@TempDir Path dir) {
        long t0 = System.nanoTime();
        // the single-phase phantom: this checks that the trainer learns, on the data it was calibrated on; the phase
        // mix (the default since the ceiling work) makes 6 scans a harder task (F1 0.84 at the same budget)
        PhantomConfig phantom = PhantomConfig.builder().seed(11).matrixSize(256).tumourFraction(0).singlePhase()
                .build();
        SyntheticDataset.ensure(dir.resolve("synth"), phantom, 6);
        CtDataset ds = CtDataset.builder(dir.resolve("synth"))
                .sliceConfig(w -> SliceConfig.synthetic(w).toBuilder().outputSize(256, 256).build())
                .fingerprintSamples(200_000).build();
        GaussianBlobAnomaly blobs = GaussianBlobAnomaly.builder().templateSize(40).build();
        SliceTransform trainTransform = AnomalyInsertion.training(blobs).andThen((s, seed) -> downsize(s));
        SliceSource fixed = AnomalyInsertion.fixedSet(ds.validation(), blobs, 1234);
        List<Slice> val = new ArrayList<>();
        for (int i = 0; i < fixed.size(); i++) {
            val.add(downsize(fixed.get(i)));
        }
        SliceSource validation = SliceSource.of(val);
        long abnormal = val.stream().filter(s -> s.label() == 1).count();
        double dataSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("data: {} train slices, {} validation slices ({} abnormal), {} s", ds.train().size(), val.size(),
                abnormal, dataSeconds);
        assertThat(abnormal).isPositive().isLessThan(val.size());

        BatchLoader loader = ClassifierLoader.builder(ds.train()).batchSize(16).stepsPerEpoch(40).seed(5)
                .transform(trainTransform).build();
        ClassifierTrainer.Result r = ClassifierTrainer.builder(ResNet18.Spec.ofWidth(8)).optimizer(Adam.lr(2e-3))
                .seed(5).validation(validation).build().fit(loader, 8);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("best epoch {}: {}; total {} s", r.bestEpoch() + 1, r.best(), seconds);
        // the classifier now holds the best epoch's weights: evaluating it again reproduces that epoch's report
        ClassificationReport again = ClassifierTrainer.evaluate(r.classifier(), validation, 64);
        assertThat(again.loss()).isCloseTo(r.best().loss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(again.f1(1)).isGreaterThanOrEqualTo(0.9);
        assertThat(again.macroF1()).isGreaterThanOrEqualTo(0.9);
    }
}
