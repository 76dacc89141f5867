package dev.coin.data.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void derivationIsPureAndOrderSensitive() {
        assertThat(Seeds.derive(1, 2, 3)).isEqualTo(Seeds.derive(1, 2, 3));
        assertThat(Seeds.derive(1, 2, 3)).isNotEqualTo(Seeds.derive(1, 3, 2));
        assertThat(Seeds.derive(1, 2)).isNotEqualTo(Seeds.derive(2, 2));
        assertThat(Seeds.derive(1)).isNotEqualTo(Seeds.derive(1, 0));
    }

    @Test
    void gaussianNoiseHasUnitMomentsAndIsReproducible() {
        float[] a = new float[200_001];
        Seeds.addGaussianNoise(new SplittableRandom(3), a, 2.0);
        float[] b = new float[200_001];
        Seeds.addGaussianNoise(new SplittableRandom(3), b, 2.0);
        assertThat(a).isEqualTo(b);
        double s = 0;
        double s2 = 0;
        double s4 = 0;
        for (float v : a) {
            s += v;
            s2 += v * v;
            s4 += (double) v * v * v * v;
        }
        double n = a.length;
        double var = s2 / n - (s / n) * (s / n);
        assertThat(s / n).isBetween(-0.02, 0.02); // sd of the mean: 2/√n = 0.0045
        assertThat(var).isBetween(4 * 0.98, 4 * 1.02);
        assertThat(s4 / n / (var * var)).as("kurtosis of a normal is 3").isBetween(2.9, 3.1);
        SplittableRandom r = new SplittableRandom(8);
        double m = 0;
        for (int i = 0; i < 100_000; i++) {
            m += Seeds.gaussian(r);
        }
        assertThat(m / 100_000).isBetween(-0.02, 0.02);
    }
}
