package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The segmentor-guided term against hand computations, finite differences and its error messages. */
class SegmentorGuidanceTest extends DoubleGraphTest {
    private static final int B = 2, H = 3, W = 4, N = B * H * W;
    private static final double A = 2.5, C = -0.3;
    private final SplittableRandom rnd = new SplittableRandom(17);
    private final double[] x = uniform(rnd, N, -1, 1);
    private final double[] xcf = uniform(rnd, N, -1, 1);
    /** Graphs the toy network was applied in, one entry per application. */
    private final List<SameDiff> calls = new ArrayList<>();

    /** A toy frozen "segmentor": S(x) = sigmoid(A·x + C) per pixel, A and C graph constants. */
    private final SegmentorNetwork toy = (sd, in, call) -> {
        calls.add(sd);
        SDVariable a = sd.hasVariable("seg.a") ? sd.getVariable("seg.a") : sd.constant("seg.a", Nd4j.scalar(A));
        SDVariable c = sd.hasVariable("seg.c") ? sd.getVariable("seg.c") : sd.constant("seg.c", Nd4j.scalar(C));
        return sd.nn.sigmoid(call + "/p", in.mul(a).add(c));
    };

    private static double s(double v) {
        return 1 / (1 + Math.exp(-(A * v + C)));
    }

    private double expected(SegmentorGuidance.Form form) {
        double total = 0;
        for (int b = 0; b < B; b++) {
            double area = 0;
            for (int i = b * H * W; i < (b + 1) * H * W; i++) {
                double d = s(x[i]) - s(xcf[i]);
                switch (form) {
                    case MAP_L1 -> total += Math.abs(d);
                    case MAP_L2 -> total += d * d;
                    case AREA -> area += d;
                }
            }
            if (form == SegmentorGuidance.Form.AREA) {
                total += Math.abs(area) / (H * W);
            }
        }
        return form == SegmentorGuidance.Form.AREA ? total / B : total / N;
    }

    private LossInputs inputs(SameDiff sd) {
        return LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W)).build();
    }

    @Test
    void eachFormMatchesAHandComputationAndItsGradientMatchesFiniteDifferences() {
        for (SegmentorGuidance.Form form : SegmentorGuidance.Form.values()) {
            SameDiff sd = SameDiff.create();
            SegmentorGuidance term = SegmentorGuidance.of(toy).form(form).weight(0.7);
            BuiltTerm built = LossSet.buildTerm(sd, term, inputs(sd));
            double e = expected(form);
            assertThat(e).as("not vacuous").isGreaterThan(1e-3);
            assertThat(value(sd, "loss/seg/raw")).as("%s raw", form).isCloseTo(e, within(1e-14));
            assertThat(value(sd, "loss/seg")).as("%s weighted", form).isCloseTo(0.7 * e, within(1e-14));
            assertThat(built.weighted().name()).isEqualTo("loss/seg");
            // the maps are the derived inputs input/seg_x and input/seg_xcf
            assertThat(sd.hasVariable("input/seg_x")).isTrue();
            assertThat(sd.hasVariable("input/seg_xcf")).isTrue();
            assertThat(sd.getVariable("seg.a").getVariableType()).isEqualTo(VariableType.CONSTANT);
            assertGradientsMatchFiniteDifferences(sd, "loss/seg");
        }
    }

    @Test
    void gradientReachesTheCounterfactualThroughTheSegmentor() {
        SameDiff sd = SameDiff.create();
        LossSet.buildTerm(sd, SegmentorGuidance.of(toy), inputs(sd));
        double g = gradients(sd, "loss/seg", "xcf").get("xcf").getDouble(0);
        // d/dxcf |S(x) − S(xcf)| / N = −sign(S(x) − S(xcf))·S'(xcf)/N with S' = A·s·(1 − s)
        double sc = s(xcf[0]);
        assertThat(g).isCloseTo(-Math.signum(s(x[0]) - sc) * A * sc * (1 - sc) / N, within(1e-14));
    }

    @Test
    void aUsersTermSharesTheKeysAndEachMapIsComputedOncePerGraph() {
        SegmentorInputs seg = SegmentorInputs.of(toy);
        assertThat(seg.onX().name()).isEqualTo("seg_x");
        assertThat(seg.onCounterfactual().name()).isEqualTo("seg_xcf");
        assertThat(seg.onX().from()).containsExactly(LossInput.X);
        assertThat(seg.onCounterfactual().from()).containsExactly(LossInput.X_CF);
        /* mean(S(x_cf)): how much organ the counterfactual keeps */
        LossTerm kept = new CustomInputTest.Term("kept", Set.of(seg.onCounterfactual()),
                c -> c.sd().mean(c.get(seg.onCounterfactual())));
        LossSet set = LossSet.of(SegmentorGuidance.of(seg), kept.weight(0.5));
        assertThat(set.derivedInputs(Player.GENERATOR)).containsExactly(seg.onX(), seg.onCounterfactual());
        assertThat(set.builtInInputs(Player.GENERATOR)).containsExactly(LossInput.X, LossInput.X_CF);
        SameDiff sd = SameDiff.create();
        set.build(sd, Player.GENERATOR, inputs(sd));
        assertThat(calls.stream().filter(g -> g == sd).count()).as("one application on x, one on x_cf").isEqualTo(2);
        assertThat(calls.stream().filter(g -> g != sd).count()).as("one shape probe").isEqualTo(1);
        double keptMean = 0;
        for (double v : xcf) {
            keptMean += s(v) / N;
        }
        assertThat(value(sd, "loss/kept/raw")).isCloseTo(keptMean, within(1e-14));
        assertThat(value(sd, "loss/seg/raw")).isCloseTo(expected(SegmentorGuidance.Form.MAP_L1), within(1e-14));

        // two different inputs of one name cannot meet in a set; a second segmentor is named apart
        SegmentorInputs other = SegmentorInputs.of(toy);
        assertThatThrownBy(() -> LossSet.of(SegmentorGuidance.of(seg), SegmentorGuidance.of(other).named("seg2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Two different loss inputs are named 'seg_x'");
        SegmentorInputs second = SegmentorInputs.named("seg2", toy);
        assertThat(LossSet.of(SegmentorGuidance.of(seg), SegmentorGuidance.of(second).named("seg2"))
                .derivedInputs(Player.GENERATOR)).extracting(LossInput::name)
                .containsExactly("seg_x", "seg_xcf", "seg2_x", "seg2_xcf");
    }

    @Test
    void badInputIsRejectedNamingTheArgumentTheValueAndTheFix() {
        assertThatThrownBy(() -> SegmentorGuidance.of(toy).weight(-0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seg'").hasMessageContaining("-0.5").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> SegmentorGuidance.of(toy).weight(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> SegmentorInputs.named("seg x", toy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'seg x'");

        // two output channels
        SegmentorNetwork twoChannels = (sd, in, call) -> sd.concat(call + "/p", 1, sd.nn.sigmoid(in),
                sd.nn.sigmoid(in.neg()));
        SameDiff sd1 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd1, SegmentorGuidance.of(twoChannels), inputs(sd1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned shape [2, 2, 3, 4]")
                .hasMessageContaining("[2, 1, 3, 4]").hasMessageContaining("one output channel");
        // half resolution
        SegmentorNetwork halved = (sd, in, call) -> sd.nn.sigmoid(call + "/p", sd.cnn.avgPooling2d(in,
                org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig.builder().kH(1).kW(2).sH(1)
                        .sW(2).isNHWC(false).build()));
        SameDiff sd2 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd2, SegmentorGuidance.of(halved), inputs(sd2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 1, 3, 2]")
                .hasMessageContaining("upsampled back");
        // logits instead of probabilities
        SegmentorNetwork logits = (sd, in, call) -> in.mul(call + "/z", 3.0);
        SameDiff sd3 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd3, SegmentorGuidance.of(logits), inputs(sd3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-3.0, 3.0]")
                .hasMessageContaining("sigmoid");
        // a multi-channel input
        SameDiff sd4 = SameDiff.create();
        LossInputs rgb = LossInputs.builder().put(LossInput.X, constant(sd4, "x", uniform(rnd, 3 * N, -1, 1), B, 3, H,
                W)).put(LossInput.X_CF, var(sd4, "xcf", uniform(rnd, 3 * N, -1, 1), B, 3, H, W)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd4, SegmentorGuidance.of(toy), rgb))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3, 3, 4]")
                .hasMessageContaining("[B, 1, H, W]");
        // trainable weights: the generator's optimiser would update them
        SegmentorNetwork unfrozen = (sd, in, call) -> sd.nn.sigmoid(call + "/p", in.mul(sd.hasVariable("w")
                ? sd.getVariable("w") : sd.var("w", Nd4j.scalar(2.0))));
        SameDiff sd6 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd6, SegmentorGuidance.of(unfrozen), inputs(sd6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trainable variable(s) [w]")
                .hasMessageContaining("constants");
        // null
        SameDiff sd5 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd5, SegmentorGuidance.of((sd, in, call) -> null), inputs(sd5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned null");
    }

    @Test
    void valueSemanticsAndToString() {
        SegmentorInputs seg = SegmentorInputs.of(toy);
        SegmentorGuidance t = SegmentorGuidance.of(seg);
        assertThat(t.name()).isEqualTo("seg");
        assertThat(t.weight()).isEqualTo(1.0);
        assertThat(t.form()).isEqualTo(SegmentorGuidance.Form.MAP_L1);
        assertThat(t.player()).isEqualTo(Player.GENERATOR);
        assertThat(t.requires()).containsExactly(seg.onX(), seg.onCounterfactual());
        assertThat(t.weight(2.0)).isInstanceOf(SegmentorGuidance.class).isNotEqualTo(t);
        assertThat(t.weight(2.0).weight(1.0)).isEqualTo(t).hasSameHashCodeAs(t);
        assertThat(t.form(SegmentorGuidance.Form.AREA).named("area").toString()).contains("area", "AREA", "λ=1.0",
                "seg_x", "seg_xcf");
        assertThat(SegmentorGuidance.of(SegmentorInputs.of(toy))).as("other inputs").isNotEqualTo(t);
        assertThat(t.inputs().network()).isSameAs(toy);
        assertThat(Nd4j.dataType()).isEqualTo(DataType.DOUBLE);
    }
}
