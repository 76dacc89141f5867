package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TargetRuleTest {
    private final float[] p = {0.0f, 0.2f, 0.4999f, 0.5f, 0.93f, 1.0f};

    private INDArray column() {
        return Nd4j.createFromArray(p).reshape(p.length, 1);
    }

    @Test
    void binIsInclusiveAtOneHalf() {
        assertThat(TargetRule.bin(0.5)).isEqualTo(1);
        assertThat(TargetRule.bin(Math.nextDown(0.5))).isEqualTo(0);
        assertThat(TargetRule.bin(column()).toIntVector()).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(TargetRule.bin(column()).shape()).containsExactly(p.length, 1);
    }

    @Test
    void coinV1SendsAbnormalSamplesToOneMillionthAndKeepsNormalOnes() {
        INDArray t = TargetRule.COIN_V1.target(column());
        assertThat(t.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(t.shape()).containsExactly(p.length, 1);
        float m = 1e-6f;
        assertThat(t.toFloatVector()).containsExactly(0.0f, 0.2f, 0.4999f, m, m, m);
        assertThat(TargetRule.COIN_V1.condition(column()).toIntVector()).containsOnly(0);
    }

    @Test
    void singlaFlipsTheProbabilityAndItsBin() {
        assertThat(TargetRule.SINGLA.target(0.2)).isEqualTo(0.8);
        assertThat(TargetRule.SINGLA.target(0.93)).isEqualTo(1 - 0.93);
        assertThat(TargetRule.SINGLA.condition(0.2)).isEqualTo(1);
        assertThat(TargetRule.SINGLA.condition(0.5)).isEqualTo(1); // bin(1 − 0.5) = bin(0.5) = 1
        assertThat(TargetRule.SINGLA.condition(0.93)).isEqualTo(0);
        INDArray t = TargetRule.SINGLA.target(column());
        for (int i = 0; i < p.length; i++) {
            assertThat(t.getFloat(i, 0)).isEqualTo((float) (1.0 - (double) p[i]));
        }
    }

    @Test
    void alwaysHealthyIgnoresTheClassifier() {
        assertThat(TargetRule.ALWAYS_HEALTHY.target(column()).toFloatVector()).containsOnly(1e-6f);
        assertThat(TargetRule.ALWAYS_HEALTHY.condition(column()).toIntVector()).containsOnly(0);
    }

    @Test
    void rejectsValuesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> TargetRule.COIN_V1.target(Nd4j.createFromArray(0.3f, 1.7f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p[1]").hasMessageContaining("1.7")
                .hasMessageContaining("logits");
        assertThatThrownBy(() -> TargetRule.bin(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> TargetRule.SINGLA.target(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TargetRule.COIN_V1.target(Nd4j.createFromArray(1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floating-point");
    }
}
