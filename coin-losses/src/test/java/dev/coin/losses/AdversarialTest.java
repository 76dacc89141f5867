package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdversarialTest extends DoubleGraphTest {
    private static final int B = 4;
    private final SplittableRandom rnd = new SplittableRandom(11);
    private final double[] real = uniform(rnd, B, -2.5, 2.5);
    private final double[] fake = uniform(rnd, B, -2.5, 2.5);

    private static Adversarial of(Adversarial.Kind k) {
        return switch (k) {
            case BCE -> Adversarial.bce();
            case LEAST_SQUARES -> Adversarial.leastSquares();
            case HINGE -> Adversarial.hinge();
            case RELATIVISTIC -> Adversarial.relativistic();
        };
    }

    private static double meanOf(double[] v, DoubleUnaryOperator f) {
        double s = 0;
        for (double d : v) {
            s += f.applyAsDouble(d);
        }
        return s / v.length;
    }

    /** Hand-computed generator loss, straight from reference §4.1 / §9.4. */
    private double expectedG(Adversarial.Kind k) {
        return switch (k) {
            case BCE -> meanOf(fake, l -> softplus(-l));                   // BCE(l, 1)
            case LEAST_SQUARES -> meanOf(fake, l -> (l - 1) * (l - 1));
            case HINGE -> -mean(fake);
            case RELATIVISTIC -> {
                double s = 0;
                for (int i = 0; i < B; i++) {
                    s += softplus(real[i] - fake[i]);
                }
                yield s / B;
            }
        };
    }

    private double[] expectedDHalves(Adversarial.Kind k) {
        return switch (k) {
            case BCE -> new double[] {meanOf(real, l -> softplus(-l)), meanOf(fake, l -> softplus(l))};
            case LEAST_SQUARES -> new double[] {meanOf(real, l -> (l - 1) * (l - 1)), meanOf(fake, l -> l * l)};
            case HINGE -> new double[] {meanOf(real, l -> Math.max(0, 1 - l)), meanOf(fake, l -> Math.max(0, 1 + l))};
            case RELATIVISTIC -> null;
        };
    }

    private double expectedD(Adversarial.Kind k) {
        if (k == Adversarial.Kind.RELATIVISTIC) {
            double s = 0;
            for (int i = 0; i < B; i++) {
                s += softplus(fake[i] - real[i]);
            }
            return s / B;
        }
        double[] h = expectedDHalves(k);
        return (h[0] + h[1]) / 2;
    }

    private LossInputs inputs(SameDiff sd) {
        return LossInputs.builder().put(LossInput.D_REAL_LOGITS, var(sd, "real", real, B, 1))
                .put(LossInput.D_FAKE_LOGITS, var(sd, "fake", fake, B, 1)).build();
    }

    @ParameterizedTest
    @EnumSource(Adversarial.Kind.class)
    void generatorHalfMatchesHandComputationAndFiniteDifferences(Adversarial.Kind k) {
        SameDiff sd = SameDiff.create();
        // Relativistic G reads both logits; the others only the fake ones (a variable without gradient would break
        // the gradient check, so only what the term requires is put).
        Adversarial g = of(k).weight(0.7);
        LossInputs.Builder in = LossInputs.builder().put(LossInput.D_FAKE_LOGITS, var(sd, "fake", fake, B, 1));
        if (k == Adversarial.Kind.RELATIVISTIC) {
            in.put(LossInput.D_REAL_LOGITS, var(sd, "real", real, B, 1));
        }
        LossSet.buildTerm(sd, g, in.build());
        assertThat(value(sd, "loss/adv/raw")).isCloseTo(expectedG(k), within(1e-12));
        assertThat(value(sd, "loss/adv")).isCloseTo(0.7 * expectedG(k), within(1e-12));
        assertGradientsMatchFiniteDifferences(sd, "loss/adv");
    }

    @ParameterizedTest
    @EnumSource(Adversarial.Kind.class)
    void discriminatorHalfMatchesHandComputationAndFiniteDifferences(Adversarial.Kind k) {
        SameDiff sd = SameDiff.create();
        AdversarialDiscriminator d = of(k).discriminatorTerm();
        assertThat(d.player()).isEqualTo(Player.DISCRIMINATOR);
        BuiltTerm built = LossSet.buildTerm(sd, d, inputs(sd));
        assertThat(value(sd, "loss/d_adv")).isCloseTo(expectedD(k), within(1e-12));
        if (k != Adversarial.Kind.RELATIVISTIC) {
            double[] h = expectedDHalves(k);
            assertThat(value(sd, AdversarialDiscriminator.realName())).isCloseTo(h[0], within(1e-12));
            assertThat(value(sd, AdversarialDiscriminator.fakeName())).isCloseTo(h[1], within(1e-12));
            assertThat(built.logged().keySet())
                    .containsExactly("loss/d_adv", "loss/d_adv/raw", "loss/d_adv/real", "loss/d_adv/fake");
            assertThat(built.components().keySet()).containsExactly("real", "fake");
        } else {
            assertThat(built.components()).isEmpty();
        }
        assertGradientsMatchFiniteDifferences(sd, "loss/d_adv");
    }

    /** The bug of sd.loss.*: λ vanishes from the gradient. Here λ must scale value and gradient exactly. */
    @ParameterizedTest
    @EnumSource(Adversarial.Kind.class)
    void weightScalesValueAndGradientOfBothHalves(Adversarial.Kind k) {
        for (boolean gen : new boolean[] {true, false}) {
            double[] values = new double[2];
            INDArray[] grads = new INDArray[2];
            double[] lambdas = {1.0, 3.5};
            for (int i = 0; i < 2; i++) {
                SameDiff sd = SameDiff.create();
                LossTerm t = gen ? of(k).weight(lambdas[i]) : of(k).discriminatorWeight(lambdas[i]).discriminatorTerm();
                String name = LossSet.buildTerm(sd, t, inputs(sd)).weighted().name();
                values[i] = value(sd, name);
                Map<String, INDArray> g = gradients(sd, name, "fake");
                grads[i] = g.get("fake");
            }
            assertThat(values[1]).isCloseTo(3.5 * values[0], within(1e-12));
            assertThat(grads[0].mul(3.5).equalsWithEps(grads[1], 1e-12)).as("gradient ×3.5").isTrue();
            assertThat(grads[0].norm2Number().doubleValue()).isGreaterThan(0);
        }
    }

    @Test
    void bceHalvesAreStableForLargeLogitsInFloat() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.D_REAL_LOGITS, sd.constant("r", Nd4j.createFromArray(new float[] {-120f, 30f})))
                .put(LossInput.D_FAKE_LOGITS, sd.constant("f", Nd4j.createFromArray(new float[] {150f, -40f})))
                .build();
        LossSet.buildTerm(sd, Adversarial.bce().discriminatorTerm(), in);
        // softplus(120) ≈ 120, softplus(−30) ≈ 9.4e-14: no overflow to infinity in float32.
        assertThat(value(sd, AdversarialDiscriminator.realName())).isCloseTo(60.0, within(1e-3));
        assertThat(value(sd, AdversarialDiscriminator.fakeName())).isCloseTo(75.0, within(1e-3));
    }

    @Test
    void requirementsAndNames() {
        assertThat(Adversarial.bce().requires()).containsExactly(LossInput.D_FAKE_LOGITS);
        assertThat(Adversarial.hinge().requires()).containsExactly(LossInput.D_FAKE_LOGITS);
        assertThat(Adversarial.relativistic().requires())
                .containsExactlyInAnyOrder(LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS);
        assertThat(Adversarial.bce().discriminatorTerm().requires())
                .containsExactlyInAnyOrder(LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS);
        assertThat(Adversarial.bce().player()).isEqualTo(Player.GENERATOR);
        assertThat(Adversarial.hinge().discriminatorWeight(0.5).companions())
                .containsExactly(Adversarial.hinge().discriminatorWeight(0.5).discriminatorTerm());
        assertThat(Adversarial.bce().discriminatorTerm().companions()).isEmpty();
        assertThat(AdversarialDiscriminator.realName()).isEqualTo("loss/d_adv/real");
        assertThat(AdversarialDiscriminator.fakeName()).isEqualTo("loss/d_adv/fake");
        assertThat(Adversarial.bce().toString()).isEqualTo("Adversarial.bce[λ=1.0]");
        assertThat(Adversarial.hinge().weight(2).discriminatorWeight(0.5).toString())
                .isEqualTo("Adversarial.hinge[λ=2.0, λ_D=0.5]");
        assertThat(Adversarial.leastSquares().discriminatorTerm().toString())
                .isEqualTo("Adversarial.leastSquares/D[λ=1.0]");
        assertThat(Adversarial.bce().weight(2)).isEqualTo(Adversarial.bce().weight(2))
                .isNotEqualTo(Adversarial.hinge().weight(2));
    }

    @Test
    void weightReturnsANewInstance() {
        Adversarial a = Adversarial.bce();
        Adversarial b = a.weight(4);
        assertThat(a.weight()).isEqualTo(1.0);
        assertThat(b.weight()).isEqualTo(4.0);
    }

    @Test
    void missingInputNamesTermAndInput() {
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder().put(LossInput.D_FAKE_LOGITS, var(sd, "fake", fake, B, 1)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, Adversarial.relativistic(), in))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'adv'")
                .hasMessageContaining("D_REAL_LOGITS");
        assertThatThrownBy(() -> LossSet.buildTerm(sd, Adversarial.bce().discriminatorTerm(), in))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'d_adv'")
                .hasMessageContaining("D_REAL_LOGITS");
    }

    @Test
    void inputFromAnotherGraphIsRejected() {
        SameDiff other = SameDiff.create();
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder().put(LossInput.D_FAKE_LOGITS, var(other, "fake", fake, B, 1)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, Adversarial.bce(), in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another SameDiff graph");
    }
}
