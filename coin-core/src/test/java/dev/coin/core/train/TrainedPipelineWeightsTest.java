package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Wrapping weights from elsewhere: accepted only when they are the pipeline's generator weights. */
class TrainedPipelineWeightsTest {
    @Test
    void wrapsAStoreOnlyWhenItHoldsEveryGeneratorWeightWithItsShape() {
        Pipeline p = TinyData.tinyCoin(new BlobClassifier()).build();
        ParameterStore weights = ParameterStore.create(DataType.FLOAT);
        p.generator().declare(weights, 1L);
        assertThat(new TrainedPipeline(p, weights, List.of()).parameters()).isSameAs(weights);

        assertThatThrownBy(() -> new TrainedPipeline(p, ParameterStore.create(DataType.FLOAT), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks generator parameter");
        Pipeline wider = p.toBuilder().editGenerator(g -> g.stemChannels(7)).build();
        assertThatThrownBy(() -> new TrainedPipeline(wider, weights, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has shape")
                .hasMessageContaining("another generator spec");
    }
}
