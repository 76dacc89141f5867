package dev.coin.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import dev.coin.data.runtime.NativeBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every baseline must put its peak inside the toy classifier's evidence window. */
class SaliencyBaselinesTest {
    static {
        NativeBackend.configure();
    }

    private static final int SIZE = 32;

    /** Two images: uniform-ish positive intensity, windows at two places (one classifier per window). */
    private static INDArray images(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[2 * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.4 + 0.2 * rnd.nextDouble());
        }
        return Nd4j.create(v, new long[] {2, 1, SIZE, SIZE});
    }

    private static void assertPeakInWindow(SaliencyMethod method, WindowClassifier clf) {
        FloatImage[] maps = method.saliency(images(1));
        assertThat(maps).hasSize(2);
        for (FloatImage map : maps) {
            assertThat(map.height()).isEqualTo(SIZE);
            assertThat(map.width()).isEqualTo(SIZE);
            assertThat(map.min()).isGreaterThanOrEqualTo(0f);
            assertThat(map.max()).isLessThanOrEqualTo(1f);
            int best = 0;
            float[] v = map.toArray();
            double inside = 0;
            double outside = 0;
            for (int i = 0; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
                if (clf.inWindow(i / SIZE, i % SIZE)) {
                    inside += v[i] / 64;
                } else {
                    outside += v[i] / (v.length - 64);
                }
            }
            assertThat(clf.inWindow(best / SIZE, best % SIZE))
                    .as("%s peak at (%d, %d), window at (%d, %d)", method.name(), best / SIZE, best % SIZE, clf.row0, clf.col0)
                    .isTrue();
            assertThat(inside).as(method.name() + " mean inside vs outside").isGreaterThan(outside + 0.3);
        }
    }

    @Test
    void risePeaksInTheWindow() {
        for (int[] w : new int[][] {{12, 16}, {4, 20}}) {
            WindowClassifier clf = new WindowClassifier(SIZE, SIZE, w[0], w[1], 20.0, -2.0);
            Rise rise = Rise.builder().classifier(clf).masks(1500).seed(9).batchSize(250).build();
            assertPeakInWindow(rise, clf);
        }
    }

    @Test
    void riseIsDeterministicPerSeed() {
        WindowClassifier clf = new WindowClassifier(SIZE, SIZE, 12, 16, 20.0, -2.0);
        Rise a = Rise.builder().classifier(clf).masks(200).seed(4).batchSize(64).build();
        Rise b = a.toBuilder().batchSize(37).build(); // batching must not change the result
        FloatImage[] ma = a.saliency(images(2));
        FloatImage[] mb = b.saliency(images(2));
        for (int i = 0; i < 2; i++) {
            float[] x = ma[i].toArray();
            float[] y = mb[i].toArray();
            for (int p = 0; p < x.length; p++) {
                assertThat(y[p]).isCloseTo(x[p], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    @Test
    void scoreCamPeaksInTheWindow() {
        WindowClassifier clf = new WindowClassifier(SIZE, SIZE, 12, 16, 20.0, -4.0);
        assertPeakInWindow(ScoreCam.builder().classifier(clf).layer(WindowClassifier.LAYER).batchSize(1).build(), clf);
    }

    @Test
    void layerCamAndGradCamPeakInTheWindow() {
        WindowClassifier clf = new WindowClassifier(SIZE, SIZE, 20, 4, 5.0, -1.0);
        assertPeakInWindow(new LayerCam(clf, WindowClassifier.LAYER), clf);
        assertPeakInWindow(new GradCam(clf, WindowClassifier.LAYER), clf);
    }

    @Test
    void layerCamEqualsTheHandFormulaOnTheToyClassifier() {
        // cam = A_0 · a/4 (channel 1 has zero gradient), upsampled and min–max normalised with +1e-8
        WindowClassifier clf = new WindowClassifier(SIZE, SIZE, 20, 4, 5.0, -1.0);
        INDArray x = images(3);
        FloatImage map = new LayerCam(clf, WindowClassifier.LAYER).saliency(x)[0];
        INDArray act = clf.activations(x, WindowClassifier.LAYER);
        float[] small = new float[64];
        for (int i = 0; i < 64; i++) {
            small[i] = act.getFloat(0, 0, i / 8, i % 8) * 5f / 4f;
        }
        float[] up = BilinearResize.resize(small, 8, 8, SIZE, SIZE, BilinearResize.Edge.CLAMP);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : up) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] got = map.toArray();
        for (int i = 0; i < up.length; i++) {
            assertThat(got[i]).isCloseTo((float) ((up[i] - min) / (max - min + 1e-8)),
                    org.assertj.core.api.Assertions.within(1e-5f));
        }
    }

    @Test
    void badInputsAreRejected() {
        WindowClassifier clf = new WindowClassifier(SIZE, SIZE, 12, 16, 1.0, 0.0);
        assertThatThrownBy(() -> new LayerCam(clf, "layer4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer4");
        assertThatThrownBy(() -> new GradCam(clf, WindowClassifier.LAYER).saliency(Nd4j.zeros(1, 2, SIZE, SIZE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B, 1, H, W]");
    }
}
