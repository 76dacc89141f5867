package dev.coin.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapIntervalTest {

    @Test
    void constantDataGivesTheDegenerateIntervalAtThatConstant() {
        double[] values = new double[7];
        Arrays.fill(values, 0.375);

        BootstrapInterval ci = BootstrapInterval.of(values, 3);

        assertThat(ci.mean()).isEqualTo(0.375);
        assertThat(ci.lower()).isEqualTo(0.375);
        assertThat(ci.upper()).isEqualTo(0.375);
        assertThat(ci.replicates()).isEqualTo(BootstrapInterval.DEFAULT_REPLICATES);
        assertThat(ci.confidence()).isEqualTo(BootstrapInterval.DEFAULT_CONFIDENCE);
    }

    @Test
    void oneValueGivesTheDegenerateInterval() {
        BootstrapInterval ci = BootstrapInterval.of(new double[] {0.61}, 9);

        assertThat(ci.mean()).isEqualTo(0.61);
        assertThat(ci.lower()).isEqualTo(0.61);
        assertThat(ci.upper()).isEqualTo(0.61);
    }

    /**
     * Two values {0, 1}: a resample's mean is 0 (both draws 0), 0.5 (one of each, two orders) or 1, with probabilities
     * 1/4, 1/2, 1/4. The 95 % interval's ends are the 2.5 % and 97.5 % quantiles, 0 and 1; the 40 % interval's are the
     * 30 % and 70 % quantiles, both inside the 0.5 atom (cumulative 1/4 to 3/4).
     */
    @Test
    void twoValuesMatchTheExactBootstrapDistribution() {
        double[] values = {0, 1};

        BootstrapInterval ci95 = BootstrapInterval.of(values, 11);
        BootstrapInterval ci40 = BootstrapInterval.of(values, 10_000, 0.40, 11);
        BootstrapInterval ci90 = BootstrapInterval.of(values, 10_000, 0.90, 11);

        assertThat(ci95.mean()).isEqualTo(0.5);
        assertThat(ci95.lower()).isEqualTo(0.0);
        assertThat(ci95.upper()).isEqualTo(1.0);
        assertThat(ci40.lower()).isEqualTo(0.5);
        assertThat(ci40.upper()).isEqualTo(0.5);
        assertThat(ci40.confidence()).isEqualTo(0.40);
        // 5 % and 95 % quantiles: inside the 0 atom (cumulative 1/4) and the 1 atom (from 3/4)
        assertThat(ci90.lower()).isEqualTo(0.0);
        assertThat(ci90.upper()).isEqualTo(1.0);
    }

    /**
     * Three values: all 27 equally likely resamples (ordered draws), their means sorted; the exact q-quantile under the
     * interval's rule is the ⌈27·q⌉-th smallest. Levels are chosen (and checked) so that 27·q is at least 0.15 away
     * from an integer: the empirical distribution of 200,000 replicates is within ~0.03/27 of the exact one, so its
     * quantile falls in the same atom.
     */
    @Test
    void threeValuesMatchTheExhaustiveEnumerationOfAllResamples() {
        double[] values = {0, 0.25, 1};
        double[] exact = new double[27];
        int k = 0;
        for (double a : values) {
            for (double b : values) {
                for (double c : values) {
                    double sum = 0;
                    sum += a;
                    sum += b;
                    sum += c;
                    exact[k++] = sum / 3;
                }
            }
        }
        Arrays.sort(exact);
        assertThat(exact[0]).isEqualTo(0.0);
        assertThat(exact[26]).isEqualTo(1.0);

        for (double confidence : new double[] {0.95, 0.90, 0.80, 0.50, 0.20}) {
            double qLow = (1 - confidence) / 2;
            double qHigh = 1 - qLow;
            for (double q : new double[] {qLow, qHigh}) {
                double atoms = 27 * q;
                assertThat(Math.abs(atoms - Math.rint(atoms))).as("27·%s is away from an atom boundary", q)
                        .isGreaterThan(0.15);
            }
            double exactLow = exact[(int) Math.ceil(27 * qLow) - 1];
            double exactHigh = exact[(int) Math.ceil(27 * qHigh) - 1];

            BootstrapInterval ci = BootstrapInterval.of(values, 200_000, confidence, 5);

            assertThat(ci.lower()).as("lower end at %s", confidence).isEqualTo(exactLow);
            assertThat(ci.upper()).as("upper end at %s", confidence).isEqualTo(exactHigh);
            assertThat(ci.mean()).isEqualTo(1.25 / 3);
        }
        // by hand: the 2.5 % quantile is the 1st smallest of 27 (mean 0), the 97.5 % the 27th (mean 1); the 25 % is the
        // 7th smallest: sums 0 (1 way), 0.25 (3), 0.5 (3), 0.75 (1) fill ranks 1-8, so it is 0.5/3
        BootstrapInterval ci50 = BootstrapInterval.of(values, 200_000, 0.50, 5);
        assertThat(ci50.lower()).isEqualTo(0.5 / 3);
    }

    @Test
    void sameSeedGivesTheSameIntervalAndAnotherSeedAnother() {
        double[] values = new SplittableRandom(1).doubles(40).toArray();

        BootstrapInterval a = BootstrapInterval.of(values, 21);
        BootstrapInterval b = BootstrapInterval.of(values, 21);
        BootstrapInterval c = BootstrapInterval.of(values, 22);

        assertThat(b).isEqualTo(a);
        assertThat(c.mean()).isEqualTo(a.mean());
        assertThat(new double[] {c.lower(), c.upper()}).isNotEqualTo(new double[] {a.lower(), a.upper()});
    }

    @Test
    void aHigherConfidenceWithTheSameReplicatesContainsTheLowerOne() {
        double[] values = new SplittableRandom(2).doubles(30).toArray();

        BootstrapInterval ci95 = BootstrapInterval.of(values, 10_000, 0.95, 8);
        BootstrapInterval ci99 = BootstrapInterval.of(values, 10_000, 0.99, 8);

        assertThat(ci95.lower()).isLessThan(ci95.mean());
        assertThat(ci95.upper()).isGreaterThan(ci95.mean());
        assertThat(ci99.lower()).isLessThanOrEqualTo(ci95.lower());
        assertThat(ci99.upper()).isGreaterThanOrEqualTo(ci95.upper());
        assertThat(ci95.contains(ci95.mean())).isTrue();
        assertThat(ci95.contains(ci99.lower() - 1e-9)).isFalse();
    }

    @Test
    void rankIsTheCeilingOrderStatisticWithoutRoundingNoise() {
        assertThat(BootstrapInterval.rank(10_000, 0.025)).isEqualTo(250);
        assertThat(BootstrapInterval.rank(10_000, 0.975)).isEqualTo(9750);
        assertThat(BootstrapInterval.rank(3, 0.5)).isEqualTo(2);
        assertThat(BootstrapInterval.rank(4, 0.5)).isEqualTo(2);
        assertThat(BootstrapInterval.rank(7, 0.001)).isEqualTo(1);
        assertThat(BootstrapInterval.rank(1, 0.975)).isEqualTo(1);
    }

    @Test
    void rejectsAnUndefinedValueNamingItsIndex() {
        assertThatThrownBy(() -> BootstrapInterval.of(new double[] {0.1, 0.2, Double.NaN, 0.4}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values[2] is NaN")
                .hasMessageContaining("drop or replace it");
        assertThatThrownBy(() -> BootstrapInterval.of(new double[] {Double.POSITIVE_INFINITY}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values[0] is Infinity");
    }

    @Test
    void rejectsAnEmptySampleAndBadSettings() {
        assertThatThrownBy(() -> BootstrapInterval.of(new double[0], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values is empty");
        assertThatThrownBy(() -> BootstrapInterval.of(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("values");
        assertThatThrownBy(() -> BootstrapInterval.of(new double[] {1}, 0, 0.95, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicates is 0");
        for (double bad : new double[] {0, 1, -0.5, 95, Double.NaN}) {
            assertThatThrownBy(() -> BootstrapInterval.of(new double[] {1}, 100, bad, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("confidence is " + bad).hasMessageContaining("strictly between 0 and 1");
        }
        assertThatThrownBy(() -> new BootstrapInterval(0.5, 0.6, 0.4, 100, 0.95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower 0.6 must not exceed upper");
    }
}
