package dev.coin.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.runtime.NativeBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassifierFeatureFidTest {
    static {
        NativeBackend.configure();
    }

    private static double[][] gaussian(int n, int f, long seed, double shift, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[n][f];
        for (int i = 0; i < n; i++) {
            double common = nextGaussian(rnd);
            for (int j = 0; j < f; j++) {
                x[i][j] = shift + scale * (nextGaussian(rnd) + 0.5 * common * (j % 2 == 0 ? 1 : -1));
            }
        }
        return x;
    }

    private static double nextGaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private static void addInBatches(ClassifierFeatureFid fid, double[][] x, boolean real, int batch) {
        for (int s = 0; s < x.length; s += batch) {
            int n = Math.min(batch, x.length - s);
            double[][] part = java.util.Arrays.copyOfRange(x, s, s + n);
            INDArray arr = Nd4j.create(part).castTo(DataType.FLOAT);
            if (real) {
                fid.addReal(arr);
            } else {
                fid.addFake(arr);
            }
        }
    }

    @Test
    void identicalSetsGiveZero() {
        double[][] x = gaussian(300, 16, 1, 5.0, 2.0);
        ClassifierFeatureFid fid = new ClassifierFeatureFid();
        addInBatches(fid, x, true, 64);
        addInBatches(fid, x, false, 50);
        assertThat(fid.value()).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void shiftedMeansGiveTheSquaredShift() {
        double[][] x = gaussian(200, 8, 2, 0.0, 1.0);
        double[][] y = new double[x.length][8];
        double[] delta = {0.5, -1, 0, 2, 0.25, 0, 0, -0.75};
        double expected = 0;
        for (double d : delta) {
            expected += d * d;
        }
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 8; j++) {
                y[i][j] = x[i][j] + delta[j];
            }
        }
        ClassifierFeatureFid fid = new ClassifierFeatureFid();
        addInBatches(fid, x, true, 32);
        addInBatches(fid, y, false, 32);
        // float32 input rounding only
        assertThat(fid.value()).isCloseTo(expected, within(1e-4));
    }

    @Test
    void oneDimensionalClosedForm() {
        double[][] a = gaussian(500, 1, 3, 1.0, 1.0);
        double[][] b = gaussian(400, 1, 4, -0.5, 3.0);
        double[] ma = moments(a);
        double[] mb = moments(b);
        double expected = ma[1] + mb[1] - 2 * Math.sqrt(ma[1] * mb[1]) + (ma[0] - mb[0]) * (ma[0] - mb[0]);
        ClassifierFeatureFid fid = new ClassifierFeatureFid();
        addInBatches(fid, a, true, 77);
        addInBatches(fid, b, false, 400);
        assertThat(fid.value()).isCloseTo(expected, within(1e-4 * expected));
    }

    @Test
    void twoDimensionalNonCommutingCovariancesMatchTheClosedForm() {
        // For 2×2 PSD A, B: Tr sqrt(AB) = sqrt(tr(AB) + 2 sqrt(det(AB))), since AB has real non-negative eigenvalues.
        double[][] a = {{2.0, 0.7}, {0.7, 1.0}};
        double[][] b = {{0.5, -0.3}, {-0.3, 3.0}};
        double[][] ab = {
                {a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]},
                {a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]}};
        double tr = ab[0][0] + ab[1][1];
        double det = ab[0][0] * ab[1][1] - ab[0][1] * ab[1][0];
        double traceSqrt = Math.sqrt(tr + 2 * Math.sqrt(det));
        double[] mu1 = {1, 2};
        double[] mu2 = {0, 4};
        double expected = 1 + 4 + (a[0][0] + a[1][1]) + (b[0][0] + b[1][1]) - 2 * traceSqrt;
        double got = ClassifierFeatureFid.frechet(Nd4j.create(mu1), Nd4j.create(a), Nd4j.create(mu2), Nd4j.create(b));
        assertThat(got).isCloseTo(expected, within(1e-10));
    }

    @Test
    void streamingMomentsMatchATwoPassComputation() {
        double[][] x = gaussian(123, 5, 9, 1000.0, 0.01); // large offset, small spread: cancellation-prone
        FeatureMoments m = new FeatureMoments();
        for (int s = 0; s < x.length; s += 40) {
            m.add(Nd4j.create(java.util.Arrays.copyOfRange(x, s, Math.min(s + 40, x.length))));
        }
        double[] mean = new double[5];
        for (double[] row : x) {
            for (int j = 0; j < 5; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (int i = 0; i < 5; i++) {
            assertThat(m.mean().getDouble(i)).isCloseTo(mean[i], within(1e-9));
            for (int j = 0; j < 5; j++) {
                double c = 0;
                for (double[] row : x) {
                    c += (row[i] - mean[i]) * (row[j] - mean[j]);
                }
                assertThat(m.covariance().getDouble(i, j)).isCloseTo(c / (x.length - 1), within(1e-12));
            }
        }
    }

    @Test
    void tooFewVectorsOrMismatchedWidthsAreErrors() {
        ClassifierFeatureFid fid = new ClassifierFeatureFid();
        fid.addReal(Nd4j.rand(DataType.DOUBLE, 1, 3));
        fid.addFake(Nd4j.rand(DataType.DOUBLE, 4, 3));
        assertThatThrownBy(fid::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> fid.addFake(Nd4j.rand(DataType.DOUBLE, 4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
    }

    private static double[] moments(double[][] x) {
        double m = 0;
        for (double[] r : x) {
            m += r[0];
        }
        m /= x.length;
        double v = 0;
        for (double[] r : x) {
            v += (r[0] - m) * (r[0] - m);
        }
        return new double[] {m, v / (x.length - 1)};
    }
}
