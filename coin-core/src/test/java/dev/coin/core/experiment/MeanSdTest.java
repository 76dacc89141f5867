package dev.coin.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanSdTest {
    @Test
    void sampleSdDividesByNMinusOne() {
        // 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, sd sqrt(14 / 3)
        MeanSd m = MeanSd.of(1, 2, 3, 6);

        assertThat(m.mean()).isEqualTo(3.0);
        assertThat(m.sd()).isCloseTo(Math.sqrt(14.0 / 3), within(1e-12));
        assertThat(m.n()).isEqualTo(4);
        assertThat(m.defined()).isTrue();
    }

    @Test
    void oneSeedHasNoSdAndAnUndefinedSeedMakesItUndefined() {
        assertThat(MeanSd.of(0.4).mean()).isEqualTo(0.4);
        assertThat(MeanSd.of(0.4).sd()).isNaN();
        MeanSd undefined = MeanSd.of(0.4, Double.NaN, 0.6);
        assertThat(undefined.defined()).isFalse();
        assertThat(undefined.sd()).isNaN();
        assertThat(undefined.n()).isEqualTo(3);
    }

    @Test
    void equalValuesGiveThatValueAndSdZeroExactly() {
        MeanSd m = MeanSd.of(0.2, 0.2, 0.2);

        assertThat(m.mean()).isEqualTo(0.2);
        assertThat(m.sd()).isEqualTo(0.0);
    }

    @Test
    void noSeedIsRefused() {
        assertThatThrownBy(MeanSd::of).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perSeed is empty");
        assertThatThrownBy(() -> new MeanSd(0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n is 0");
    }
}
