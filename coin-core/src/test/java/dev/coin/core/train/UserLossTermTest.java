package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.data.dataset.Batch;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.losses.LossContext;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Player;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Terms written by a user: records implementing {@link LossTerm}, with no naming conventions and no
 * {@code toString()}, train through the two-player trainer, are logged, checkpoint and resume; a term may ask for
 * inputs the library did not anticipate (one fed from the host each step, one derived in the graph).
 */
class UserLossTermTest {
    private final BlobClassifier clf = new BlobClassifier();
    @TempDir
    Path tmp;

    /** Pixels brighter than 0.5 in the input: computed on the host every step. */
    static final LossInput BRIGHT = LossInput.fed("bright", DataType.FLOAT, new long[] {-1, 1, -1, -1},
            step -> step.get(LossInput.X).gt(0.5).castTo(DataType.FLOAT));
    /** |x − x_cf|, derived in the graph from two built-in inputs. */
    static final LossInput EDIT = LossInput.derived("edit", Set.of(LossInput.X, LossInput.X_CF),
            (sd, in) -> sd.math.abs(in.get(LossInput.X).sub(in.get(LossInput.X_CF))));

    /** mean(bright ⊙ |x − x_cf|) × (fraction of bright pixels); the fraction is logged as a component. */
    record BrightEditL1(double weight) implements LossTerm {
        @Override
        public String name() {
            return "bright_edit";
        }

        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public Set<LossInput> requires() {
            return Set.of(BRIGHT, EDIT);
        }

        @Override
        public SDVariable build(LossContext c) {
            SDVariable bright = c.get(BRIGHT);
            SDVariable fraction = c.component("bright_fraction", c.sd().mean(bright));
            return c.sd().mean(bright.mul(c.get(EDIT))).mul(fraction);
        }
    }

    private static BatchLoader loader(SliceSource source) {
        return BatchLoader.builder(source).batchSize(4).seed(3).build();
    }

    @Test
    void aRecordTermTrainsIsLoggedCheckpointsAndResumes() {
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(1).loss(new PipelineTrainingTest.MaskedL1(0.5)).build();
        Path run = tmp.resolve("run");
        SliceSource data = TinyData.source(8, 5);
        TrainedPipeline straight = PipelineTrainer.builder(p).runDirectory(run)
                .listeners(CheckpointListener.every(1)).build().fit(loader(data), 2);
        Map<String, Double> epoch1 = straight.history().get(0).losses();
        assertThat(epoch1).containsKeys(LossSet.weightedName("masked_l1"), LossSet.rawName("masked_l1"));
        assertThat(epoch1.get("loss/masked_l1")).isCloseTo(0.5 * epoch1.get("loss/masked_l1/raw"),
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(epoch1.get("loss/masked_l1/raw")).isPositive();
        // the identity of the record is structured (its weight), never Object@hash
        String provenance = readString(run.resolve(Provenance.FILE));
        assertThat(provenance).contains("\"PipelineTrainingTest$MaskedL1\"", "\"weight\" : 0.5").doesNotContain("MaskedL1@");
        // each setting given once, where it belongs, is what the provenance records: the loader's batch size and
        // seed, the fit call's epochs, the pipeline's initialisation seed
        assertThat(provenance).contains("\"batchSize\" : 4", "\"seed\" : 3", "\"epochs\" : 2",
                "\"initialisationSeed\" : 11", "\"batchesPerEpoch\" : 2");
        // resume from epoch 1 with an equal (not identical) record: bit-identical to the uninterrupted run
        Pipeline again = TinyData.tinyCoin(clf).generatorEvery(1).loss(new PipelineTrainingTest.MaskedL1(0.5)).build();
        TrainedPipeline resumed = PipelineTrainer.builder(again).resumeFrom(CheckpointListener.folderFor(run, 1))
                .build().fit(loader(data), 2);
        assertThat(resumed.history().get(1).losses()).isEqualTo(straight.history().get(1).losses());
    }

    @Test
    void aTermCanAskForAFedAndADerivedInputTheLibraryDidNotAnticipate() {
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(1).loss(new BrightEditL1(2.0)).build();
        SliceSource data = TinyData.source(8, 7);
        List<Map<String, Double>> steps = new ArrayList<>();
        PipelineTrainer.builder(p).listeners(new TrainingListener<Object>() {
            @Override
            public void onStep(StepReport r, TrainingContext<?> c) {
                steps.add(r.losses());
            }
        }).build().fit(loader(data), 1);
        // the host computes the bright fraction of the same batches independently
        List<Double> expected = new ArrayList<>();
        try (BatchLoader.Epoch e = loader(data).epoch(0)) {
            while (e.hasNext()) {
                Batch b = e.next();
                INDArray x = b.images();
                expected.add(x.gt(0.5).castTo(DataType.DOUBLE).meanNumber().doubleValue());
            }
        }
        assertThat(steps).hasSize(expected.size());
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Double> v = steps.get(i);
            assertThat(v.get(LossSet.componentName("bright_edit", "bright_fraction")))
                    .as("step %d", i).isCloseTo(expected.get(i), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(v.get("loss/bright_edit")).isCloseTo(2.0 * v.get("loss/bright_edit/raw"),
                    org.assertj.core.api.Assertions.within(1e-6));
            assertThat(v.get("loss/bright_edit/raw")).isFinite().isGreaterThanOrEqualTo(0.0);
        }
        assertThat(expected).anyMatch(f -> f > 0); // the check is not vacuous
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
