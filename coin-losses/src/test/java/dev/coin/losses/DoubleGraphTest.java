package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of the loss tests: runs every test with ND4J's default data type set to DOUBLE (restored afterwards), so
 * that finite-difference gradient checks are meaningful, and offers small helpers for hand computations.
 */
abstract class DoubleGraphTest {
    private DataType savedDefault;
    private DataType savedFloating;

    @BeforeEach
    void useDouble() {
        savedDefault = Nd4j.dataType();
        savedFloating = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restore() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloating);
    }

    /** Uniform values in [lo, hi). */
    static double[] uniform(SplittableRandom r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    static INDArray arr(double[] v, long... shape) {
        return Nd4j.create(v, shape, 'c').castTo(DataType.DOUBLE);
    }

    static SDVariable var(SameDiff sd, String name, double[] v, long... shape) {
        return sd.var(name, arr(v, shape));
    }

    static SDVariable constant(SameDiff sd, String name, double[] v, long... shape) {
        return sd.constant(name, arr(v, shape));
    }

    /** Evaluates a scalar variable of a graph without placeholders. */
    static double value(SameDiff sd, String name) {
        return sd.output(Collections.<String, INDArray>emptyMap(), name).get(name).getDouble(0);
    }

    /** Gradients of {@code loss} with respect to the named variables. */
    static Map<String, INDArray> gradients(SameDiff sd, String loss, String... vars) {
        sd.setLossVariables(loss);
        return sd.calculateGradients(Collections.<String, INDArray>emptyMap(), vars);
    }

    /** Finite-difference check of every variable's gradient of {@code loss} (central differences, double). */
    static void assertGradientsMatchFiniteDifferences(SameDiff sd, String loss) {
        sd.setLossVariables(loss);
        boolean ok = GradCheckUtil.checkGradients(sd, Collections.<String, INDArray>emptyMap(), 1e-6, 1e-5, 1e-9,
                false, false);
        assertThat(ok).as("finite-difference gradient check of %s", loss).isTrue();
    }

    /** Flat c-order index in [B, C, H, W]. */
    static int idx(int c, int h, int w, int b, int cc, int hh, int ww) {
        return ((b * c + cc) * h + hh) * w + ww;
    }

    static double meanAbsDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }
}
