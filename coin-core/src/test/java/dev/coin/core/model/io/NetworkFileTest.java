package dev.coin.core.model.io;

import dev.coin.core.model.io.NetworkFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.model.DiscriminatorOutputs;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.GeneratorOutputs;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** save → load → forward is bit-identical (outputs and the state updates the forward makes). */
class NetworkFileTest {
    @TempDir
    Path tmp;

    private static Map<String, INDArray> forward(UNetPerturbation g, ResNetDiscriminator d, ParameterStore store,
            INDArray x, INDArray labels) {
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable xv = sd.placeHolder("x", DataType.FLOAT, -1, 1, 32, 32);
        SDVariable yv = sd.placeHolder("labels", DataType.INT32, -1);
        GraphScope s = GraphScope.create(sd, store).withMode(Mode.TRAIN);
        GeneratorOutputs go = g.build(s.withCallPrefix("g"), xv, yv, 32, 32);
        DiscriminatorOutputs dout = d.build(s.withCallPrefix("d"), go.counterfactual(), yv, 32, 32);
        return s.hooks().output(Map.of("x", x, "labels", labels), go.counterfactual().name(), dout.logits().name());
    }

    @Test
    void saveLoadForwardIsBitIdentical() throws Exception {
        UNetPerturbation g = UNetPerturbation.withSkipLevels(1, 3).channels(2, 3, 4, 4, 5).stemChannels(4)
                .upsample(UpsampleKind.NEAREST).spectralNorm(true).fusion(FusionKind.SHIFTED_TANH).build();
        ResNetDiscriminator d = ResNetDiscriminator.builder().blocks(new int[] {2, 3, 3}, new int[] {2, 2, 1}).build();
        ParameterStore store = ParameterStore.create(DataType.FLOAT);
        g.declare(store, 1L);
        d.declare(store, 2L);
        INDArray x = Init.uniform(new Random(3), DataType.FLOAT, 1.0, 2, 1, 32, 32);
        INDArray labels = Nd4j.createFromArray(1, 0);
        forward(g, d, store, x, labels);   // moves running stats, counters and u away from their initial values

        Path file = tmp.resolve("net.coin.zip");
        NetworkFile.save(file, g, d, store);
        NetworkFile.Saved loaded = NetworkFile.load(file);
        assertThat(loaded.generator()).isEqualTo(g);
        assertThat(loaded.discriminator()).isEqualTo(d);
        for (ParameterStore.Entry e : store.entries()) {
            assertThat(loaded.store().array(e.name())).as(e.name()).isEqualTo(e.array());
        }
        Map<String, INDArray> a = forward(g, d, store, x, labels);
        Map<String, INDArray> b = forward(loaded.generator(), loaded.discriminator(), loaded.store(), x, labels);
        for (String k : a.keySet()) {
            assertThat(b.get(k)).as(k).isEqualTo(a.get(k));
        }
        for (ParameterStore.Entry e : store.entries()) {
            assertThat(loaded.store().array(e.name())).as("after forward: " + e.name()).isEqualTo(e.array());
        }
    }

    @Test
    void refusesAStoreThatDoesNotMatchTheSpec() {
        UNetPerturbation g = UNetPerturbation.withSkips(2).channels(2, 2, 2, 2, 2).stemChannels(2).build();
        ParameterStore other = UNetPerturbation.withSkips(1).channels(2, 2, 2, 2, 2).stemChannels(2).build()
                .initialise(DataType.FLOAT, 1L);
        assertThatThrownBy(() -> NetworkFile.save(tmp.resolve("x.zip"), g, null, other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }
}
