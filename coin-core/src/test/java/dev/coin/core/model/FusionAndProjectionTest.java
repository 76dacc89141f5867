package dev.coin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every implemented fusion formula against Java math on the decoder output g; projection term of D. */
class FusionAndProjectionTest {
    private static final INDArray X = Init.uniform(new Random(2), DataType.DOUBLE, 1.0, 2, 1, 32, 32);
    private static final INDArray LABELS = Nd4j.createFromArray(1, 0);

    @Test
    void fusionFormulas() {
        for (FusionKind kind : new FusionKind[] {FusionKind.SKIP_ADD_TANH, FusionKind.NONE, FusionKind.SHIFTED_TANH,
                FusionKind.L2_TANH, FusionKind.TANH_AVG, FusionKind.TANH_CLAMP}) {
            UNetPerturbation spec = UNetPerturbation.withSkips(1).channels(2, 2, 2, 2, 2).stemChannels(2).fusion(kind).build();
            ParameterStore store = spec.initialise(DataType.DOUBLE, 3L);
            store.array("gen.last_block.2.bias").assign(1.5);   // make |g| large enough for the clamp/L2 branches
            SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
            GraphScope s = GraphScope.create(sd, store).withMode(Mode.EVAL);
            GeneratorOutputs o = spec.build(s, sd.placeHolder("x", DataType.DOUBLE, -1, 1, 32, 32),
                    sd.placeHolder("labels", DataType.INT32, -1), 32, 32);
            Map<String, INDArray> r = s.hooks().output(Map.of("x", X, "labels", LABELS), o.map().name(), o.counterfactual().name());
            INDArray g = r.get(o.map().name());
            INDArray xcf = r.get(o.counterfactual().name());
            for (int a = 0; a < 2; a++) {
                double norm = 0;
                for (int i = 0; i < 32; i++) for (int j = 0; j < 32; j++) norm += g.getDouble(a, 0, i, j) * g.getDouble(a, 0, i, j);
                norm = Math.max(Math.sqrt(norm), 1.0);
                for (int i = 0; i < 32; i += 3) for (int j = 0; j < 32; j += 5) {
                    double x = X.getDouble(a, 0, i, j), gv = g.getDouble(a, 0, i, j);
                    double e;
                    switch (kind) {
                        case SKIP_ADD_TANH: e = Math.tanh(x + gv); break;
                        case NONE: e = Math.tanh(gv); break;
                        case SHIFTED_TANH: e = Math.tanh(x + (Math.tanh(gv) - 0.6) / 0.8); break;
                        case L2_TANH: e = Math.tanh(x + gv / norm); break;
                        case TANH_AVG: e = (x + Math.tanh(gv)) / 2; break;
                        default: e = Math.max(-1, Math.min(1, x + Math.tanh(gv))); break;
                    }
                    assertThat(xcf.getDouble(a, 0, i, j)).as(kind + " [%d,%d,%d]", a, i, j).isCloseTo(e, within(1e-12));
                }
            }
        }
        // an unimplemented fusion is refused when the spec is built, before any graph exists
        assertThatThrownBy(() -> UNetPerturbation.withSkips(1).fusion(FusionKind.STACK_3X3_CONV_TANH).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not implemented");
        UNetPerturbation stack = UNetPerturbation.withSkips(1).build();
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        assertThatThrownBy(() -> stack.build(GraphScope.create(sd, ParameterStore.create(DataType.FLOAT)),
                sd.placeHolder("x2", DataType.FLOAT, -1, 1, 30, 30), null, 30, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
    }

    @Test
    void projectionAddsTheLabelEmbeddingInnerProduct() {
        ResNetDiscriminator proj = ResNetDiscriminator.builder().blocks(new int[] {2, 3}, new int[] {2, 2}).build();
        ResNetDiscriminator plain = proj.toBuilder().projection(false).build();
        ParameterStore a = proj.initialise(DataType.DOUBLE, 5L);
        ParameterStore b = a.copy();   // same u, so both calls use the same σ
        Map<String, INDArray> ra = run(proj, a);
        Map<String, INDArray> rb = run(plain, b);
        INDArray emb = a.array("disc.embd.weight");
        for (int n = 0; n < 2; n++) {
            double dot = 0;
            for (int c = 0; c < 3; c++) dot += emb.getDouble(LABELS.getInt(n), c) * ra.get("pooled").getDouble(n, c);
            assertThat(ra.get("logits").getDouble(n, 0) - rb.get("logits").getDouble(n, 0)).isCloseTo(dot, within(1e-10));
        }
    }

    private static Map<String, INDArray> run(ResNetDiscriminator d, ParameterStore store) {
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope s = GraphScope.create(sd, store);
        SDVariable labels = d.projection() ? sd.placeHolder("labels", DataType.INT32, -1) : null;
        DiscriminatorOutputs o = d.build(s, sd.placeHolder("x", DataType.DOUBLE, -1, 1, 32, 32), labels, 32, 32);
        Map<String, INDArray> feeds = d.projection() ? Map.of("x", X, "labels", LABELS) : Map.of("x", X);
        Map<String, INDArray> r = s.hooks().output(feeds, o.logits().name(), o.pooled().name());
        return Map.of("logits", r.get(o.logits().name()), "pooled", r.get(o.pooled().name()));
    }
}
