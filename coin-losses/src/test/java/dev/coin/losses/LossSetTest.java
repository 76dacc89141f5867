package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class LossSetTest extends DoubleGraphTest {
    private static final int B = 2, H = 4, W = 4, N = B * H * W;
    private final SplittableRandom rnd = new SplittableRandom(21);
    private final double[] x = uniform(rnd, N, -1, 1);
    private final double[] xcf = uniform(rnd, N, -1, 1);
    private final double[] xcc = uniform(rnd, N, -1, 1);
    private final double[] dReal = uniform(rnd, B, -2, 2);
    private final double[] dFake = uniform(rnd, B, -2, 2);
    private final double[] q = {0.8, 0.3};
    private final double[] t = {1e-6, 0.3};

    /** The paper's synthetic COIN (reference §4.5): λ_kl 5, λ_minc 1 (the default), λ_tv 0.05. */
    private static LossSet coin() {
        return LossSet.of(Adversarial.bce(), ClassifierKl.weight(5.0), Reconstruction.cyclicL1().weight(1.0),
                Reconstruction.minc(1.0), TotalVariation.weight(0.05));
    }

    private LossInputs inputs(SameDiff sd) {
        return LossInputs.builder()
                .put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W))
                .put(LossInput.X_CYCLIC, var(sd, "xcc", xcc, B, 1, H, W))
                .put(LossInput.D_REAL_LOGITS, constant(sd, "dReal", dReal, B, 1)) // no G gradient: a constant
                .put(LossInput.D_FAKE_LOGITS, var(sd, "dFake", dFake, B, 1))
                .put(LossInput.CLASSIFIER_PROB_CF, var(sd, "q", q, B, 1))
                .put(LossInput.TARGET_PROB, constant(sd, "t", t, B, 1)).build();
    }

    @Test
    void splitsByPlayerAndAddsTheDiscriminatorHalf() {
        LossSet s = coin();
        assertThat(s.terms()).hasSize(5);
        assertThat(s.terms(Player.GENERATOR)).extracting(LossTerm::name)
                .containsExactly("adv", "kl", "rec", "minc", "tv");
        assertThat(s.terms(Player.DISCRIMINATOR)).extracting(LossTerm::name).containsExactly("d_adv");
        // Declaration order of the built-ins, whatever the terms' order.
        assertThat(s.requires(Player.GENERATOR)).containsExactly(LossInput.X, LossInput.X_CF,
                LossInput.X_CYCLIC, LossInput.D_FAKE_LOGITS, LossInput.CLASSIFIER_PROB_CF, LossInput.TARGET_PROB);
        assertThat(s.builtInInputs(Player.GENERATOR)).isEqualTo(s.requires(Player.GENERATOR));
        assertThat(s.fedInputs(Player.GENERATOR)).isEmpty();
        assertThat(s.derivedInputs(Player.GENERATOR)).isEmpty();
        assertThat(s.requires(Player.DISCRIMINATOR))
                .containsExactly(LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS);
        assertThat(s.toString()).isEqualTo("LossSet[Adversarial.bce[λ=1.0], ClassifierKl[λ=5.0, eps=1.0E-5], "
                + "Reconstruction.cyclicL1[λ=1.0: L1(X, X_CF) + L1(X, X_CYCLIC)], "
                + "Reconstruction.minc[λ=1.0: L1(X, X_CF)], TotalVariation[λ=0.05]]");
    }

    /** As in the reference, λ_rec = 0 must not force the cyclic generator pass (nor λ_minc = 0 build a term). */
    @Test
    void zeroWeightTermsAreInactiveAndRequireNothing() {
        LossSet s = LossSet.of(Adversarial.bce(), ClassifierKl.weight(1), Reconstruction.cyclicL1().weight(0),
                Reconstruction.minc(0), TotalVariation.weight(5e-5));
        assertThat(s.requires(Player.GENERATOR, LossInput.X_CYCLIC)).isFalse();
        assertThat(s.active(Player.GENERATOR)).extracting(LossTerm::name).containsExactly("adv", "kl", "tv");
        assertThat(coin().requires(Player.GENERATOR, LossInput.X_CYCLIC)).isTrue();
    }

    @Test
    void totalIsTheSumOfTheWeightedTermsAndEverythingIsLogged() {
        SameDiff sd = SameDiff.create();
        BuiltLoss g = coin().build(sd, Player.GENERATOR, inputs(sd));
        assertThat(g.totalName()).isEqualTo("loss/generator");
        assertThat(g.player()).isEqualTo(Player.GENERATOR);
        assertThat(g.terms()).extracting(t -> t.term().name()).containsExactly("adv", "kl", "rec", "minc", "tv");
        assertThat(g.term("kl").weighted().name()).isEqualTo("loss/kl");
        assertThat(value(sd, "loss/kl")).isCloseTo(5.0 * value(sd, "loss/kl/raw"), within(1e-12));
        assertThat(g.logged().keySet()).containsExactly("loss/adv", "loss/adv/raw", "loss/kl", "loss/kl/raw",
                "loss/rec", "loss/rec/raw", "loss/minc", "loss/minc/raw", "loss/tv", "loss/tv/raw", "loss/generator");
        double sum = 0;
        for (String n : new String[] {"loss/adv", "loss/kl", "loss/rec", "loss/minc", "loss/tv"}) {
            sum += value(sd, n);
        }
        assertThat(value(sd, "loss/generator")).isCloseTo(sum, within(1e-12));
        // λ_minc·L1(x, x_cf) and the forward half of rec are the same number: the "2× forward L1" of §12.2.
        assertThat(value(sd, "loss/minc")).isCloseTo(meanAbsDiff(x, xcf), within(1e-12));
        assertGradientsMatchFiniteDifferences(sd, "loss/generator");

        SameDiff sdD = SameDiff.create();
        BuiltLoss d = coin().build(sdD, Player.DISCRIMINATOR, inputs(sdD));
        assertThat(d.logged().keySet()).containsExactly("loss/d_adv", "loss/d_adv/raw", "loss/d_adv/real",
                "loss/d_adv/fake", "loss/discriminator");
        assertThat(d.term("d_adv").components().keySet()).containsExactly("real", "fake");
        assertThat(value(sdD, "loss/discriminator")).isCloseTo(
                (value(sdD, "loss/d_adv/real") + value(sdD, "loss/d_adv/fake")) / 2, within(1e-12));
    }

    @Test
    void totalGradientIsTheSumOfTheTermGradients() {
        SameDiff all = SameDiff.create();
        String total = coin().build(all, Player.GENERATOR, inputs(all)).totalName();
        INDArray gAll = gradients(all, total, "xcf").get("xcf");
        INDArray sum = null;
        for (LossTerm term : coin().active(Player.GENERATOR)) {
            if (!term.requires().contains(LossInput.X_CF)) {
                continue; // adv and kl reach x_cf only through D and the classifier, outside this module
            }
            SameDiff one = SameDiff.create();
            String n = LossSet.buildTerm(one, term, inputs(one)).weighted().name();
            Map<String, INDArray> g = gradients(one, n, "xcf");
            INDArray gi = g.get("xcf");
            sum = sum == null ? gi.dup() : sum.addi(gi);
        }
        assertThat(gAll.equalsWithEps(sum, 1e-10)).isTrue();
    }

    @Test
    void rejectsDuplicatesMissingInputsAndEmptyPlayers() {
        assertThatThrownBy(() -> LossSet.of(Reconstruction.l1(), Reconstruction.dilation(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rec'");
        assertThatThrownBy(() -> LossSet.of(Adversarial.bce(), Adversarial.bce().discriminatorTerm()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'d_adv'")
                .hasMessageContaining("Adversarial.bce/D[λ=1.0] (companion of Adversarial.bce[λ=1.0])")
                .hasMessageContaining("a term's companion may already bring it");
        assertThatThrownBy(() -> LossSet.of(Adversarial.bce(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#1");
        SameDiff sd = SameDiff.create();
        LossInputs noCyclic = LossInputs.builder()
                .put(LossInput.X, constant(sd, "x", x, B, 1, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, 1, H, W))
                .put(LossInput.D_FAKE_LOGITS, var(sd, "dFake", dFake, B, 1))
                .put(LossInput.CLASSIFIER_PROB_CF, var(sd, "q", q, B, 1))
                .put(LossInput.TARGET_PROB, constant(sd, "t", t, B, 1)).build();
        assertThatThrownBy(() -> coin().build(sd, Player.GENERATOR, noCyclic))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'rec'")
                .hasMessageContaining("X_CYCLIC");
        assertThat(sd.getVariable("loss/adv")).as("nothing built before the check").isNull();
        assertThatThrownBy(() -> LossSet.of(ClassifierKl.weight(1)).build(sd, Player.DISCRIMINATOR, noCyclic))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("DISCRIMINATOR");
    }

    @Test
    void buildingAPlayerTwiceInOneGraphFails() {
        SameDiff sd = SameDiff.create();
        LossSet s = LossSet.of(Reconstruction.l1());
        LossInputs in = inputs(sd);
        s.build(sd, Player.GENERATOR, in);
        assertThatThrownBy(() -> s.build(sd, Player.GENERATOR, in)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loss/generator").hasMessageContaining("already built");
        // The other player's loss can go into the same graph (one-graph trainers).
        BuiltLoss d = LossSet.of(Reconstruction.minc(1.0), Adversarial.bce()).build(sd, Player.DISCRIMINATOR, in);
        assertThat(d.totalName()).isEqualTo("loss/discriminator");
        assertThat(value(sd, "loss/discriminator")).isCloseTo(value(sd, "loss/d_adv"), within(1e-15));
    }

    @Test
    void namesAreTheLibrarysOnly() {
        assertThat(LossSet.weightedName("kl")).isEqualTo("loss/kl").isEqualTo(LossSet.weightedName(ClassifierKl.weight(1)));
        assertThat(LossSet.rawName("kl")).isEqualTo("loss/kl/raw").isEqualTo(LossSet.rawName(ClassifierKl.weight(1)));
        assertThat(LossSet.componentName("d_adv", "real")).isEqualTo("loss/d_adv/real")
                .isEqualTo(LossSet.componentName(Adversarial.bce().discriminatorTerm(), "real"));
        assertThat(LossSet.totalName(Player.GENERATOR)).isEqualTo("loss/generator");
        assertThat(LossSet.totalName(Player.DISCRIMINATOR)).isEqualTo("loss/discriminator");
        assertThat(LossSet.inputName(LossInput.fed("w", org.nd4j.linalg.api.buffer.DataType.FLOAT, new long[] {-1},
                step -> null))).isEqualTo("input/w");
    }

    @Test
    void inputsBuilderRejectsDoublePut() {
        SameDiff sd = SameDiff.create();
        LossInputs.Builder b = LossInputs.builder().put(LossInput.X, constant(sd, "x", x, B, 1, H, W));
        assertThatThrownBy(() -> b.put(LossInput.X, constant(sd, "x2", x, B, 1, H, W)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replace");
        assertThat(b.replace(LossInput.X, constant(sd, "x3", x, B, 1, H, W)).build().toString())
                .isEqualTo("LossInputs[X=x3]");
    }
}
