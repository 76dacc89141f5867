package dev.coin.core.train;

import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.image.PngWriter;
import dev.coin.losses.LossContext;
import dev.coin.losses.LossTerm;
import dev.coin.losses.LossInput;
import dev.coin.losses.Player;
import dev.coin.losses.TotalVariation;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PipelineTrainingTest {
    private final BlobClassifier clf = new BlobClassifier();

    @TempDir
    Path tmp;

    @Test
    void tinyRunLowersGeneratorLossesAndRaisesFlipRate() throws Exception {
        // TV is a per-pixel mean: a lesion edge costs 64× more at 32² than at 256², so λ_tv shrinks by 64 here
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(1).optimizer(Adam.lr(1e-3).betas(0.0, 0.999))
                .replaceLoss(TotalVariation.weight(0.05 / 64)).build();
        Path run = tmp.resolve("run");
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        TrainedPipeline t = PipelineTrainer.builder(p).runDirectory(run)
                .listeners(new ProgressBar(true, new PrintStream(bar, true), 1), new MetricsWriter(),
                        new LossCurvePlot(), CheckpointListener.every(3))
                .build().fit(BatchLoader.builder(TinyData.source(16, 5)).batchSize(8).seed(3).build(), 6);
        List<EpochMetrics> h = t.history();
        for (EpochMetrics m : h) {
            System.out.printf("epoch %d kl %.4f rec %.4f adv %.4f G %.4f D %.4f flip %.3f (%d) %.2fs%n", m.epoch(),
                    m.loss("loss/kl"), m.loss("loss/rec"), m.loss("loss/adv"), m.loss("loss/generator"),
                    m.loss("loss/discriminator"), m.flipRate(), m.abnormalSlices(), m.seconds());
        }
        EpochMetrics first = h.get(0);
        EpochMetrics last = h.get(h.size() - 1);
        assertThat(last.loss("loss/kl")).isLessThan(first.loss("loss/kl") * 0.2);
        for (String term : List.of("loss/rec", "loss/minc", "loss/tv", "loss/generator")) {
            assertThat(last.loss(term)).as(term).isLessThan(first.loss(term));
        }
        assertThat(last.loss("loss/discriminator")).isLessThan(first.loss("loss/discriminator"));
        assertThat(first.flipRate()).isLessThan(0.75);
        assertThat(last.flipRate()).isGreaterThan(first.flipRate()).isGreaterThanOrEqualTo(0.875);
        assertThat(first.abnormalSlices()).isEqualTo(8); // every slice once per epoch, all steps update G
        // files
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(csv).hasSize(7);
        assertThat(csv.get(0)).contains("flip_rate", "loss/kl", "loss/rec", "loss/minc", "loss/tv", "loss/d_adv/real",
                "loss/d_adv/fake");
        assertThat(Files.readString(run.resolve("metrics.json"))).contains("\"flipRate\"");
        BufferedImage png = PngWriter.read(run.resolve("loss-curves.png"));
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(Files.isDirectory(CheckpointListener.folderFor(run, 3))).isTrue();
        assertThat(Files.isDirectory(CheckpointListener.folderFor(run, 6))).isTrue();
        assertThat(Files.readString(run.resolve(Provenance.FILE))).contains("\"wallSeconds\"", "\"nd4j\"", "\"backend\"",
                "coin-synthetic");
        assertThat(bar.toString()).contains("step 12/12", "epoch 6/6", "ETA");
        // the blob classifier has no file format: the final model is not saved (a warning says so), training returns
        assertThat(run.resolve(dev.coin.core.TrainedPipeline.MODEL_FOLDER)).doesNotExist();
        // eval-mode counterfactual
        INDArray x = Nd4j.create(new float[32 * 32 * 2]).reshape(2, 1, 32, 32);
        SliceSource s = TinyData.source(2, 9);
        for (int i = 0; i < 2; i++) {
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(
                    Nd4j.create(s.get(i).image().toArray(), new long[] {1, 32, 32}, 'c'));
        }
        TrainedPipeline.Counterfactual cf = t.counterfactual(x);
        assertThat(cf.counterfactual().shape()).containsExactly(2, 1, 32, 32);
        assertThat(cf.probabilityBefore()).isEqualTo(clf.probabilities(x));
        assertThat(cf.probabilityAfter()).isEqualTo(clf.probabilities(cf.counterfactual()));
    }

    private static BatchLoader loader(SliceSource source) {
        return BatchLoader.builder(source).batchSize(8).seed(3).build();
    }

    private static float[] bits(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void resumedRunIsBitIdenticalToAnUninterruptedOne() {
        // k = 2 so both step kinds (G + D, D only) occur before and after the checkpoint
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(2).build();
        Path straight = tmp.resolve("straight");
        TrainedPipeline a = PipelineTrainer.builder(p).runDirectory(straight).listeners(CheckpointListener.every(1)).build()
                .fit(loader(TinyData.source(24, 5)), 2);
        Path resumed = tmp.resolve("resumed");
        TrainedPipeline b = PipelineTrainer.builder(p).resumeFrom(CheckpointListener.folderFor(straight, 1))
                .runDirectory(resumed).listeners(CheckpointListener.every(1)).build().fit(loader(TinyData.source(24, 5)), 2);

        assertThat(b.history()).hasSize(2);
        assertThat(b.history().get(0)).isEqualTo(a.history().get(0)); // restored from the checkpoint
        assertThat(b.history().get(1).losses()).isEqualTo(a.history().get(1).losses());
        List<ParameterStore.Entry> ea = a.parameters().entries();
        List<ParameterStore.Entry> eb = b.parameters().entries();
        assertThat(eb).hasSameSizeAs(ea);
        int changed = 0;
        for (int i = 0; i < ea.size(); i++) {
            assertThat(eb.get(i).name()).isEqualTo(ea.get(i).name());
            assertThat(bits(eb.get(i).array())).as(ea.get(i).name()).containsExactly(bits(ea.get(i).array()));
        }
        // the optimiser moments too: both runs wrote an epoch-2 checkpoint
        java.util.Map<String, INDArray> ca = Checkpoint.read(CheckpointListener.folderFor(straight, 2)).arrays();
        java.util.Map<String, INDArray> cb = Checkpoint.read(resumed.resolve("checkpoints/epoch-0002")).arrays();
        assertThat(cb.keySet()).isEqualTo(ca.keySet());
        assertThat(ca.keySet()).anyMatch(k -> k.startsWith("adam/generator/")).anyMatch(k -> k.startsWith("adam/discriminator/"));
        for (String k : ca.keySet()) {
            assertThat(bits(cb.get(k))).as(k).containsExactly(bits(ca.get(k)));
        }
        // and the second epoch really changed weights (so equality is not vacuous)
        java.util.Map<String, INDArray> c1 = Checkpoint.read(CheckpointListener.folderFor(straight, 1)).arrays();
        for (String k : ca.keySet()) {
            if (k.startsWith("store/") && !java.util.Arrays.equals(bits(c1.get(k)), bits(ca.get(k)))) {
                changed++;
            }
        }
        assertThat(changed).isGreaterThan(20);
    }

    @Test
    void resumingWithAnotherPipelineIsRejected() {
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(2).build();
        Path run = tmp.resolve("run");
        PipelineTrainer.builder(p).runDirectory(run).listeners(CheckpointListener.every(1)).build().fit(loader(TinyData.source(8, 5)), 1);
        Pipeline other = p.toBuilder().replaceLoss(dev.coin.losses.ClassifierKl.weight(2.0)).build();
        assertThatThrownBy(() -> PipelineTrainer.builder(other).resumeFrom(CheckpointListener.folderFor(run, 1)).build()
                .fit(loader(TinyData.source(8, 5)), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another pipeline")
                .hasMessageContaining("losses[1].weight: 5.0 → 2.0");
        // a new label and a longer run are the same pipeline: resuming works
        TrainedPipeline more = PipelineTrainer.builder(p.toBuilder().name("renamed").build())
                .resumeFrom(CheckpointListener.folderFor(run, 1)).build().fit(loader(TinyData.source(8, 5)), 2);
        assertThat(more.history()).hasSize(2);
    }

    @Test
    void resumingWithAnotherLoaderSeedOrBatchSizeIsRefusedNamingTheField() {
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(2).build();
        Path run = tmp.resolve("loader");
        PipelineTrainer.builder(p).runDirectory(run).listeners(CheckpointListener.every(1)).build()
                .fit(loader(TinyData.source(8, 5)), 1);
        BatchLoader reseeded = BatchLoader.builder(TinyData.source(8, 5)).batchSize(8).seed(4).build();
        assertThatThrownBy(() -> PipelineTrainer.builder(p).runDirectory(run).resumeLatest().build().fit(reseeded, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loader seed 3")
                .hasMessageContaining("seed 4 (was 3)");
        BatchLoader halved = BatchLoader.builder(TinyData.source(8, 5)).batchSize(4).seed(3).build();
        PipelineTrainer trainer = PipelineTrainer.builder(p).runDirectory(run).resumeLatest().build();
        assertThatThrownBy(() -> trainer.fit(halved, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size 4 (was 8)");
        // the same trainer with the loader that wrote the checkpoint resumes from it (a refused resume is retried,
        // never skipped): epoch 1 comes from the checkpoint, epoch 2 is trained
        TrainedPipeline more = trainer.fit(loader(TinyData.source(8, 5)), 2);
        assertThat(more.history()).hasSize(2);
        assertThat(trainer.context().globalStep()).isEqualTo(2);
        assertThat(more.history().get(0)).isEqualTo(Checkpoint.read(CheckpointListener.folderFor(run, 1)).history()
                .get(0)); // restored, wall time included, not trained again
        assertThat(Checkpoint.read(CheckpointListener.folderFor(run, 1)).loader().path("seed").asLong()).isEqualTo(3);
    }

    @Test
    void fitAgainContinuesTheRunAsIfUninterrupted() {
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(2).build();
        TrainedPipeline straight = PipelineTrainer.builder(p).build().fit(loader(TinyData.source(16, 5)), 2);
        PipelineTrainer trainer = PipelineTrainer.builder(p).build();
        trainer.fit(loader(TinyData.source(16, 5)), 1);
        TrainedPipeline continued = trainer.fit(loader(TinyData.source(16, 5)), 2);
        assertThat(continued.history()).hasSize(2);
        assertThat(trainer.context().globalStep()).isEqualTo(4);
        for (ParameterStore.Entry e : straight.parameters().entries()) {
            assertThat(bits(continued.parameters().array(e.name()))).as(e.name()).containsExactly(bits(e.array()));
        }
        assertThatThrownBy(() -> trainer.fit(loader(TinyData.source(16, 5)), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has 2 epochs");
        BatchLoader other = BatchLoader.builder(TinyData.source(16, 5)).batchSize(8).seed(9).build();
        assertThatThrownBy(() -> trainer.fit(other, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 9 (was 3)");
    }

    @Test
    void aLastBatchOfOneSampleIsRefusedBeforeTraining() {
        Pipeline p = TinyData.tinyCoin(clf).build();
        BatchLoader nine = BatchLoader.builder(TinyData.source(9, 5)).batchSize(8).seed(3).build();
        assertThatThrownBy(() -> PipelineTrainer.builder(p).build().fit(nine, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch of one sample")
                .hasMessageContaining("dropLast(true)");
        // what the check reads: the last batch of each epoch (the classifier tests train with dropLast(true))
        assertThat(nine.lastBatchSize(0)).isEqualTo(1);
        assertThat(BatchLoader.builder(TinyData.source(9, 5)).batchSize(8).seed(3).dropLast(true).build()
                .lastBatchSize(0)).isEqualTo(8);
    }

    /** λ · mean(masks · |x − x_cf|): finite on clean masks, NaN as soon as a mask holds NaN. A user's record. */
    record MaskedL1(double weight) implements LossTerm {
        @Override
        public String name() {
            return "masked_l1";
        }

        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public Set<LossInput> requires() {
            return Set.of(LossInput.X, LossInput.X_CF, LossInput.MASKS);
        }

        @Override
        public SDVariable build(LossContext c) {
            SDVariable d = c.sd().math.abs(c.get(LossInput.X).sub(c.get(LossInput.X_CF)));
            return c.sd().mean(c.get(LossInput.MASKS).mul(d));
        }
    }

    /** Serves clean slices until poisoned, then slices whose first mask holds one NaN. */
    static final class PoisonableSource implements SliceSource {
        final SliceSource clean;
        volatile boolean poisoned;

        PoisonableSource(SliceSource clean) {
            this.clean = clean;
        }

        @Override
        public int size() {
            return clean.size();
        }

        @Override
        public dev.coin.data.dataset.SliceInfo info(int index) {
            return clean.info(index);
        }

        @Override
        public dev.coin.data.slice.Slice get(int index) {
            dev.coin.data.slice.Slice s = clean.get(index);
            if (!poisoned) {
                return s;
            }
            float[] m = s.masks().get(0).toArray();
            m[5] = Float.NaN;
            List<FloatImage> masks = new ArrayList<>(s.masks());
            masks.set(0, FloatImage.of(s.height(), s.width(), m));
            return new dev.coin.data.slice.Slice(s.scanId(), s.sliceIndex(), s.label(), s.relativeHeight(), s.image(),
                    s.maskNames(), masks);
        }
    }

    @Test
    void nonFiniteLossStopsTrainingNamingTermAndStepAndKeepsTheLastCheckpoint() throws Exception {
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(1).loss(new MaskedL1(1.0)).build();
        Path run = tmp.resolve("nan");
        PoisonableSource source = new PoisonableSource(TinyData.source(16, 5));
        byte[][] written = new byte[1][];
        TrainingListener<Object> poison = new TrainingListener<>() {
            @Override
            public void onEpochEnd(EpochMetrics m, TrainingContext<?> c) {
                try {
                    written[0] = Files.readAllBytes(CheckpointListener.folderFor(run, 1).resolve(Checkpoint.STATE));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                source.poisoned = true; // the next epoch's batches carry a NaN mask pixel
            }
        };
        assertThatThrownBy(() -> PipelineTrainer.builder(p).runDirectory(run).listeners(CheckpointListener.every(1), poison).build()
                .fit(loader(source), 3))
                .isInstanceOfSatisfying(NonFiniteLossException.class, e -> {
                    assertThat(e.term()).isEqualTo("masked_l1");
                    assertThat(e.globalStep()).isEqualTo(2); // first step of epoch 1 (2 batches per epoch)
                })
                .hasMessageContaining("'masked_l1'").hasMessageContaining("global step 2");
        Path last = CheckpointListener.folderFor(run, 1);
        assertThat(Files.readAllBytes(last.resolve(Checkpoint.STATE))).isEqualTo(written[0]);
        assertThat(Checkpoint.read(last).completedEpochs()).isEqualTo(1);
        assertThat(Files.exists(CheckpointListener.folderFor(run, 2))).isFalse();
        try (var files = Files.list(run.resolve("checkpoints"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("epoch-0001");
        }
    }
}
