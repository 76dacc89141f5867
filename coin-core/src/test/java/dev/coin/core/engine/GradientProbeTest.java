package dev.coin.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientProbeTest {

    /**
     * loss = Σ relu(x·one · w/σ + b) for x [2, 3, 4, 4], w [1, 3, 1, 1], σ and b scalars: the broadcast multiplies and
     * the relu are the kernels the probe replaces. x·one makes an op output to differentiate towards, as the
     * R1/R2 probe does (M2.1 gives no gradient for a placeholder).
     */
    private static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, 4, 4);
        SDVariable one = sd.var("one", Nd4j.scalar(DataType.FLOAT, 1f));
        SDVariable xin = x.mul("x_in", one);
        SDVariable w = sd.var("w", Nd4j.createFromArray(0.5f, -1.5f, 2f).reshape(1, 3, 1, 1));
        SDVariable sigma = sd.constant("sigma", Nd4j.scalar(DataType.FLOAT, 1.7f));
        SDVariable b = sd.var("b", Nd4j.scalar(DataType.FLOAT, 0.1f));
        SDVariable y = sd.nn.relu(xin.mul(w.div(sigma)).add(b), 0);
        sd.setLossVariables(sd.sum("loss", y));
        return sd;
    }

    private static INDArray input(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, 2, 3, 4, 4);
    }

    @Test
    void givesTheStockGradientsOnEveryCallWithTheSlowKernelsReplaced() {
        SameDiff fast = graph();
        SameDiff stock = graph();
        GradientProbe probe = GradientProbe.of(fast, TrainingStepper.Engine.FAST, "x_in", "w");
        GradientProbe reference = GradientProbe.of(stock, TrainingStepper.Engine.FIT, "x_in", "w");
        for (long seed = 1; seed <= 3; seed++) {   // a kept session must not answer with an earlier call's values
            INDArray x = input(seed);
            Map<String, INDArray> got = probe.gradients(Map.of("x", x));
            Map<String, INDArray> want = reference.gradients(Map.of("x", x));
            assertThat(got.keySet()).containsExactly("x_in", "w");
            for (String v : got.keySet()) {
                assertThat(got.get(v).equalsWithEps(want.get(v), 1e-6)).as("%s, call %d", v, seed).isTrue();
            }
            // by hand: ∂/∂x_in = w/σ where the relu is open
            INDArray open = x.mul(fast.getArrForVarName("w").div(1.7f)).add(0.1f).gt(0).castTo(DataType.FLOAT);
            INDArray hand = open.mul(fast.getArrForVarName("w").div(1.7f).broadcast(2, 3, 4, 4));
            assertThat(got.get("x_in").equalsWithEps(hand, 1e-6)).as("hand gradient, call %d", seed).isTrue();
        }
        assertThat(probe.replacedOps()).as("ExactKernels ran").isPositive();
        assertThat(reference.replacedOps()).isZero();
    }

    @Test
    void refusesWhatItCannotDifferentiate() {
        assertThatThrownBy(() -> GradientProbe.of(graph(), TrainingStepper.Engine.FAST, "nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> GradientProbe.of(SameDiff.create(), TrainingStepper.Engine.FAST, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setLossVariables");
        assertThatThrownBy(() -> GradientProbe.of(graph(), TrainingStepper.Engine.FAST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one variable");
    }
}
