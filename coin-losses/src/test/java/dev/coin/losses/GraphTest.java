package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GraphTest extends DoubleGraphTest {
    private static final double[] Z = {-800, -150, -30, -1, -1e-3, 0, 1e-3, 1, 30, 88, 100, 150, 800};

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double stableSoftplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Value and gradient (σ(z), ½ at 0) in float and double, including logits that overflow sd.nn.softplus. */
    @Test
    void softplusIsStableAndHasTheSigmoidGradientEverywhere() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            SameDiff sd = SameDiff.create();
            SDVariable z = sd.var("z", Nd4j.createFromArray(Z).castTo(dt));
            SDVariable y = Graph.softplus(sd, z);
            sd.sum("s", y);
            sd.setLossVariables("s");
            INDArray out = sd.output(Collections.emptyMap(), y.name()).get(y.name());
            INDArray g = sd.calculateGradients(Collections.emptyMap(), "z").get("z");
            double tol = dt == DataType.FLOAT ? 1e-5 : 1e-12;
            for (int i = 0; i < Z.length; i++) {
                double expected = stableSoftplus(Z[i]);
                assertThat(out.getDouble(i)).as("%s softplus(%s)", dt, Z[i])
                        .isCloseTo(expected, within(tol * Math.max(1, expected)));
                assertThat(g.getDouble(i)).as("%s softplus'(%s)", dt, Z[i]).isCloseTo(sigmoid(Z[i]), within(tol));
            }
        }
    }

    @Test
    void slicesAlongAnAxisWithoutKnowingTheShape() {
        SameDiff sd = SameDiff.create();
        double[] v = new double[2 * 1 * 3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 1, 3, 4);
        SDVariable right = Graph.sliceAxis(sd, x, 3, 1, 0, true);
        SDVariable left = Graph.sliceAxis(sd, x, 3, 0, -1, false);
        SDVariable down = Graph.sliceAxis(sd, x, 2, 1, 0, true);
        var out = sd.output(java.util.Map.of("x", arr(v, 2, 1, 3, 4)), right.name(), left.name(), down.name());
        assertThat(out.get(right.name()).shape()).containsExactly(2, 1, 3, 3);
        assertThat(out.get(left.name()).shape()).containsExactly(2, 1, 3, 3);
        assertThat(out.get(down.name()).shape()).containsExactly(2, 1, 2, 4);
        assertThat(out.get(right.name()).getDouble(1, 0, 2, 0)).isEqualTo(v[idx(1, 3, 4, 1, 0, 2, 1)]);
        assertThat(out.get(left.name()).getDouble(1, 0, 2, 2)).isEqualTo(v[idx(1, 3, 4, 1, 0, 2, 2)]);
        assertThat(out.get(down.name()).getDouble(0, 0, 0, 3)).isEqualTo(v[idx(1, 3, 4, 0, 0, 1, 3)]);
    }

    /** The gradient check used by every loss test can fail: it rejects SameDiff's known-wrong a.div(graph scalar). */
    @Test
    void theGradientCheckDetectsAWrongGradient() {
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.var("a", arr(new double[] {0.3, -1.2, 2.0}, 3));
        SDVariable b = sd.var("b", arr(new double[] {0.7, 1.1}, 2));
        SDVariable s = sd.sum(b); // a scalar computed in the graph, broadcast to every element of a
        sd.sum("loss", a.div(s).mul(a));
        sd.setLossVariables("loss");
        boolean ok = org.nd4j.autodiff.validation.GradCheckUtil.checkGradients(sd,
                Collections.<String, INDArray>emptyMap(), 1e-6, 1e-5, 1e-9, false, false);
        assertThat(ok).as("GradCheckUtil must flag the wrong gradient of a.div(scalar)").isFalse();
        // The same function written the way the loss terms do it passes.
        SameDiff sd2 = SameDiff.create();
        SDVariable a2 = sd2.var("a", arr(new double[] {0.3, -1.2, 2.0}, 3));
        SDVariable b2 = sd2.var("b", arr(new double[] {0.7, 1.1}, 2));
        sd2.sum("loss", a2.mul(sd2.math.reciprocal(sd2.sum(b2))).mul(a2));
        assertGradientsMatchFiniteDifferences(sd2, "loss");
    }
}
