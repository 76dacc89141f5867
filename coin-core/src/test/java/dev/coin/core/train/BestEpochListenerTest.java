package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Explanation;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.eval.HealthyEditScore;
import dev.coin.core.eval.LabelFreeThreshold;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.slice.Slice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class BestEpochListenerTest {
    @Test
    void keepsTheLowestScoringEpochsWeightsWithoutDisturbingTraining(@TempDir Path tmp) {
        double[] scripted = {3.0, 1.0, 2.0};
        AtomicInteger calls = new AtomicInteger();
        BestEpochListener best = BestEpochListener.lowest("scripted", t -> scripted[calls.getAndIncrement()]);
        assertThat(best.best()).isEmpty();
        Path ckpt = tmp.resolve("run");
        // checkpoints every epoch first, then the listener: the checkpoint holds the state the listener copied
        TrainedPipeline last = PipelineTrainer.builder(TinyData.tinyCoin(ResNet18.Spec.ofWidth(4).create(17L))
                        .generatorEvery(1).build())
                .runDirectory(ckpt).listeners(CheckpointListener.every(1), best).build()
                .fit(BatchLoader.builder(TinyData.source(16, 5)).batchSize(8).seed(3).build(), 3);

        assertThat(calls.get()).isEqualTo(3);
        assertThat(best.bestEpoch()).isEqualTo(1);
        assertThat(best.bestScore()).isEqualTo(1.0);
        TrainedPipeline chosen = best.best().orElseThrow();
        assertThat(chosen.history()).hasSize(2);
        Map<String, INDArray> epoch2 = Checkpoint.read(ckpt.resolve("checkpoints").resolve("epoch-0002")).arrays();
        ParameterStore kept = chosen.parameters();
        int compared = 0;
        for (ParameterStore.Entry e : kept.entries()) {
            INDArray saved = epoch2.get("store/" + e.name());   // the checkpoint keeps the store under store/
            if (saved != null) {
                assertThat(e.array()).as(e.name()).isEqualTo(saved.castTo(e.array().dataType()));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(50);
        // training went on after epoch 2: the final weights differ from the kept ones
        String w = "gen.last_block.2.weight";
        assertThat(last.parameters().array(w)).isNotEqualTo(kept.array(w));
        assertThat(best.toString()).contains("epoch 2");
    }

    @Test
    void healthyEditScoreIsTheHealthyPercentileOfTheDifferenceMaps() {
        List<Slice> healthy = TinyData.slices(8, 9).stream().filter(s -> s.label() == 0).toList();
        TrainedPipeline a = TinyTrained.twin();
        TrainedPipeline b = TinyTrained.twin();
        LabelFreeThreshold byHand = LabelFreeThreshold.builder().percentile(90).build();
        for (Explanation e : a.explain(healthy)) {
            byHand.add(e.differenceMap());
        }
        double score = HealthyEditScore.of(healthy, 90).applyAsDouble(b);
        assertThat(score).isEqualTo(byHand.threshold()).isGreaterThan(0.0);

        assertThatThrownBy(() -> HealthyEditScore.of(TinyData.slices(2, 9), 99))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 1");
        assertThatThrownBy(() -> HealthyEditScore.of(List.of(), 99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> HealthyEditScore.of(healthy, 101)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101");
    }
}
