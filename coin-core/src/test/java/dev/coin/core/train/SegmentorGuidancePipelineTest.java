package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.losses.LossContext;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Player;
import dev.coin.losses.SegmentorGuidance;
import dev.coin.losses.SegmentorInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The segmentor-guided term inside a real two-player run: a {@link UNetSegmentor} trained on the tiny slices'
 * body mask becomes a frozen part of the generator graph (constants named {@code seg.…}, beside the classifier and
 * the generator), the term and a user's term reading the same maps are logged every step, and the segmentor's
 * weights are untouched by training.
 */
class SegmentorGuidancePipelineTest {
    private final BlobClassifier clf = new BlobClassifier();
    @TempDir
    Path tmp;

    /** mean S(x_cf): how much of the structure the counterfactual keeps (a user's term on the shared keys). */
    record Kept(SegmentorInputs seg, double weight) implements LossTerm {
        @Override
        public String name() {
            return "kept";
        }

        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public Set<LossInput> requires() {
            return Set.of(seg.onCounterfactual());
        }

        @Override
        public SDVariable build(LossContext c) {
            return c.sd().mean(c.get(seg.onCounterfactual()));
        }
    }

    private static BatchLoader loader() {
        return BatchLoader.builder(TinyData.source(8, 5)).batchSize(4).seed(3).build();
    }

    private static UNetSegmentor segmentor() {
        return SegmentorTrainer.builder(UNetSegmentor.builder().widths(4, 8).build()).seed(2).build().fit(loader(), 1)
                .segmentor();
    }

    @Test
    void theTermTrainsInsideAPipelineIsLoggedAndLeavesTheSegmentorFrozen() throws Exception {
        UNetSegmentor seg = segmentor();
        String before = seg.fingerprint();
        SegmentorInputs inputs = SegmentorInputs.of(seg);
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(1).loss(SegmentorGuidance.of(inputs).weight(2.0))
                .loss(new Kept(inputs, 0.5)).build();
        assertThat(p.losses().derivedInputs(Player.GENERATOR)).extracting(LossInput::name)
                .contains("seg_x", "seg_xcf");
        List<Map<String, Double>> steps = new ArrayList<>();
        Path run = tmp.resolve("run");
        TrainedPipeline t = PipelineTrainer.builder(p).runDirectory(run).listeners(new TrainingListener<Object>() {
            @Override
            public void onStep(StepReport r, TrainingContext<?> c) {
                steps.add(r.losses());
            }
        }, new MetricsWriter()).build().fit(loader(), 1);
        assertThat(steps).hasSize(2);
        for (Map<String, Double> v : steps) {
            assertThat(v).containsKeys(LossSet.rawName("seg"), LossSet.weightedName("seg"), LossSet.rawName("kept"),
                    "loss/generator", "loss/kl");
            assertThat(v.values()).allMatch(Double::isFinite);
            assertThat(v.get("loss/seg/raw")).isBetween(0.0, 1.0);
            assertThat(v.get("loss/seg")).isCloseTo(2.0 * v.get("loss/seg/raw"),
                    org.assertj.core.api.Assertions.within(1e-6));
            assertThat(v.get("loss/kept/raw")).isBetween(0.0, 1.0);
        }
        assertThat(steps.get(0).get("loss/seg/raw")).as("the untrained generator edits: S changes").isPositive();
        assertThat(t.history().get(0).losses()).containsKeys("loss/seg", "loss/seg/raw", "loss/kept");
        assertThat(Files.readAllLines(run.resolve("metrics.csv")).get(0)).contains("loss/seg/raw", "loss/kept");
        // frozen: the generator's optimiser never saw the segmentor's weights, its statistics did not move
        assertThat(seg.fingerprint()).isEqualTo(before);
        assertThat(t.parameters().entries()).noneMatch(e -> e.name().startsWith("seg."));
        // the provenance names the term and the segmentor (spec and weights fingerprint), not its arrays
        String provenance = Files.readString(run.resolve(Provenance.FILE));
        assertThat(provenance).contains("SegmentorGuidance", "MAP_L1", "UNetSegmentor[widths=[4, 8]", before)
                .doesNotContain("seg.enc0.0.weight");
    }

    @Test
    void aResumedRunWithAnotherSegmentorIsRefused() {
        UNetSegmentor seg = segmentor();
        Pipeline p = TinyData.tinyCoin(clf).generatorEvery(1).loss(SegmentorGuidance.of(seg)).build();
        Path run = tmp.resolve("run");
        PipelineTrainer.builder(p).runDirectory(run).listeners(CheckpointListener.every(1)).build().fit(loader(), 1);
        UNetSegmentor other = UNetSegmentor.builder().widths(4, 8).build().create(99L);
        Pipeline q = TinyData.tinyCoin(clf).generatorEvery(1).loss(SegmentorGuidance.of(other)).build();
        assertThatThrownBy(() -> PipelineTrainer.builder(q).resumeFrom(CheckpointListener.folderFor(run, 1)).build()
                .fit(loader(), 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another pipeline")
                .hasMessageContaining("network");
        // the same segmentor (a new term over it) resumes
        Pipeline same = TinyData.tinyCoin(clf).generatorEvery(1).loss(SegmentorGuidance.of(seg)).build();
        assertThat(PipelineTrainer.builder(same).resumeFrom(CheckpointListener.folderFor(run, 1)).build()
                .fit(loader(), 2).history()).hasSize(2);
    }

    @Test
    void aSegmentorTheSlicesDoNotFitFailsWhileTheGraphIsBuilt() {
        // 3 levels need sizes divisible by 8: 32 is; 5 levels need 32: still fine; 6 levels need 64
        UNetSegmentor tooDeep = UNetSegmentor.builder().widths(2, 2, 2, 2, 2, 2, 2).build().create(1L);
        Pipeline p = TinyData.tinyCoin(clf).loss(SegmentorGuidance.of(tooDeep)).build();
        assertThatThrownBy(() -> PipelineTrainer.builder(p).build().fit(loader(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32x32")
                .hasMessageContaining("divisible by 64");
    }
}
