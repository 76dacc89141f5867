package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Terms written outside the library: plain records that compute L and nothing else. */
class CustomTermTest extends DoubleGraphTest {
    private static final int B = 2, H = 3, W = 4, N = B * H * W;
    private final SplittableRandom rnd = new SplittableRandom(31);
    private final double[] x = uniform(rnd, N, -1, 1);
    private final double[] xcf = uniform(rnd, N, -1, 1);

    /** A user's term: (mean(x_cf) − mean(x))². No naming, no weight, no toString. */
    record BrightnessShift(String name) implements LossTerm {
        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public Set<LossInput> requires() {
            return Set.of(LossInput.X, LossInput.X_CF);
        }

        @Override
        public SDVariable build(LossContext c) {
            SameDiff sd = c.sd();
            return sd.math.square(sd.mean(c.get(LossInput.X_CF)).sub(sd.mean(c.get(LossInput.X))));
        }
    }

    /** mean relu(x_cf − x) + mean relu(x − x_cf) = mean |x_cf − x|, logging both halves as components. */
    record Split(String name) implements LossTerm {
        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public Set<LossInput> requires() {
            return Set.of(LossInput.X, LossInput.X_CF);
        }

        @Override
        public SDVariable build(LossContext c) {
            SameDiff sd = c.sd();
            SDVariable d = c.get(LossInput.X_CF).sub(c.get(LossInput.X));
            SDVariable brighter = c.component("brighter", sd.mean(sd.nn.relu(d, 0.0)));
            SDVariable darker = c.component("darker", sd.mean(sd.nn.relu(d.neg(), 0.0)));
            return brighter.add(darker);
        }
    }

    /** A term that does whatever {@code body} does, for the error cases. */
    record Probe(String name, double weight, Set<LossInput> requires, java.util.function.Function<LossContext,
            SDVariable> body) implements LossTerm {
        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public SDVariable build(LossContext c) {
            return body.apply(c);
        }
    }

    private static Probe probe(String name, java.util.function.Function<LossContext, SDVariable> body) {
        return new Probe(name, 1.0, Set.of(LossInput.X, LossInput.X_CF), body);
    }

    private LossInputs inputs(SameDiff sd) {
        return LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W)).build();
    }

    private double brightness() {
        double d = mean(xcf) - mean(x);
        return d * d;
    }

    @Test
    void aUserRecordIsNamedWeightedAndSummedByTheSet() {
        LossTerm bright = new BrightnessShift("bright");
        assertThat(bright.weight()).isEqualTo(1.0);
        LossSet set = LossSet.of(bright.weight(3.0), Reconstruction.l1());
        assertThat(set.requires(Player.GENERATOR)).containsExactly(LossInput.X, LossInput.X_CF);
        SameDiff sd = SameDiff.create();
        BuiltLoss g = set.build(sd, Player.GENERATOR, inputs(sd));
        assertThat(g.logged().keySet()).containsExactly("loss/bright", "loss/bright/raw", "loss/rec", "loss/rec/raw",
                "loss/generator");
        assertThat(value(sd, "loss/bright/raw")).isCloseTo(brightness(), within(1e-14));
        assertThat(value(sd, "loss/bright")).isCloseTo(3.0 * brightness(), within(1e-14));
        assertThat(value(sd, "loss/generator")).isCloseTo(3.0 * brightness() + meanAbsDiff(x, xcf), within(1e-14));
        assertThat(g.term("bright").raw().name()).isEqualTo(LossSet.rawName("bright"));
        assertThat(g.term("bright").weighted().name()).isEqualTo(LossSet.weightedName(bright));
        assertThat(g.terms()).extracting(t -> t.term().name()).containsExactly("bright", "rec");
        assertGradientsMatchFiniteDifferences(sd, "loss/generator");
    }

    @Test
    void reweightingAnyTermScalesValueAndGradientAndReplacesRatherThanNests() {
        BrightnessShift bright = new BrightnessShift("bright");
        LossTerm half = bright.weight(0.5);
        assertThat(half).isInstanceOf(Reweighted.class).isEqualTo(new Reweighted(bright, 0.5));
        assertThat(half.weight()).isEqualTo(0.5);
        assertThat(half.name()).isEqualTo("bright");
        assertThat(half.player()).isEqualTo(Player.GENERATOR);
        assertThat(half.requires()).isEqualTo(bright.requires());
        Reweighted twice = (Reweighted) half.weight(2.0);
        assertThat(twice.term()).isSameAs(bright);
        assertThat(twice.weight()).isEqualTo(2.0);
        assertThat(new Reweighted(half, 4.0).term()).isSameAs(bright);

        SameDiff one = SameDiff.create();
        SameDiff halved = SameDiff.create();
        BuiltTerm b1 = LossSet.buildTerm(one, bright, inputs(one));
        BuiltTerm b2 = LossSet.buildTerm(halved, half, inputs(halved));
        assertThat(value(halved, b2.raw().name())).isCloseTo(brightness(), within(1e-14));
        assertThat(value(halved, b2.weighted().name())).isCloseTo(0.5 * brightness(), within(1e-14));
        INDArray g1 = gradients(one, b1.weighted().name(), "xcf").get("xcf");
        INDArray g2 = gradients(halved, b2.weighted().name(), "xcf").get("xcf");
        assertThat(g1.norm2Number().doubleValue()).isGreaterThan(0);
        assertThat(g1.mul(0.5).equalsWithEps(g2, 1e-14)).as("gradient ×0.5").isTrue();
        // Analytic: ∂/∂x_cf_i of λ(m_cf − m_x)² = 2λ(m_cf − m_x)/N.
        assertThat(g2.getDouble(0)).isCloseTo(2 * 0.5 * (mean(xcf) - mean(x)) / N, within(1e-15));

        assertThat(LossSet.of(bright.weight(0), Reconstruction.l1()).active(Player.GENERATOR))
                .extracting(LossTerm::name).containsExactly("rec");
    }

    @Test
    void badWeightsNameTheTermTheValueAndTheFix() {
        BrightnessShift bright = new BrightnessShift("bright");
        assertThatThrownBy(() -> bright.weight(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bright'").hasMessageContaining("-1.0").hasMessageContaining(">= 0")
                .hasMessageContaining("pass e.g. 1.0");
        assertThatThrownBy(() -> bright.weight(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> bright.weight(2).weight(Double.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Infinity");
        // A term whose own weight() is bad is caught by the set.
        Probe nan = new Probe("nan_term", Double.NaN, Set.of(LossInput.X), c -> null);
        assertThatThrownBy(() -> LossSet.of(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nan_term'").hasMessageContaining("NaN");
        assertThatThrownBy(() -> LossSet.buildTerm(SameDiff.create(), nan, LossInputs.builder().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nan_term'");
    }

    @Test
    void aTermLogsComponentsUnderTheLibrarysNames() {
        SameDiff sd = SameDiff.create();
        BuiltLoss g = LossSet.of(new Split("split").weight(2.0)).build(sd, Player.GENERATOR, inputs(sd));
        assertThat(g.logged().keySet()).containsExactly("loss/split", "loss/split/raw", "loss/split/brighter",
                "loss/split/darker", "loss/generator");
        assertThat(g.term("split").components().keySet()).containsExactly("brighter", "darker");
        double brighter = 0;
        double darker = 0;
        for (int i = 0; i < N; i++) {
            brighter += Math.max(0, xcf[i] - x[i]);
            darker += Math.max(0, x[i] - xcf[i]);
        }
        brighter /= N;
        darker /= N;
        assertThat(value(sd, LossSet.componentName("split", "brighter"))).isCloseTo(brighter, within(1e-14));
        assertThat(value(sd, "loss/split/darker")).isCloseTo(darker, within(1e-14));
        assertThat(value(sd, "loss/split/raw")).isCloseTo(meanAbsDiff(x, xcf), within(1e-14));
        assertThat(value(sd, "loss/generator")).isCloseTo(2 * meanAbsDiff(x, xcf), within(1e-14));
        assertGradientsMatchFiniteDifferences(sd, "loss/generator");
    }

    @Test
    void componentNamesAreValidated() {
        for (String bad : new String[] {"raw", "a b", "", "x/y"}) {
            SameDiff sd = SameDiff.create();
            Probe p = probe("comp", c -> c.component(bad, c.sd().mean(c.get(LossInput.X))));
            assertThatThrownBy(() -> LossSet.buildTerm(sd, p, inputs(sd))).as("component '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'comp'")
                    .hasMessageContaining("'" + bad + "'");
        }
        SameDiff sd = SameDiff.create();
        Probe twice = probe("comp", c -> {
            c.component("a", c.sd().mean(c.get(LossInput.X)));
            return c.component("a", c.sd().mean(c.get(LossInput.X_CF)));
        });
        assertThatThrownBy(() -> LossSet.buildTerm(sd, twice, inputs(sd))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' twice");
    }

    /** Companions are generic: a user's generator term can bring its own discriminator half. */
    @Test
    void anyTermCanBringCompanions() {
        record Critic(String name) implements LossTerm {
            @Override
            public Player player() {
                return Player.DISCRIMINATOR;
            }

            @Override
            public Set<LossInput> requires() {
                return Set.of(LossInput.D_REAL_LOGITS);
            }

            @Override
            public SDVariable build(LossContext c) {
                return c.sd().mean(c.get(LossInput.D_REAL_LOGITS));
            }
        }
        record WithCritic(String name) implements LossTerm {
            @Override
            public Player player() {
                return Player.GENERATOR;
            }

            @Override
            public Set<LossInput> requires() {
                return Set.of(LossInput.X_CF);
            }

            @Override
            public SDVariable build(LossContext c) {
                return c.sd().mean(c.get(LossInput.X_CF));
            }

            @Override
            public List<LossTerm> companions() {
                return List.of(new Critic(name + "_critic"));
            }
        }
        LossSet s = LossSet.of(new WithCritic("mine").weight(0.0));
        assertThat(s.terms()).hasSize(1);
        assertThat(s.terms(Player.DISCRIMINATOR)).containsExactly(new Critic("mine_critic"));
        assertThat(s.requires(Player.DISCRIMINATOR)).containsExactly(LossInput.D_REAL_LOGITS);
        assertThat(s.requires(Player.GENERATOR)).isEmpty(); // weight 0: inactive, its companion is not
        assertThatThrownBy(() -> LossSet.of(new WithCritic("mine"), new Critic("mine_critic")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mine_critic'")
                .hasMessageContaining("companion of WithCritic[name=mine]");
    }

    @Test
    void badNamesAreRejectedWithAClearMessage() {
        for (String bad : new String[] {"my term", "", "loss/x", "é"}) {
            assertThatThrownBy(() -> LossSet.of(new BrightnessShift(bad))).as("name '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("letters, digits or '_'");
        }
        assertThatThrownBy(() -> LossSet.of(new BrightnessShift(null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        SameDiff sd = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, new BrightnessShift("a-b"), inputs(sd)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a-b'");
    }

    @Test
    void duplicateNamesSayWhichTermsClash() {
        assertThatThrownBy(() -> LossSet.of(new BrightnessShift("b"), Reconstruction.l1(), new BrightnessShift("b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b'")
                .hasMessageContaining("BrightnessShift[name=b] and BrightnessShift[name=b]");
        assertThatThrownBy(() -> LossSet.of(new Split("rec"), Reconstruction.cyclicL1()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Split[name=rec]")
                .hasMessageContaining("Reconstruction.cyclicL1");
    }

    @Test
    void missingInputNamesTheTermTheInputAndHowToProvideIt() {
        SameDiff sd = SameDiff.create();
        LossInputs onlyX = LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W)).build();
        assertThatThrownBy(() -> LossSet.of(new BrightnessShift("bright")).build(sd, Player.GENERATOR, onlyX))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'bright'")
                .hasMessageContaining("[X_CF]")
                .hasMessageContaining("LossInputs.builder().put(LossInput.X_CF, variable)");
        assertThat(sd.hasVariable("loss/bright/raw")).as("nothing built").isFalse();
    }

    @Test
    void aTermMayReadOnlyWhatItRequiresAndMustReturnOneScalar() {
        SameDiff sd = SameDiff.create();
        LossInputs all = inputs(sd).toBuilder().put(LossInput.X_CYCLIC, var(sd, "xcc", x, B, 1, H, W)).build();
        Probe sneaky = probe("sneaky", c -> c.sd().mean(c.get(LossInput.X_CYCLIC)));
        assertThatThrownBy(() -> LossSet.buildTerm(sd, sneaky, all)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'sneaky'").hasMessageContaining("X_CYCLIC")
                .hasMessageContaining("requires()");
        SameDiff sd2 = SameDiff.create();
        // Checked where the shape is known at build time (SameDiff 1.0.0-M2.1 infers no shapes of op outputs).
        Probe map = probe("map", c -> c.get(LossInput.X_CF));
        assertThatThrownBy(() -> LossSet.buildTerm(sd2, map, inputs(sd2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'map'")
                .hasMessageContaining("[2, 1, 3, 4]").hasMessageContaining("scalar");
        SameDiff sd3 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd3, probe("nothing", c -> null), inputs(sd3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nothing'")
                .hasMessageContaining("null");
    }
}
