package dev.coin.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.runtime.NativeBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayerGradientsTest {
    static {
        NativeBackend.configure();
    }

    @Test
    void gradientOfLogitWrtIntermediateLayerMatchesTheClosedForm() {
        WindowClassifier clf = new WindowClassifier(16, 16, 4, 8, 3.0, -1.0);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] xs = new float[2 * 16 * 16];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        INDArray x = Nd4j.create(xs, new long[] {2, 1, 16, 16});
        LayerGradients.Result r = new LayerGradients(clf, WindowClassifier.LAYER).compute(x);
        INDArray expectedAct = clf.activations(x, WindowClassifier.LAYER);
        assertThat(r.activations().shape()).containsExactly(2, 2, 4, 4);
        for (int s = 0; s < 2; s++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        assertThat(r.activations().getDouble(s, c, i, j))
                                .isCloseTo(expectedAct.getDouble(s, c, i, j), within(1e-5));
                        // logit = a/4 · Σ channel-0 cells (zero outside the window), so ∂logit/∂A = a/4 on channel 0
                        assertThat(r.gradients().getDouble(s, c, i, j)).as("grad %d %d %d %d", s, c, i, j)
                                .isCloseTo(c == 0 ? 3.0 / 4 : 0.0, within(1e-6));
                        boolean window = i >= 1 && i <= 2 && j >= 2 && j <= 3;
                        if (c == 0 && !window) {
                            assertThat(r.activations().getDouble(s, c, i, j)).isZero();
                        }
                    }
                }
            }
        }
    }
}
