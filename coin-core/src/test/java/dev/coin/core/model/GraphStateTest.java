package dev.coin.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Java-side state (BN running stats, SN vectors) under fit(), repeated applications and shared weights. */
class GraphStateTest {
    private static final UNetPerturbation SPEC = UNetPerturbation.withSkips(2).channels(2, 3, 3, 4, 4).stemChannels(3)
            .spectralNorm(true).upsample(dev.coin.core.nn.UpsampleKind.BILINEAR).build();
    private static final INDArray X = Init.uniform(new Random(1), DataType.FLOAT, 1.0, 2, 1, 32, 32);
    private static final INDArray LABELS = Nd4j.createFromArray(0, 1);

    private static SDVariable[] inputs(SameDiff sd) {
        return new SDVariable[] {sd.placeHolder("x", DataType.FLOAT, -1, 1, 32, 32), sd.placeHolder("labels", DataType.INT32, -1)};
    }

    @Test
    void fitUpdatesRunningStatsAndSpectralNormLikeAnOutputCall() {
        ParameterStore viaOutput = SPEC.initialise(DataType.FLOAT, 4L);
        ParameterStore viaFit = viaOutput.copy();

        SameDiff a = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable[] in = inputs(a);
        GraphScope sa = GraphScope.create(a, viaOutput).withMode(Mode.TRAIN);
        GeneratorOutputs oa = SPEC.build(sa, in[0], in[1], 32, 32);
        sa.hooks().output(Map.of("x", X, "labels", LABELS), oa.counterfactual().name());

        SameDiff b = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable[] inb = inputs(b);
        GraphScope sb = GraphScope.create(b, viaFit).withMode(Mode.TRAIN);
        GeneratorOutputs ob = SPEC.build(sb, inb[0], inb[1], 32, 32);
        SDVariable loss = ob.counterfactual().mul(ob.counterfactual()).mean();
        b.setLossVariables(loss);
        b.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(0.5)).dataSetFeatureMapping("x", "labels")
                .markLabelsUnused().build());
        sb.hooks().install();
        b.fit(new MultiDataSet(new INDArray[] {X, LABELS}, new INDArray[0]));

        int checked = 0;
        for (ParameterStore.Entry e : viaOutput.entries()) {
            if (!e.kind().trainable()) {
                assertThat(viaFit.array(e.name())).as(e.name()).isEqualTo(e.array());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(viaFit.array("gen.last_block.0.num_batches_tracked").getLong(0)).isEqualTo(1L);
        // and fit really trained: a weight moved in the fit store only
        assertThat(viaFit.array("gen.last_block.2.weight")).isNotEqualTo(viaOutput.array("gen.last_block.2.weight"));
    }

    @Test
    void twoApplicationsInOneGraphShareWeightsAndUpdateStateTwice() {
        ParameterStore store = SPEC.initialise(DataType.FLOAT, 4L);
        ParameterStore once = store.copy();
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable[] in = inputs(sd);
        GraphScope s = GraphScope.create(sd, store).withMode(Mode.TRAIN);
        GeneratorOutputs first = SPEC.build(s.withCallPrefix("pass1"), in[0], in[1], 32, 32);
        GeneratorOutputs second = SPEC.build(s.withCallPrefix("pass2"), first.counterfactual(), in[1], 32, 32);
        assertThat(s.hooks().batchNormCount()).isEqualTo(2 * 22);
        INDArray out = s.hooks().output(Map.of("x", X, "labels", LABELS), second.counterfactual().name())
                .get(second.counterfactual().name());
        assertThat(store.array("enc.first_block.2.num_batches_tracked").getLong(0)).isEqualTo(2L);

        // the same two passes as two separate single-pass graphs on another store give the same result and state
        SameDiff g1 = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable[] i1 = inputs(g1);
        GraphScope s1 = GraphScope.create(g1, once).withMode(Mode.TRAIN);
        GeneratorOutputs p1 = SPEC.build(s1, i1[0], i1[1], 32, 32);
        INDArray mid = s1.hooks().output(Map.of("x", X, "labels", LABELS), p1.counterfactual().name())
                .get(p1.counterfactual().name());
        INDArray out2 = s1.hooks().output(Map.of("x", mid, "labels", LABELS), p1.counterfactual().name())
                .get(p1.counterfactual().name());
        assertThat(Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce3.EuclideanDistance(out, out2))
                .getDouble(0)).isLessThan(1e-5);
        for (ParameterStore.Entry e : store.entries()) {
            if (e.kind() == dev.coin.core.nn.ParameterKind.COUNTER) {
                assertThat(once.array(e.name()).getLong(0)).isEqualTo(2L);
            } else {
                assertThat(once.array(e.name()).castTo(DataType.DOUBLE).sub(e.array().castTo(DataType.DOUBLE))
                        .amaxNumber().doubleValue()).as(e.name()).isLessThan(1e-6);
            }
        }
    }
}
