package dev.coin.core.model.segmentor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.ParameterStore;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossInputs;
import dev.coin.losses.LossSet;
import dev.coin.losses.SegmentorGuidance;
import dev.coin.losses.SegmentorInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The U-Net segmentor: spec, names, host inference vs the frozen graph form, gradients, files, errors. */
class UNetSegmentorTest {
    @TempDir
    Path tmp;

    private static INDArray images(long seed, DataType dt, int b, int h, int w) {
        Random r = new Random(seed);
        double[] v = new double[b * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return Nd4j.create(v, new long[] {b, 1, h, w}, DataType.DOUBLE).castTo(dt);
    }

    /** Running statistics away from 0/1, so that eval-mode batch norm is not the identity. */
    /** U(0, 1) values of {@code r} in the shape and type of {@code like}. */
    private static INDArray uniform(Random r, INDArray like) {
        double[] v = new double[(int) like.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.create(v, like.shape(), DataType.DOUBLE).castTo(like.dataType());
    }

    private static void perturbStatistics(UNetSegmentor s, long seed) {
        Random r = new Random(seed);
        for (ParameterStore.Entry e : s.parameters().entries()) {
            // from the seeded generator only: ND4J's global one depends on what ran before in the JVM
            if (e.name().endsWith("running_mean")) {
                e.array().assign(uniform(r, e.array()).subi(0.5).muli(0.2));
            } else if (e.name().endsWith("running_var")) {
                double shift = 0.5 + r.nextDouble();
                e.array().assign(uniform(r, e.array()).addi(shift));
            }
        }
    }

    @Test
    void builderSpecAndParameterNames() {
        UNetSegmentor.Spec spec = UNetSegmentor.builder().build();
        assertThat(spec.widths()).containsExactly(8, 16, 32);
        assertThat(spec.levels()).isEqualTo(2);
        assertThat(spec.sizeMultiple()).isEqualTo(4);
        assertThat(UNetSegmentor.builder().baseWidth(4).levels(3).build().widths()).containsExactly(4, 8, 16, 32);
        assertThat(UNetSegmentor.builder().widths(2, 3).build().levels()).isEqualTo(1);
        UNetSegmentor s = spec.create(3L);
        assertThat(s.parameterCount()).isEqualTo(spec.parameterCount());
        // by hand: enc0 1→8, enc1 8→16, enc2 16→32, dec1 48→16, dec0 24→8, each two 3×3 convs + 2 BN(γ,β); head 8→1
        long expected = (9L * 1 * 8 + 9 * 8 * 8 + 32) + (9L * 8 * 16 + 9 * 16 * 16 + 64) + (9L * 16 * 32 + 9 * 32 * 32
                + 128) + (9L * 48 * 16 + 9 * 16 * 16 + 64) + (9L * 24 * 8 + 9 * 8 * 8 + 32) + 8 + 1;
        assertThat(spec.parameterCount()).isEqualTo(expected);
        List<String> names = s.parameters().entries().stream().map(ParameterStore.Entry::name).toList();
        assertThat(names).allMatch(n -> n.startsWith("seg.")).contains("seg.enc0.0.weight", "seg.enc0.1.running_var",
                "seg.enc2.4.num_batches_tracked", "seg.dec1.3.weight", "seg.dec0.4.bias", "seg.head.weight",
                "seg.head.bias").doesNotContain("seg.enc0.0.bias");
        assertThat(UNetSegmentor.builder().prefix("kidney").build().create(1L).parameters().entries())
                .allMatch(e -> e.name().startsWith("kidney."));
        // PyTorch default init: U(±1/√fan_in) for the convs, BN γ = 1, β = 0
        double bound = 1 / Math.sqrt(9 * 16);
        INDArray w = s.parameters().array("seg.enc2.0.weight");
        assertThat(Transforms.abs(w).maxNumber().doubleValue()).isLessThanOrEqualTo(bound)
                .isGreaterThan(0.9 * bound);
        assertThat(s.parameters().array("seg.enc1.1.weight").meanNumber().doubleValue()).isEqualTo(1.0);
        // seeded
        assertThat(spec.create(3L).parameters().array("seg.dec0.0.weight"))
                .isEqualTo(s.parameters().array("seg.dec0.0.weight"));
        assertThat(spec.create(4L).parameters().array("seg.dec0.0.weight"))
                .isNotEqualTo(s.parameters().array("seg.dec0.0.weight"));
        assertThat(spec.toString()).contains("[8, 16, 32]", "2 levels", "'seg'");
        assertThat(s.toString()).contains("UNetSegmentor", String.valueOf(expected));
    }

    @Test
    void badSpecsAndInputsAreRejectedNamingTheValueAndTheFix() {
        assertThatThrownBy(() -> UNetSegmentor.builder().widths(8).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[8]").hasMessageContaining("widths(8, 16, 32)");
        assertThatThrownBy(() -> UNetSegmentor.builder().widths(8, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[8, 0]");
        assertThatThrownBy(() -> UNetSegmentor.builder().levels(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("levels").hasMessageContaining("got 0");
        assertThatThrownBy(() -> UNetSegmentor.builder().prefix("seg.x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'seg.x'");
        UNetSegmentor s = UNetSegmentor.builder().widths(2, 3).build().create(1L);
        assertThatThrownBy(() -> s.probabilities(Nd4j.zeros(DataType.FLOAT, 1, 1, 6, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6x5")
                .hasMessageContaining("divisible by 2");
        assertThatThrownBy(() -> s.probabilities(Nd4j.zeros(DataType.FLOAT, 1, 3, 8, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 3, 8, 8]");
    }

    @Test
    void theFrozenGraphFormIsTheHostInferenceWithWeightsAsConstants() {
        UNetSegmentor s = UNetSegmentor.builder().widths(4, 8, 8).build().create(5L);
        perturbStatistics(s, 6);
        INDArray x = images(1, DataType.FLOAT, 3, 16, 16);
        INDArray host = s.probabilities(x);
        assertThat(host.shape()).containsExactly(3, 1, 16, 16);
        assertThat(host.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(host.maxNumber().doubleValue()).isLessThanOrEqualTo(1);

        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 1, 16, 16);
        SDVariable p = s.segment(sd, in, "seg_x");
        assertThat(p.name()).isEqualTo("seg_x/seg.prob");
        INDArray graph = sd.output(Map.of("x", x), p.name()).get(p.name());
        assertThat(graph).isEqualTo(host);
        // every parameter is a constant of the graph that references the store's array (frozen, never copied)
        for (ParameterStore.Entry e : s.parameters().entries()) {
            if (sd.hasVariable(e.name())) {
                assertThat(sd.getVariable(e.name()).getVariableType()).as(e.name()).isEqualTo(VariableType.CONSTANT);
                assertThat(sd.getArrForVarName(e.name())).isSameAs(e.array());
            }
        }
        assertThat(sd.variables()).noneMatch(v -> v.getVariableType() == VariableType.VARIABLE);
        // a second application (x_cf) reuses the constants; a second segmentor with the same prefix is refused
        s.segment(sd, in.mul(0.5), "seg_xcf");
        UNetSegmentor other = UNetSegmentor.builder().widths(4, 8, 8).build().create(7L);
        assertThatThrownBy(() -> other.segment(sd, in, "other")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'seg.enc0.0.weight'").hasMessageContaining("prefix(\"seg2\")");
        // an input of another floating type is cast to the weights' and the map back to the input's
        SDVariable dx = sd.placeHolder("dx", DataType.DOUBLE, -1, 1, 16, 16);
        SDVariable dp = s.segment(sd, dx, "seg_dx");
        INDArray dOut = sd.output(Map.of("dx", x.castTo(DataType.DOUBLE)), dp.name()).get(dp.name());
        assertThat(dOut.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(dOut.castTo(DataType.FLOAT)).isEqualTo(host);
        // an input the network cannot take, when the graph knows its shape
        SDVariable odd = sd.placeHolder("odd", DataType.FLOAT, -1, 1, 10, 16);
        assertThatThrownBy(() -> s.segment(sd, odd, "odd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10x16").hasMessageContaining("divisible by 4");
    }

    @Test
    void theTermThroughTheRealNetworkMatchesAHostComputationAndFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            UNetSegmentor s = UNetSegmentor.builder().widths(3, 4).build().create(9L, DataType.DOUBLE);
            perturbStatistics(s, 10);
            for (ParameterStore.Entry e : s.parameters().entries()) {
                if (e.name().endsWith(".0.weight") || e.name().endsWith(".3.weight")) {
                    e.array().muli(2.0); // livelier maps than the init's, so the differences are not tiny
                }
            }
            s.parameters().array("seg.head.weight").muli(20.0);
            INDArray x = images(2, DataType.DOUBLE, 2, 4, 4);
            INDArray xcf = images(3, DataType.DOUBLE, 2, 4, 4);
            INDArray diff = s.probabilities(x).sub(s.probabilities(xcf));
            double[] expected = {Transforms.abs(diff).meanNumber().doubleValue(),
                    diff.mul(diff).meanNumber().doubleValue(),
                    Transforms.abs(diff.mean(1, 2, 3)).meanNumber().doubleValue()};
            SegmentorGuidance.Form[] forms = SegmentorGuidance.Form.values();
            for (int f = 0; f < forms.length; f++) {
                SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
                LossInputs in = LossInputs.builder().put(LossInput.X, sd.constant("x", x))
                        .put(LossInput.X_CF, sd.var("xcf", xcf.dup())).build();
                SegmentorGuidance term = SegmentorGuidance.of(SegmentorInputs.of(s)).form(forms[f]).weight(2.0);
                LossSet.buildTerm(sd, term, in);
                double raw = scalar(sd, "loss/seg/raw");
                assertThat(raw).as("%s", forms[f]).isCloseTo(expected[f], within(1e-12));
                assertThat(raw).as("%s not vacuous", forms[f]).isGreaterThan(1e-4);
                assertThat(scalar(sd, "loss/seg")).isCloseTo(2 * expected[f], within(1e-12));
                assertThat(sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                        .map(SDVariable::name)).containsExactly("xcf");
                // central finite differences of λL w.r.t. elements of x_cf in both samples, corners and inside
                // (each difference is two forward passes of ~100 ops: a subset keeps the test fast)
                sd.setLossVariables("loss/seg");
                INDArray grad = sd.calculateGradients(Collections.<String, INDArray>emptyMap(), "xcf").get("xcf")
                        .dup();
                INDArray v = sd.getArrForVarName("xcf");
                double eps = 1e-6;
                double maxRel = 0;
                for (long i : new long[] {0, 5, 10, 15, 17, 22, 27, 31}) {
                    double orig = v.getDouble(i);
                    v.putScalar(i, orig + eps);
                    double up = scalar(sd, "loss/seg");
                    v.putScalar(i, orig - eps);
                    double down = scalar(sd, "loss/seg");
                    v.putScalar(i, orig);
                    double fd = (up - down) / (2 * eps);
                    double g = grad.getDouble(i);
                    assertThat(g).as("%s d/dxcf[%d]", forms[f], i).isCloseTo(fd, within(1e-6 + 1e-4 * Math.abs(fd)));
                    maxRel = Math.max(maxRel, Math.abs(g));
                }
                assertThat(maxRel).as("%s gradient not vacuous", forms[f]).isGreaterThan(1e-4);
            }
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static double scalar(SameDiff sd, String name) {
        return sd.output(Collections.<String, INDArray>emptyMap(), name).get(name).getDouble(0);
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs() throws Exception {
        UNetSegmentor s = UNetSegmentor.builder().widths(4, 8, 8).prefix("kid").build().create(11L);
        perturbStatistics(s, 12);
        INDArray x = images(4, DataType.FLOAT, 2, 16, 16);
        Path dir = tmp.resolve("seg");
        s.save(dir);
        assertThat(dir.resolve(UNetSegmentor.SPEC_FILE)).exists();
        assertThat(Files.readString(dir.resolve(UNetSegmentor.SPEC_FILE))).contains("unet_segmentor", "\"kid\"");
        UNetSegmentor back = UNetSegmentor.load(dir);
        assertThat(back.spec()).isEqualTo(s.spec());
        assertThat(back.probabilities(x)).isEqualTo(s.probabilities(x));
        assertThat(back.fingerprint()).isEqualTo(s.fingerprint()).startsWith("sha256:");
        assertThat(back.identity()).isEqualTo(s.identity()).contains("[4, 8, 8]", "kid");
        // a run folder's model/ is found; other folders are refused with what to do
        s.save(tmp.resolve("run").resolve("model"));
        assertThat(UNetSegmentor.load(tmp.resolve("run")).probabilities(x)).isEqualTo(s.probabilities(x));
        assertThatThrownBy(() -> UNetSegmentor.load(tmp.resolve("nothing"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(UNetSegmentor.SPEC_FILE).hasMessageContaining("UNetSegmentor.save");
        // weights of another spec
        Path wrong = tmp.resolve("wrong");
        s.save(wrong);
        Files.writeString(wrong.resolve(UNetSegmentor.SPEC_FILE),
                "{\"architecture\":\"unet_segmentor\",\"widths\":[4,8],\"prefix\":\"kid\"}");
        assertThatThrownBy(() -> UNetSegmentor.load(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        // training changes the fingerprint
        s.parameters().array("kid.head.bias").addi(1);
        assertThat(s.fingerprint()).isNotEqualTo(back.fingerprint());
    }
}
