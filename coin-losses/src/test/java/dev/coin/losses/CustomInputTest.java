package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Inputs the library did not anticipate: derived in the graph, or fed from the host every step. */
class CustomInputTest extends DoubleGraphTest {
    private static final int B = 2, H = 3, W = 4, N = B * H * W;
    private final SplittableRandom rnd = new SplittableRandom(41);
    private final double[] x = uniform(rnd, N, -1, 1);
    private final double[] xcf = uniform(rnd, N, -1, 1);

    /** A generator term with given inputs and body. */
    record Term(String name, Set<LossInput> requires, Function<LossContext, SDVariable> body) implements LossTerm {
        @Override
        public Player player() {
            return Player.GENERATOR;
        }

        @Override
        public SDVariable build(LossContext c) {
            return body.apply(c);
        }
    }

    private final AtomicInteger derivations = new AtomicInteger();
    /** mean(x_cf), a scalar computed in the graph. */
    private final LossInput xcfMean = LossInput.derived("xcf_mean", Set.of(LossInput.X_CF), (sd, in) -> {
        derivations.incrementAndGet();
        return sd.mean(in.get(LossInput.X_CF));
    });
    /** 1 + |x| per pixel, computed on the host from the step's x. */
    private final LossInput pixelWeight = LossInput.fed("pixel_weight", DataType.DOUBLE, new long[] {-1, 1, H, W},
            step -> Transforms.abs(step.get(LossInput.X)).add(1.0));

    /** Var(x_cf) = mean((x_cf − mean x_cf)²), reading the derived mean. */
    private Term spread(String name) {
        return new Term(name, Set.of(LossInput.X_CF, xcfMean), c -> {
            SameDiff sd = c.sd();
            return sd.mean(sd.math.square(c.get(LossInput.X_CF).sub(c.get(xcfMean))));
        });
    }

    /** mean(w · |x − x_cf|) with the fed weight map w. */
    private Term weightedL1() {
        return new Term("weighted_l1", Set.of(LossInput.X, LossInput.X_CF, pixelWeight), c -> {
            SameDiff sd = c.sd();
            return sd.mean(c.get(pixelWeight).mul(sd.math.abs(c.get(LossInput.X).sub(c.get(LossInput.X_CF)))));
        });
    }

    private double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return s / v.length;
    }

    @Test
    void aDerivedInputIsRequiredWithItsSourcesAndComputedOncePerGraph() {
        Term mpull = new Term("mpull", Set.of(xcfMean), c -> c.sd().math.square(c.get(xcfMean)));
        LossSet set = LossSet.of(spread("spread"), mpull.weight(2.0));
        assertThat(set.requires(Player.GENERATOR)).containsExactly(LossInput.X_CF, xcfMean);
        assertThat(set.builtInInputs(Player.GENERATOR)).containsExactly(LossInput.X_CF);
        assertThat(set.derivedInputs(Player.GENERATOR)).containsExactly(xcfMean);
        assertThat(set.fedInputs(Player.GENERATOR)).isEmpty();

        SameDiff sd = SameDiff.create();
        BuiltLoss g = set.build(sd, Player.GENERATOR,
                LossInputs.builder().put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W)).build());
        assertThat(derivations).as("derived once for both terms").hasValue(1);
        assertThat(g.inputs().provided()).containsExactly(LossInput.X_CF, xcfMean);
        assertThat(g.inputs().get(xcfMean).name()).isEqualTo("input/xcf_mean").isEqualTo(LossSet.inputName(xcfMean));
        assertThat(value(sd, "input/xcf_mean")).isCloseTo(mean(xcf), within(1e-15));
        assertThat(value(sd, "loss/spread/raw")).isCloseTo(variance(xcf), within(1e-14));
        assertThat(value(sd, "loss/mpull")).isCloseTo(2 * mean(xcf) * mean(xcf), within(1e-14));
        assertThat(value(sd, "loss/generator"))
                .isCloseTo(variance(xcf) + 2 * mean(xcf) * mean(xcf), within(1e-14));
        assertGradientsMatchFiniteDifferences(sd, "loss/generator"); // the derived mean is on the gradient path

        // A second term built into the same graph reuses input/xcf_mean.
        LossSet.buildTerm(sd, spread("spread2"), LossInputs.builder().put(LossInput.X_CF, sd.getVariable("xcf")).build());
        assertThat(derivations).hasValue(1);
        assertThat(value(sd, "loss/spread2")).isCloseTo(variance(xcf), within(1e-14));
    }

    @Test
    void derivedInputsChainAndAProvidedOneIsUsedAsIs() {
        LossInput meanSq = LossInput.derived("xcf_mean_sq", Set.of(xcfMean),
                (sd, in) -> sd.math.square(in.get(xcfMean)));
        Term t = new Term("sq", Set.of(meanSq), c -> c.get(meanSq));
        LossSet set = LossSet.of(t);
        assertThat(set.requires(Player.GENERATOR)).containsExactly(LossInput.X_CF, xcfMean, meanSq);
        assertThat(set.derivedInputs(Player.GENERATOR)).containsExactly(xcfMean, meanSq);
        assertThat(set.builtInInputs(Player.GENERATOR)).containsExactly(LossInput.X_CF);

        SameDiff sd = SameDiff.create();
        set.build(sd, Player.GENERATOR, LossInputs.builder().put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W))
                .build());
        assertThat(value(sd, "loss/sq")).isCloseTo(mean(xcf) * mean(xcf), within(1e-15));
        assertThat(value(sd, "input/xcf_mean_sq")).isCloseTo(mean(xcf) * mean(xcf), within(1e-15));

        // The pipeline may provide a derived input itself: then it is not derived and its sources are not needed.
        derivations.set(0);
        SameDiff sd2 = SameDiff.create();
        set.build(sd2, Player.GENERATOR, LossInputs.builder().put(xcfMean, sd2.constant("m", Nd4j.scalar(0.25))).build());
        assertThat(derivations).hasValue(0);
        assertThat(value(sd2, "loss/sq")).isCloseTo(0.0625, within(1e-15));
    }

    @Test
    void aFedInputIsListedForTheTrainerAndFedEveryStep() {
        LossSet set = LossSet.of(weightedL1().weight(0.5), Adversarial.bce().weight(0));
        assertThat(set.fedInputs(Player.GENERATOR)).containsExactly(pixelWeight);
        assertThat(set.builtInInputs(Player.GENERATOR)).containsExactly(LossInput.X, LossInput.X_CF);
        assertThat(set.requires(Player.GENERATOR)).containsExactly(LossInput.X, LossInput.X_CF, pixelWeight);
        assertThat(set.fedInputs(Player.DISCRIMINATOR)).isEmpty();

        // What a trainer does: a placeholder per fed input, then the feed's array every step.
        SameDiff sd = SameDiff.create();
        LossInputs.Builder in = LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W));
        for (LossInput f : set.fedInputs(Player.GENERATOR)) {
            in.put(f, sd.placeHolder(LossSet.inputName(f), f.dataType(), f.shape()));
        }
        BuiltLoss g = set.build(sd, Player.GENERATOR, in.build());
        LossInput.StepArrays step = LossInput.StepArrays.of(Map.of(LossInput.X, arr(x, B, 1, H, W)));
        INDArray w = pixelWeight.computeFeed(step);
        Map<String, INDArray> out = sd.output(Map.of("input/pixel_weight", w), "loss/weighted_l1/raw",
                "loss/weighted_l1", g.totalName());
        double expected = 0;
        for (int i = 0; i < N; i++) {
            expected += (1 + Math.abs(x[i])) * Math.abs(x[i] - xcf[i]);
        }
        expected /= N;
        assertThat(out.get("loss/weighted_l1/raw").getDouble(0)).isCloseTo(expected, within(1e-14));
        assertThat(out.get("loss/weighted_l1").getDouble(0)).isCloseTo(0.5 * expected, within(1e-14));
        assertThat(out.get("loss/generator").getDouble(0)).isCloseTo(0.5 * expected, within(1e-14));
        sd.setLossVariables(g.totalName());
        Map<String, INDArray> grad = sd.calculateGradients(Map.of("input/pixel_weight", w), "xcf");
        assertThat(grad.get("xcf").getDouble(0)).isCloseTo(0.5 / N * (1 + Math.abs(x[0]))
                * Math.signum(xcf[0] - x[0]), within(1e-15));
    }

    @Test
    void computeFeedCastsToTheDeclaredTypeAndChecksTheShape() {
        LossInput.StepArrays step = LossInput.StepArrays.of(Map.of(LossInput.X,
                Nd4j.createFromArray(new float[] {-0.5f, 2f}).reshape(2, 1, 1, 1)));
        LossInput w = LossInput.fed("w", DataType.DOUBLE, new long[] {-1, 1, 1, 1},
                s -> Transforms.abs(s.get(LossInput.X)));
        INDArray a = w.computeFeed(step);
        assertThat(a.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(a.reshape(2).toDoubleVector()).containsExactly(0.5, 2.0);
        LossInput wrongShape = LossInput.fed("w", DataType.DOUBLE, new long[] {-1, 1, 2, 2}, s -> s.get(LossInput.X));
        assertThatThrownBy(() -> wrongShape.computeFeed(step)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w'").hasMessageContaining("[2, 1, 1, 1]").hasMessageContaining("[-1, 1, 2, 2]");
        LossInput masks = LossInput.fed("m", DataType.FLOAT, new long[] {-1}, s -> s.get(LossInput.MASKS));
        assertThatThrownBy(() -> masks.computeFeed(step)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MASKS").hasMessageContaining("[X]");
        assertThatThrownBy(() -> LossInput.fed("z", DataType.FLOAT, new long[] {1}, s -> null).computeFeed(step))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'z'").hasMessageContaining("null");
    }

    @Test
    void aDerivedInputMayReadAFedOneAndTheTrainerIsToldAboutIt() {
        LossInput weightMean = LossInput.derived("weight_mean", Set.of(pixelWeight), (sd, in) -> sd.mean(in.get(
                pixelWeight)));
        LossSet set = LossSet.of(new Term("wm", Set.of(weightMean), c -> c.get(weightMean)));
        assertThat(set.fedInputs(Player.GENERATOR)).containsExactly(pixelWeight);
        assertThat(set.derivedInputs(Player.GENERATOR)).containsExactly(weightMean);
        assertThat(set.builtInInputs(Player.GENERATOR)).isEmpty();
        SameDiff sd = SameDiff.create();
        assertThatThrownBy(() -> set.build(sd, Player.GENERATOR, LossInputs.builder().build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'wm'")
                .hasMessageContaining("weight_mean").hasMessageContaining("pixel_weight")
                .hasMessageContaining("sd.placeHolder(\"input/pixel_weight\", DOUBLE, [-1, 1, 3, 4])");
    }

    @Test
    void missingCustomInputsNameTheTermTheInputAndHowToProvideIt() {
        SameDiff sd = SameDiff.create();
        LossInputs onlyX = LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W)).build();
        assertThatThrownBy(() -> LossSet.of(weightedL1()).build(sd, Player.GENERATOR, onlyX))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'weighted_l1'")
                .hasMessageContaining("X_CF").hasMessageContaining("pixel_weight")
                .hasMessageContaining("placeholder").hasMessageContaining("LossSet.fedInputs(player)");
        assertThatThrownBy(() -> LossSet.buildTerm(sd, spread("spread"), onlyX))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'spread'")
                .hasMessageContaining("xcf_mean").hasMessageContaining("computed from [X_CF]");
        assertThat(derivations).hasValue(0);
    }

    @Test
    void aDerivationMayReadOnlyWhatItDerivesFrom() {
        LossInput sneaky = LossInput.derived("sneaky", Set.of(LossInput.X_CF), (sd, in) -> in.get(LossInput.X));
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, new Term("t", Set.of(sneaky), c -> c.sd().mean(c.get(sneaky))),
                in)).isInstanceOf(IllegalStateException.class).hasMessageContaining("'sneaky'")
                .hasMessageContaining("reads input X").hasMessageContaining("[X_CF]");
    }

    @Test
    void keysCompareByNameAndKindAndDifferentKeysOfOneNameClash() {
        LossInput other = LossInput.derived("xcf_mean", Set.of(LossInput.X), (sd, in) -> sd.mean(in.get(LossInput.X)));
        assertThat(other).isEqualTo(xcfMean).hasSameHashCodeAs(xcfMean);
        LossInput fedNamedLikeIt = LossInput.fed("xcf_mean", DataType.FLOAT, new long[] {1}, s -> null);
        assertThat(fedNamedLikeIt).isNotEqualTo(xcfMean);
        assertThat(xcfMean.toString()).isEqualTo("xcf_mean");
        assertThat(LossInput.X_CF.toString()).isEqualTo("X_CF");
        assertThat(LossInput.X_CF.name()).isEqualTo("X_CF");

        // One key shared by two terms is fine; two different definitions under one name are not.
        LossSet.of(spread("a"), spread("b"));
        assertThatThrownBy(() -> LossSet.of(spread("a"), new Term("b", Set.of(other), c -> c.get(other))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Two different loss inputs are named 'xcf_mean'")
                .hasMessageContaining("term 'a'").hasMessageContaining("term 'b'")
                .hasMessageContaining("[X_CF]").hasMessageContaining("[X]");
        assertThatThrownBy(() -> LossSet.of(spread("a"), new Term("b", Set.of(fedNamedLikeIt), c -> null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'xcf_mean'")
                .hasMessageContaining("fed input");
        // Within one term, and through a derived key's sources, too.
        LossInput viaSource = LossInput.derived("outer", Set.of(other), (sd, in) -> in.get(other));
        assertThatThrownBy(() -> LossSet.buildTerm(SameDiff.create(), new Term("t", Set.of(xcfMean, viaSource),
                c -> null), LossInputs.builder().build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xcf_mean'");
    }

    @Test
    void kindsAndAccessors() {
        assertThat(LossInput.builtIns()).hasSize(12).startsWith(LossInput.X, LossInput.X_CF)
                .endsWith(LossInput.MASKS, LossInput.CLASSIFIER_PROB_X).allMatch(LossInput::isBuiltIn);
        assertThat(LossInput.X.kind()).isEqualTo(LossInput.Kind.BUILT_IN);
        assertThat(LossInput.X.derivation()).isEmpty();
        assertThat(LossInput.X.feed()).isEmpty();
        assertThat(LossInput.X.from()).isEmpty();
        assertThat(xcfMean.kind()).isEqualTo(LossInput.Kind.DERIVED);
        assertThat(xcfMean.isBuiltIn()).isFalse();
        assertThat(xcfMean.derivation()).isPresent();
        assertThat(xcfMean.from()).containsExactly(LossInput.X_CF);
        assertThat(pixelWeight.kind()).isEqualTo(LossInput.Kind.FED);
        assertThat(pixelWeight.feed()).isPresent();
        assertThat(pixelWeight.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(pixelWeight.shape()).containsExactly(-1, 1, H, W);
        pixelWeight.shape()[0] = 7;
        assertThat(pixelWeight.shape()[0]).as("defensive copy").isEqualTo(-1);
        assertThatThrownBy(xcfMean::dataType).isInstanceOf(IllegalStateException.class).hasMessageContaining("fed");
        assertThatThrownBy(LossInput.X::shape).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void customKeysAreValidated() {
        assertThatThrownBy(() -> LossInput.derived("X_CF", Set.of(LossInput.X), (sd, in) -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built-in")
                .hasMessageContaining("'X_CF'");
        assertThatThrownBy(() -> LossInput.fed("pixel weight", DataType.FLOAT, new long[] {1}, s -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pixel weight'");
        assertThatThrownBy(() -> LossInput.fed("w", DataType.FLOAT, new long[] {-1, 0}, s -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-1, 0]");
        assertThatThrownBy(() -> LossInput.derived("d", Set.of(), (sd, in) -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'d'");
    }

    @Test
    void inputsKeepInsertionOrderAndAcceptCustomKeys() {
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder().put(LossInput.X_CF, constant(sd, "xcf", xcf, B, 1, H, W))
                .put(pixelWeight, constant(sd, "w", x, B, 1, H, W)).put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .build();
        assertThat(in.provided()).containsExactly(LossInput.X_CF, pixelWeight, LossInput.X);
        assertThat(in.toString()).isEqualTo("LossInputs[X_CF=xcf, pixel_weight=w, X=x]");
        assertThat(in.has(pixelWeight)).isTrue();
        assertThat(in.get(pixelWeight).name()).isEqualTo("w");
        assertThatThrownBy(() -> in.get(LossInput.MASKS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MASKS");
    }
}
