package dev.coin.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.nn.io.StateDict;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Encoder + generator against the PyTorch reference: outputs, BN running statistics and SN vectors. */
class ReferenceGeneratorTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceGeneratorTest.class);
    private static final double TOL = 1e-5;

    static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).reshape(b.shape()).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen_bilinear_skip1234", "gen_nearest_sn_noskip", "gen_nearest_skip12", "gen_bilinear_noptb"})
    void reproducesReferenceForwardAndStateUpdates(String caseName) throws Exception {
        JsonNode cfg = ReferenceVectors.config(caseName);
        Map<String, INDArray> ref = ReferenceVectors.arrays(caseName);
        UNetPerturbation spec = ReferenceVectors.generator(cfg);
        assertThat(spec.parameterCount()).isEqualTo(cfg.get("params").asLong());

        ParameterStore store = spec.initialise(DataType.FLOAT, 1L);
        StateDict.load(store, ref, "before:");
        INDArray x = ref.get("x");
        INDArray labels = ref.get("labels").castTo(DataType.INT32);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        SingleThreadArrayHolder holder = new SingleThreadArrayHolder();

        // train-mode forward
        SameDiff train = GraphScope.newSameDiff(holder);
        SDVariable xv = train.placeHolder("x", DataType.FLOAT, -1, 1, h, w);
        SDVariable yv = train.placeHolder("labels", DataType.INT32, -1);
        GraphScope ts = GraphScope.create(train, store).withMode(Mode.TRAIN).withCallPrefix("g");
        GeneratorOutputs out = spec.build(ts, xv, yv, h, w);
        INDArray xcf = ts.hooks().output(Map.of("x", x, "labels", labels), out.counterfactual().name())
                .get(out.counterfactual().name());
        double dTrain = maxAbsDiff(xcf, ref.get("xcf_train"));
        assertThat(dTrain).as("xcf_train").isLessThanOrEqualTo(TOL);

        // state after the train forward: every entry (weights unchanged, stats and u updated)
        Map<String, INDArray> after = StateDict.export(store);
        int compared = 0;
        double worst = 0;
        for (Map.Entry<String, INDArray> e : after.entrySet()) {
            INDArray expected = ref.get("after_train:" + e.getKey());
            assertThat(expected).as("after_train:" + e.getKey()).isNotNull();
            double d = maxAbsDiff(e.getValue(), expected);
            assertThat(d).as(e.getKey()).isLessThanOrEqualTo(TOL);
            worst = Math.max(worst, d);
            compared++;
        }
        assertThat(compared).isEqualTo(store.size());

        // eval-mode forward on a second graph sharing the arrays
        SameDiff eval = GraphScope.newSameDiff(holder);
        SDVariable xe = eval.placeHolder("x", DataType.FLOAT, -1, 1, h, w);
        SDVariable ye = eval.placeHolder("labels", DataType.INT32, -1);
        GraphScope es = GraphScope.create(eval, store).withMode(Mode.EVAL).withCallPrefix("e");
        GeneratorOutputs eo = spec.build(es, xe, ye, h, w);
        INDArray xcfEval = es.hooks().output(Map.of("x", x, "labels", labels), eo.counterfactual().name())
                .get(eo.counterfactual().name());
        double dEval = maxAbsDiff(xcfEval, ref.get("xcf_eval"));
        assertThat(dEval).as("xcf_eval").isLessThanOrEqualTo(TOL);
        LOG.info("{}: |xcf_train - ref| = {}, worst state diff = {}, |xcf_eval - ref| = {}", caseName, dTrain, worst, dEval);
    }
}
