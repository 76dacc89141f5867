package dev.coin.core.model.classifier;

import dev.coin.core.Adam;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.train.Checkpoint;
import dev.coin.core.train.CheckpointListener;
import dev.coin.core.train.ClassificationReport;
import dev.coin.core.train.ClassifierLoader;
import dev.coin.core.train.ClassifierTrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Fast trainer checks on an in-memory toy task (bright square present or not) at 32×32. */
class ClassifierTrainerSmallTest {

    static SliceSource toy(int n, long seed) {
        Random rng = new Random(seed);
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3 == 0 ? 1 : 0;   // imbalanced on purpose: the balanced sampler evens it out
            float[] px = new float[32 * 32];
            for (int p = 0; p < px.length; p++) {
                px[p] = (float) (-0.5 + 0.2 * rng.nextGaussian());
            }
            if (label == 1) {
                int r0 = 4 + rng.nextInt(20);
                int c0 = 4 + rng.nextInt(20);
                for (int r = r0; r < r0 + 6; r++) {
                    for (int c = c0; c < c0 + 6; c++) {
                        px[r * 32 + c] = 0.8f;
                    }
                }
            }
            for (int p = 0; p < px.length; p++) {
                px[p] = Math.max(-1f, Math.min(1f, px[p]));
            }
            slices.add(new Slice("toy" + seed, i, label, 0.5, FloatImage.wrap(32, 32, px), List.of(), List.of()));
        }
        return SliceSource.of(slices);
    }

    private static BatchLoader loader(SliceSource train, long seed) {
        return ClassifierLoader.builder(train).batchSize(8).stepsPerEpoch(15).seed(seed).build();
    }

    /** Four batches of 8 per epoch: enough for state to move, quick enough to run a few short runs. */
    private static BatchLoader short4(SliceSource train, long seed) {
        return ClassifierLoader.builder(train).batchSize(8).stepsPerEpoch(4).seed(seed).build();
    }

    private static ClassifierTrainer.Builder trainer(SliceSource validation) {
        return ClassifierTrainer.builder(ResNet18.Spec.ofWidth(4)).seed(3).validation(validation);
    }

    @Test
    void learnsToyTaskAndIsReproducible() {
        SliceSource train = toy(60, 1);
        SliceSource val = toy(30, 2);
        ClassifierTrainer.Result a = trainer(val).build().fit(loader(train, 3), 2);
        assertThat(a.history()).hasSize(2);
        assertThat(a.history().get(0).trainLoss()).isFinite().isPositive();
        ClassifierTrainer.Result b = trainer(val).build().fit(loader(train, 3), 2);
        assertThat(b.classifier().parameters().array("fc.weight")).isEqualTo(a.classifier().parameters().array("fc.weight"));
        assertThat(b.classifier().parameters().array("layer1.0.bn1.running_mean"))
                .isEqualTo(a.classifier().parameters().array("layer1.0.bn1.running_mean"));
        assertThat(a.history().get(1).validation().loss()).isLessThan(a.history().get(0).validation().loss());
        assertThat(a.best().macroF1()).isGreaterThan(0.7);
        // the classifier holds the selected epoch's weights: scoring it again gives that epoch's report
        ClassificationReport again = ClassifierTrainer.evaluate(a.classifier(), val, 64);
        assertThat(again).isEqualTo(a.best());
    }

    @Test
    void resumedRunIsBitIdenticalToAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        SliceSource train = toy(40, 1);
        SliceSource val = toy(12, 2);
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        ClassifierTrainer.Result a = trainer(val).runDirectory(straight).listeners(CheckpointListener.every(1))
                .build().fit(short4(train, 3), 3);
        trainer(val).runDirectory(resumed).listeners(CheckpointListener.every(1)).build().fit(short4(train, 3), 1);
        ClassifierTrainer.Result b = trainer(val).runDirectory(resumed).resumeLatest()
                .listeners(CheckpointListener.every(1)).build().fit(short4(train, 3), 3);

        Map<String, INDArray> ca = Checkpoint.read(CheckpointListener.folderFor(straight, 3)).arrays();
        Map<String, INDArray> cb = Checkpoint.read(CheckpointListener.folderFor(resumed, 3)).arrays();
        assertThat(cb.keySet()).isEqualTo(ca.keySet());
        assertThat(ca.keySet()).anyMatch(k -> k.startsWith("adam/classifier/")).anyMatch(k -> k.startsWith("best/"));
        for (String k : ca.keySet()) {
            assertThat(cb.get(k)).as(k).isEqualTo(ca.get(k)); // INDArray equality: same shape, same values
        }
        assertThat(b.bestEpoch()).isEqualTo(a.bestEpoch());
        for (int e = 0; e < 3; e++) {
            assertThat(b.history().get(e).trainLoss()).isEqualTo(a.history().get(e).trainLoss());
            assertThat(b.history().get(e).validation()).isEqualTo(a.history().get(e).validation());
        }
        for (ParameterStore.Entry e : a.classifier().parameters().entries()) {
            assertThat(b.classifier().parameters().array(e.name())).as(e.name()).isEqualTo(e.array());
        }
        // the run folder holds the best epoch's classifier, its metrics and its provenance
        GraphClassifier saved = Classifiers.load(resumed.resolve("model"));
        assertThat(saved.parameters().array("fc.weight")).isEqualTo(b.classifier().parameters().array("fc.weight"));
        assertThat(Files.readString(resumed.resolve("provenance.json"))).contains("\"trainer\" : \"classifier\"",
                "ResNet18");
    }

    @Test
    void refusesToResumeWithAnotherLoaderSeedOrBatchSizeNamingTheField(@TempDir Path run) {
        SliceSource train = toy(24, 1);
        SliceSource val = toy(8, 2);
        trainer(val).runDirectory(run).listeners(CheckpointListener.every(1)).build().fit(short4(train, 3), 1);
        Path first = CheckpointListener.folderFor(run, 1);
        BatchLoader otherSeed = short4(train, 4);
        assertThatThrownBy(() -> trainer(val).resumeFrom(first).build().fit(otherSeed, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loader seed").hasMessageContaining("seed " + otherSeed.seed() + " (was ");
        BatchLoader otherBatch = ClassifierLoader.builder(train).batchSize(4).stepsPerEpoch(4).seed(3).build();
        assertThatThrownBy(() -> trainer(val).resumeFrom(first).build().fit(otherBatch, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size 4 (was 8)");
        // another learning rate is another run: refused, naming the field
        assertThatThrownBy(() -> trainer(val).optimizer(Adam.lr(5e-3)).resumeFrom(first).build()
                .fit(short4(train, 3), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate");
        // a pipeline trainer cannot resume a classifier's checkpoint
        assertThat(Checkpoint.read(first).kind()).isEqualTo("classifier");
    }

    @Test
    void trainsEfficientNetInTrainModeAndUpdatesRunningStatistics() {
        EfficientNetV2S net = EfficientNetV2S.create(new EfficientNetV2S.Spec(0.25, 0.2), 1L);
        org.nd4j.linalg.api.ndarray.INDArray before = net.parameters().array("features.5.0.block.1.1.running_var").dup();
        org.nd4j.linalg.api.ndarray.INDArray w0 = net.parameters().array("classifier.1.weight").dup();
        BatchLoader loader = ClassifierLoader.builder(toy(12, 1)).batchSize(4).stepsPerEpoch(3).seed(3).build();
        ClassifierTrainer.Result r = ClassifierTrainer.builder(net).validation(toy(6, 2)).build().fit(loader, 1);
        assertThat(r.history().get(0).trainLoss()).isFinite().isPositive();
        assertThat(net.parameters().array("features.5.0.block.1.1.num_batches_tracked").getLong(0)).isEqualTo(3);
        assertThat(net.parameters().array("features.5.0.block.1.1.running_var")).isNotEqualTo(before);
        assertThat(net.parameters().array("classifier.1.weight")).isNotEqualTo(w0);
    }

    @Test
    void rejectsBadOptionsAndSettingsThatWouldBeIgnored() {
        assertThatThrownBy(() -> ClassifierLoader.builder(toy(4, 1)).batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> ClassifierTrainer.builder(ResNet18.Spec.ofWidth(4)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(".validation(source)");
        GraphClassifier given = ResNet18.Spec.ofWidth(4).create(1L);
        assertThatThrownBy(() -> ClassifierTrainer.builder(given).seed(5).validation(toy(4, 2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seed(5)")
                .hasMessageContaining("builder(spec)");
        assertThat(trainer(toy(4, 2)).build().toString()).contains("lr=0.001", "VALIDATION_LOSS", "seed 3");
    }

    @Test
    void aFinishedClassifierTrainerRefusesToContinue() {
        SliceSource val = toy(8, 2);
        ClassifierTrainer t = trainer(val).build();
        BatchLoader loader = ClassifierLoader.builder(toy(16, 1)).batchSize(4).stepsPerEpoch(2).seed(3).build();
        t.fit(loader, 1);
        assertThatThrownBy(() -> t.fit(loader, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resumeLatest()");
    }
}
