package dev.coin.core.model.classifier;

import static dev.coin.core.model.classifier.NaiveOps.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.nn.io.StateDict;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class EfficientNetV2STest {
    static final double EPS = 1e-3;
    static final EfficientNetV2S.Spec TINY = new EfficientNetV2S.Spec(0.25, 0.2);

    @Test
    void parameterCountMatchesTorchvision() {
        // torchvision efficientnet_v2_s: 21,458,488 parameters with a 3-channel stem (3×3, 24 out) and 1000 classes
        long expected = 21_458_488L - 2L * 24 * 9 - (1280L * 999 + 999);
        assertThat(EfficientNetV2S.Spec.standard().parameterCount()).isEqualTo(expected).isEqualTo(20_178_337L);
        EfficientNetV2S tiny = EfficientNetV2S.create(TINY, 1L);
        assertThat(tiny.parameterCount()).isEqualTo(TINY.parameterCount());
    }

    @Test
    void makeDivisibleAsTorchvision() {
        // _make_divisible(v, 8): max(8, int(v + 4) // 8 * 8), +8 if that drops below 90 % of v
        assertThat(EfficientNetV2S.channels(24, 1.0)).isEqualTo(24);
        assertThat(EfficientNetV2S.channels(24, 0.25)).isEqualTo(8);
        assertThat(EfficientNetV2S.channels(48, 0.25)).isEqualTo(16);
        assertThat(EfficientNetV2S.channels(160, 0.25)).isEqualTo(40);
        assertThat(EfficientNetV2S.channels(64, 6)).isEqualTo(384);
    }

    @Test
    void stateDictUsesTorchvisionNames() {
        Map<String, INDArray> sd = StateDict.export(EfficientNetV2S.create(EfficientNetV2S.Spec.standard(), 1L).parameters());
        assertThat(sd.get("features.0.0.weight").shape()).containsExactly(24, 1, 3, 3);
        assertThat(sd.get("features.1.0.block.0.0.weight").shape()).containsExactly(24, 24, 3, 3);
        assertThat(sd).doesNotContainKey("features.1.0.block.1.0.weight");
        assertThat(sd.get("features.2.0.block.0.0.weight").shape()).containsExactly(96, 24, 3, 3);
        assertThat(sd.get("features.2.0.block.1.0.weight").shape()).containsExactly(48, 96, 1, 1);
        assertThat(sd.get("features.4.0.block.1.0.weight").shape()).containsExactly(256, 1, 3, 3);
        assertThat(sd.get("features.4.0.block.2.fc1.weight").shape()).containsExactly(16, 256, 1, 1);
        assertThat(sd.get("features.4.1.block.2.fc1.weight").shape()).containsExactly(32, 512, 1, 1);
        assertThat(sd.get("features.6.14.block.3.1.running_var").shape()).containsExactly(256);
        assertThat(sd).doesNotContainKey("features.6.15.block.0.0.weight");
        assertThat(sd.get("features.7.0.weight").shape()).containsExactly(1280, 256, 1, 1);
        assertThat(sd.get("classifier.1.weight").shape()).containsExactly(1, 1280);
    }

    private static double[][][][] cna(double[][][][] x, ParameterStore st, String name, int stride, int pad,
            boolean depthwise, boolean silu) {
        double[][][][] y = bn(conv(x, st, name + ".0", stride, pad, depthwise), st, name + ".1", EPS);
        return silu ? silu(y) : y;
    }

    private static double[][][][] se(double[][][][] x, ParameterStore st, String name) {
        double[][] pooled = avgPool(x);
        double[][][][] p = new double[x.length][x[0].length][1][1];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[0].length; c++) {
                p[n][c][0][0] = pooled[n][c];
            }
        }
        double[][][][] s = map(conv(silu(conv(p, st, name + ".fc1", 1, 0, false)), st, name + ".fc2", 1, 0, false),
                v -> 1 / (1 + Math.exp(-v)));
        double[][][][] y = new double[x.length][x[0].length][x[0][0].length][x[0][0][0].length];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[0].length; c++) {
                for (int i = 0; i < y[0][0].length; i++) {
                    for (int j = 0; j < y[0][0][0].length; j++) {
                        y[n][c][i][j] = x[n][c][i][j] * s[n][c][0][0];
                    }
                }
            }
        }
        return y;
    }

    @Test
    void evalForwardMatchesNaiveLoops() {
        EfficientNetV2S net = EfficientNetV2S.create(TINY, 3L, DataType.DOUBLE);
        ResNet18Test.perturb(net.parameters(), 4L);
        ParameterStore st = net.parameters();
        INDArray x = Init.uniform(new Random(5), DataType.DOUBLE, 1.0, 2, 1, 32, 32);
        double[][][][] h = cna(toArray(x), st, "features.0", 2, 1, false, true);
        // stage table: fused?, expand, stride, repeats at depth 0.2 (ceil(n·0.2))
        int[][] stages = {{1, 1, 1, 1}, {1, 4, 2, 1}, {1, 4, 2, 1}, {0, 4, 2, 2}, {0, 6, 1, 2}, {0, 6, 2, 3}};
        for (int s = 0; s < stages.length; s++) {
            for (int i = 0; i < stages[s][3]; i++) {
                String b = "features." + (s + 1) + "." + i + ".block";
                int stride = i == 0 ? stages[s][2] : 1;
                double[][][][] y;
                if (stages[s][0] == 1) {
                    if (stages[s][1] == 1) {
                        y = cna(h, st, b + ".0", stride, 1, false, true);
                    } else {
                        y = cna(cna(h, st, b + ".0", stride, 1, false, true), st, b + ".1", 1, 0, false, false);
                    }
                } else {
                    y = cna(h, st, b + ".0", 1, 0, false, true);
                    y = cna(y, st, b + ".1", stride, 1, true, true);
                    y = se(y, st, b + ".2");
                    y = cna(y, st, b + ".3", 1, 0, false, false);
                }
                h = stride == 1 && y[0].length == h[0].length ? add(y, h) : y;
            }
        }
        h = cna(h, st, "features.7", 1, 0, false, true);
        INDArray act = net.activations(x, "features.7");
        assertThat(act.shape()).containsExactly(2, EfficientNetV2S.headFeatures(TINY), 1, 1);
        assertThat(maxAbsDiff(h, act)).isLessThan(1e-9);
        double[][] logits = linear(avgPool(h), st, "classifier.1");
        INDArray l = net.logits(x);
        for (int n = 0; n < 2; n++) {
            assertThat(l.getDouble(n, 0)).isCloseTo(logits[n][0], org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void saveThenLoadGivesIdenticalLogits(@TempDir Path dir) throws Exception {
        EfficientNetV2S a = EfficientNetV2S.create(TINY, 1L);
        ResNet18Test.perturb(a.parameters(), 2L);
        a.save(dir);
        EfficientNetV2S b = EfficientNetV2S.load(dir);
        assertThat(b.spec()).isEqualTo(a.spec());
        INDArray x = Init.uniform(new Random(3), DataType.FLOAT, 1.0, 2, 1, 32, 32);
        assertThat(b.logits(x)).isEqualTo(a.logits(x));
    }
}
