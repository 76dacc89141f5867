package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.ConditioningMode;
import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.BatchLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * State that must advance (or not) the way the reference's does: batch-norm statistics on every train-mode
 * generator forward (the cyclic and self-reconstruction passes included, and on steps without a generator update),
 * spectral-norm vectors, and a classifier that never changes.
 */
class TrainingStateTest {
    private final BlobClassifier clf = new BlobClassifier();

    private static float[] bits(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** Two steps with k = 5: step 0 updates G (passes per step = {@code gPasses}), step 1 only runs the generator. */
    private TrainedPipeline twoSteps(Pipeline p) {
        return PipelineTrainer.builder(p).build().fit(BatchLoader.builder(TinyData.source(16, 5)).batchSize(8).seed(3).build(), 1);
    }

    private void assertState(TrainedPipeline t, int passesOnGeneratorStep) {
        ParameterStore s = t.parameters();
        ParameterStore fresh = ParameterStore.create(s.dataType());
        t.pipeline().generator().declare(fresh, dev.coin.data.random.Seeds.derive(t.pipeline().seed(), 1));
        t.pipeline().discriminator().declare(fresh, dev.coin.data.random.Seeds.derive(t.pipeline().seed(), 2));
        int bnLayers = 0;
        for (ParameterStore.Entry e : s.entries()) {
            if (e.name().endsWith(".num_batches_tracked")) {
                // G step: one update per train-mode pass; the non-G step: one more (forward-only graph)
                assertThat(e.array().getLong(0)).as(e.name()).isEqualTo(passesOnGeneratorStep + 1);
                bnLayers++;
            }
            if (e.name().endsWith(".running_mean") || e.name().endsWith(".u")) {
                assertThat(bits(e.array())).as(e.name()).isNotEqualTo(bits(fresh.array(e.name())));
            }
        }
        assertThat(bnLayers).isGreaterThan(10);
        for (ParameterStore.Entry e : clf.parameters().entries()) {
            assertThat(bits(s.array(e.name()))).as(e.name()).containsExactly(bits(new BlobClassifier().parameters()
                    .array(e.name())));
        }
        assertThat(t.history().get(0).generatorSteps()).isEqualTo(1);
        assertThat(t.history().get(0).steps()).isEqualTo(2);
    }

    @Test
    void coinAdvancesBatchNormOnBothPassesAndOnStepsWithoutGeneratorUpdate() {
        Pipeline p = TinyData.tinyCoin(clf).build(); // k = 5, cyclic reconstruction: 2 generator passes
        assertThat(p.generatorEvery()).isEqualTo(5);
        assertState(twoSteps(p), 2);
    }

    @Test
    void singlaTrainsWithTwoConditionsMasksAndThreeGeneratorPasses() {
        // Table 1 A at test size: no perturbation, no skips, CARL on the masks, x_rec + x_cc passes
        Pipeline p = Presets.singla().classifier(clf).generator(TinyData.generator().toBuilder()
                        .fusion(dev.coin.core.model.FusionKind.NONE).skips(new java.util.TreeSet<>()).build())
                .discriminator(TinyData.discriminator()).seed(11).build();
        assertThat(p.conditioningMode()).isEqualTo(ConditioningMode.TWO);
        TrainedPipeline t = twoSteps(p);
        assertState(t, 3);
        assertThat(t.history().get(0).losses()).containsKeys("loss/rec", "loss/kl", "loss/adv", "loss/d_adv/real");
        assertThat(t.history().get(0).losses().values()).allMatch(Double::isFinite);
    }

    @Test
    void coinTuhPresetTrainsWithBilinearUpsamplingAndSkipsItsInactiveMincTerm() {
        Pipeline p = Presets.coin().classifier(clf)
                .generator(TinyData.generator().toBuilder().upsample(dev.coin.core.nn.UpsampleKind.BILINEAR)
                        .spectralNorm(false).build())
                .discriminator(TinyData.discriminator()).seed(11).build();
        TrainedPipeline t = twoSteps(p);
        assertState(t, 2);
        assertThat(t.history().get(0).losses()).containsKeys("loss/tv", "loss/rec", "loss/kl")
                .doesNotContainKey("loss/minc"); // λ_minc = 0: not built, as in the reference
    }
}
