package dev.coin.core.model;

import static dev.coin.core.model.ReferenceGeneratorTest.maxAbsDiff;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Projection discriminator against the PyTorch reference: two consecutive calls, SN vectors advancing. */
class ReferenceDiscriminatorTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceDiscriminatorTest.class);
    private static final double TOL = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"disc_5blocks", "disc_6blocks"})
    void reproducesTwoConsecutiveCalls(String caseName) throws Exception {
        JsonNode cfg = ReferenceVectors.config(caseName);
        Map<String, INDArray> ref = ReferenceVectors.arrays(caseName);
        ResNetDiscriminator spec = ReferenceVectors.discriminator(cfg);
        assertThat(spec.parameterCount()).isEqualTo(cfg.get("params").asLong());

        ParameterStore store = spec.initialise(DataType.FLOAT, 3L);
        assertThat(store.trainableParameterCount()).isEqualTo(spec.parameterCount());
        StateDict.load(store, ref, "before:");
        INDArray x = ref.get("x");
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable xv = sd.placeHolder("x", DataType.FLOAT, -1, 1, h, w);
        SDVariable yv = sd.placeHolder("labels", DataType.INT32, -1);
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("d");
        DiscriminatorOutputs out = spec.build(scope, xv, yv, h, w);
        Map<String, INDArray> feeds = Map.of("x", x, "labels", ref.get("labels").castTo(DataType.INT32));
        String logits = out.logits().name();

        INDArray l1 = scope.hooks().output(feeds, logits).get(logits);
        double d1 = maxAbsDiff(l1, ref.get("logits_call1"));
        assertThat(d1).as("logits_call1").isLessThanOrEqualTo(TOL);
        double worstU = 0;
        for (Map.Entry<String, INDArray> e : StateDict.export(store).entrySet()) {
            double d = maxAbsDiff(e.getValue(), ref.get("after_call1:" + e.getKey()));
            assertThat(d).as(e.getKey()).isLessThanOrEqualTo(TOL);
            worstU = Math.max(worstU, d);
        }
        INDArray l2 = scope.hooks().output(feeds, logits).get(logits);
        double d2 = maxAbsDiff(l2, ref.get("logits_call2"));
        assertThat(d2).as("logits_call2").isLessThanOrEqualTo(TOL);
        for (Map.Entry<String, INDArray> e : StateDict.export(store).entrySet()) {
            assertThat(maxAbsDiff(e.getValue(), ref.get("after_call2:" + e.getKey()))).as(e.getKey()).isLessThanOrEqualTo(TOL);
        }
        LOG.info("{}: |logits1 - ref| = {}, |logits2 - ref| = {}, worst state diff after call 1 = {}", caseName, d1, d2, worstU);
    }
}
