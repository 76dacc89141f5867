package dev.coin.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.io.StateDict;
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

/**
 * COIN-Aligned's generator variants against the PyTorch vectors (testvectors/aligned): classifier-feature CBN
 * ({@code gen_clf_features_cbn}, §9.5) and the shifted-tanh fusion ({@code gen_shifted_tanh}, §9.6). One train-mode
 * forward (x_cf, g, every state entry afterwards) and one eval-mode forward (x_cf, g).
 */
class ReferenceAlignedGeneratorTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceAlignedGeneratorTest.class);
    private static final double TOL = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"aligned/gen_clf_features_cbn", "aligned/gen_shifted_tanh"})
    void reproducesReferenceForwardAndStateUpdates(String caseName) throws Exception {
        JsonNode cfg = ReferenceVectors.config(caseName);
        Map<String, INDArray> ref = ReferenceVectors.arrays(caseName);
        UNetPerturbation spec = ReferenceVectors.generator(cfg);
        boolean features = cfg.path("use_signal_from_classifier").asBoolean(false);
        assertThat(spec.conditioning().kind())
                .isEqualTo(features ? Conditioning.Kind.FEATURES : Conditioning.Kind.LABELS);
        assertThat(spec.fusion().referenceName()).isEqualTo(cfg.get("ptb_fuse_type").asText());
        assertThat(spec.parameterCount()).isEqualTo(cfg.get("params").asLong());
        assertThat(spec.encoderParameterCount()).isEqualTo(cfg.get("params_split").get("enc").asLong());
        assertThat(spec.decoderParameterCount()).isEqualTo(cfg.get("params_split").get("gen").asLong());

        ParameterStore store = spec.initialise(DataType.FLOAT, 1L);
        // PyTorch's fc.weight is [2C, F]; the store's LINEAR_WEIGHT is [F, 2C]: StateDict transposes on load
        StateDict.load(store, ref, "before:");
        if (features) {
            INDArray torchW = ref.get("before:gen.blocks.0.cbn_relu_first.fc.weight");
            INDArray ours = store.array("gen.blocks.0.cbn_relu_first.fc.weight");
            assertThat(ours.shape()).containsExactly(torchW.size(1), torchW.size(0));
            assertThat(ours.equals(torchW.transpose())).isTrue();
        }
        INDArray x = ref.get("x");
        INDArray condition = features ? ref.get("features").castTo(DataType.FLOAT)
                : ref.get("labels").castTo(DataType.INT32);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        SingleThreadArrayHolder holder = new SingleThreadArrayHolder();

        INDArray[] train = forward(spec, store, holder, Mode.TRAIN, "g", x, condition, features, h, w);
        double dTrain = ReferenceGeneratorTest.maxAbsDiff(train[0], ref.get("xcf_train"));
        double dgTrain = ReferenceGeneratorTest.maxAbsDiff(train[1], ref.get("g_train"));
        assertThat(dTrain).as("xcf_train").isLessThanOrEqualTo(TOL);
        assertThat(dgTrain).as("g_train").isLessThanOrEqualTo(TOL);

        Map<String, INDArray> after = StateDict.export(store);
        double worst = 0;
        for (Map.Entry<String, INDArray> e : after.entrySet()) {
            INDArray expected = ref.get("after_train:" + e.getKey());
            assertThat(expected).as("after_train:" + e.getKey()).isNotNull();
            double d = ReferenceGeneratorTest.maxAbsDiff(e.getValue(), expected);
            assertThat(d).as(e.getKey()).isLessThanOrEqualTo(TOL);
            worst = Math.max(worst, d);
        }
        long refStateKeys = ref.keySet().stream().filter(k -> k.startsWith("after_train:")).count();
        assertThat(after).hasSize((int) refStateKeys);

        INDArray[] eval = forward(spec, store, holder, Mode.EVAL, "e", x, condition, features, h, w);
        double dEval = ReferenceGeneratorTest.maxAbsDiff(eval[0], ref.get("xcf_eval"));
        double dgEval = ReferenceGeneratorTest.maxAbsDiff(eval[1], ref.get("g_eval"));
        assertThat(dEval).as("xcf_eval").isLessThanOrEqualTo(TOL);
        assertThat(dgEval).as("g_eval").isLessThanOrEqualTo(TOL);
        LOG.info("{}: |xcf_train - ref| = {}, |g_train - ref| = {}, worst state diff = {}, |xcf_eval - ref| = {}, "
                + "|g_eval - ref| = {}", caseName, dTrain, dgTrain, worst, dEval, dgEval);
    }

    /** One generator application in {@code mode}: {x_cf, g}. */
    private static INDArray[] forward(UNetPerturbation spec, ParameterStore store, SingleThreadArrayHolder holder,
            Mode mode, String prefix, INDArray x, INDArray condition, boolean features, int h, int w) {
        SameDiff sd = GraphScope.newSameDiff(holder);
        SDVariable xv = sd.placeHolder("x", DataType.FLOAT, -1, 1, h, w);
        SDVariable cv = features ? sd.placeHolder("cond", DataType.FLOAT, -1, condition.size(1))
                : sd.placeHolder("cond", DataType.INT32, -1);
        GraphScope scope = GraphScope.create(sd, store).withMode(mode).withCallPrefix(prefix);
        GeneratorOutputs out = spec.build(scope, xv, cv, h, w);
        String xcf = out.counterfactual().name();
        String g = out.map().name();
        Map<String, INDArray> r = scope.hooks().output(Map.of("x", x, "cond", condition), xcf, g);
        return new INDArray[] {r.get(xcf), r.get(g)};
    }
}
