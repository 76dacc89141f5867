package dev.coin.core.model.classifier;

import static dev.coin.core.model.classifier.NaiveOps.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.nn.io.StateDict;
import dev.coin.core.model.Classifier;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ResNet18Test {

    /** Running statistics and affine parameters away from 0/1, so mistakes in their use show. */
    static void perturb(ParameterStore store, long seed) {
        Random rng = new Random(seed);
        for (ParameterStore.Entry e : store.entries()) {
            if (e.kind() == ParameterKind.RUNNING_STAT) {
                INDArray noise = Init.uniform(rng, store.dataType(), 0.3, e.array().shape());
                e.array().addi(e.name().endsWith("running_var") ? noise.add(0.5) : noise);
            } else if (e.kind() == ParameterKind.PLAIN) {
                e.array().addi(Init.uniform(rng, store.dataType(), 0.2, e.array().shape()));
            }
        }
    }

    static double[][][][] naiveBlock(double[][][][] x, ParameterStore st, String name, int stride, boolean downsample) {
        double[][][][] r = relu(bn(conv(x, st, name + ".conv1", stride, 1, false), st, name + ".bn1", 1e-5));
        r = bn(conv(r, st, name + ".conv2", 1, 1, false), st, name + ".bn2", 1e-5);
        double[][][][] sc = downsample
                ? bn(conv(x, st, name + ".downsample.0", stride, 0, false), st, name + ".downsample.1", 1e-5) : x;
        return relu(add(r, sc));
    }

    @Test
    void evalForwardMatchesNaiveLoops() {
        ResNet18 net = ResNet18.create(ResNet18.Spec.ofWidth(2), 3L, DataType.DOUBLE);
        perturb(net.parameters(), 4L);
        INDArray x = Init.uniform(new Random(5), DataType.DOUBLE, 1.0, 2, 1, 64, 48);
        ParameterStore st = net.parameters();

        double[][][][] h = maxPool(relu(bn(conv(toArray(x), st, "conv1", 2, 3, false), st, "bn1", 1e-5)), 3, 2, 1);
        double[][][][] layer1 = null;
        for (int stage = 1; stage <= 4; stage++) {
            h = naiveBlock(h, st, "layer" + stage + ".0", stage == 1 ? 1 : 2, stage > 1);
            h = naiveBlock(h, st, "layer" + stage + ".1", 1, false);
            if (stage == 1) {
                layer1 = h;
            }
        }
        double[][] features = avgPool(h);
        double[][] logits = linear(features, st, "fc");

        INDArray layer4 = net.activations(x, "layer4");
        assertThat(layer4.shape()).containsExactly(2, 16, 2, 2);
        assertThat(maxAbsDiff(h, layer4)).isLessThan(1e-9);
        assertThat(maxAbsDiff(layer1, net.activations(x, "layer1"))).isLessThan(1e-9);
        INDArray f = net.features(x);
        INDArray l = net.logits(x);
        assertThat(l.shape()).containsExactly(2, 1);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 16; c++) {
                assertThat(f.getDouble(n, c)).isCloseTo(features[n][c], org.assertj.core.data.Offset.offset(1e-9));
            }
            assertThat(l.getDouble(n, 0)).isCloseTo(logits[n][0], org.assertj.core.data.Offset.offset(1e-9));
        }
        // the two images differ, so do their logits (guards against a broadcast mistake)
        assertThat(Math.abs(logits[0][0] - logits[1][0])).isGreaterThan(1e-6);
    }

    @Test
    void parameterCountsMatchTorchvision() {
        // torchvision resnet18: 11,689,512 parameters with a 3-channel stem and 1000 classes.
        long expected = 11_689_512L - 2L * 64 * 49 - (512L * 999 + 999);
        assertThat(ResNet18.Spec.standard().parameterCount()).isEqualTo(expected).isEqualTo(11_170_753L);
        for (int w : new int[] {3, 8}) {
            ResNet18 net = ResNet18.create(ResNet18.Spec.ofWidth(w), 1L);
            assertThat(net.parameterCount()).isEqualTo(net.spec().parameterCount()).isEqualTo(closedForm(w));
        }
    }

    /** Hand count: stem + BN, per stage two blocks of two 3×3 convs + BNs, projections in stages 2–4, fc. */
    private static long closedForm(long w) {
        long n = 49 * w + 2 * w;
        long in = w;
        for (int stage = 0; stage < 4; stage++) {
            long c = w << stage;
            n += 9 * in * c + 2 * c + 9 * c * c + 2 * c;           // block 0
            if (stage > 0) {
                n += in * c + 2 * c;                                 // downsample conv + BN
            }
            n += 2 * (9 * c * c + 2 * c);                            // block 1
            in = c;
        }
        return n + 8 * w + 1;
    }

    @Test
    void stateDictUsesTorchvisionNamesAndShapes() {
        ResNet18 net = ResNet18.create(ResNet18.Spec.ofWidth(4), 1L);
        Map<String, INDArray> sd = StateDict.export(net.parameters());
        assertThat(sd).containsKeys("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer1.1.bn2.bias", "layer2.0.downsample.0.weight",
                "layer2.0.downsample.1.running_var", "layer4.1.conv2.weight", "fc.weight", "fc.bias");
        assertThat(sd).doesNotContainKeys("layer1.0.downsample.0.weight", "layer2.1.downsample.0.weight");
        // 1 + 1 stem/bn1 modules, 8 blocks × (2 conv + 2 BN), 3 downsamples × (conv + BN), fc: count the entries
        assertThat(sd).hasSize(1 + 5 + 8 * (1 + 5 + 1 + 5) + 3 * (1 + 5) + 2);
        assertThat(sd.get("conv1.weight").shape()).containsExactly(4, 1, 7, 7);
        assertThat(sd.get("layer2.0.downsample.0.weight").shape()).containsExactly(8, 4, 1, 1);
        assertThat(sd.get("fc.weight").shape()).containsExactly(1, 32);
    }

    @Test
    void npzRoundTripWithReferencePrefixGivesIdenticalLogits(@TempDir Path dir) throws Exception {
        ResNet18 a = ResNet18.create(ResNet18.Spec.ofWidth(4), 1L);
        perturb(a.parameters(), 2L);
        // the reference's checkpoints carry "model." in front of every key
        Map<String, INDArray> prefixed = new LinkedHashMap<>();
        StateDict.export(a.parameters()).forEach((k, v) -> prefixed.put("model." + k, v));
        dev.coin.core.nn.io.Npz.write(dir.resolve("ckpt.npz"), prefixed);
        ResNet18 b = ResNet18.create(ResNet18.Spec.ofWidth(4), 99L);
        INDArray x = Init.uniform(new Random(3), DataType.FLOAT, 1.0, 3, 1, 32, 32);
        assertThat(b.logits(x)).isNotEqualTo(a.logits(x));
        StateDict.load(b.parameters(), dev.coin.core.nn.io.Npz.read(dir.resolve("ckpt.npz")), "model.");
        assertThat(b.logits(x)).isEqualTo(a.logits(x));
    }

    @Test
    void saveThenLoadGivesIdenticalLogits(@TempDir Path dir) throws Exception {
        ResNet18 a = ResNet18.create(ResNet18.Spec.ofWidth(4), 1L);
        perturb(a.parameters(), 2L);
        a.save(dir.resolve("cls"));
        ResNet18 b = ResNet18.load(dir.resolve("cls"));
        assertThat(b.spec()).isEqualTo(a.spec());
        INDArray x = Init.uniform(new Random(3), DataType.FLOAT, 1.0, 3, 1, 32, 32);
        assertThat(b.logits(x)).isEqualTo(a.logits(x));
        assertThat(b.features(x)).isEqualTo(a.features(x));
        assertThat(Classifiers.load(dir.resolve("cls"))).isInstanceOf(ResNet18.class);
        assertThatThrownBy(() -> Classifiers.load(dir.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classifier.json");
    }

    @Test
    void frozenApplyPassesInputGradientsAndKeepsWeights() {
        // 16×16 input (graph use has no size check): layer4 is 1×1, and the check stays fast
        ResNet18 net = ResNet18.create(ResNet18.Spec.ofWidth(2), 7L, DataType.DOUBLE);
        perturb(net.parameters(), 8L);
        ParameterStore before = net.parameters().copy();
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        // a TRAIN-mode scope, as COIN's generator graph: apply must still be the eval-mode forward
        GraphScope scope = GraphScope.create(sd, net.parameters()).withMode(Mode.TRAIN).withTrainable(false);
        SDVariable x = sd.var("x", Init.uniform(new Random(9), DataType.DOUBLE, 1.0, 1, 1, 16, 16));
        Classifier.ClassifierOutputs out = net.apply(scope, x, "layer4", "layer2");
        assertThat(out.layers()).hasSize(2);
        assertThat(scope.hooks().batchNormCount()).as("no train-mode batch norm in the frozen classifier").isZero();
        INDArray graphLogits = sd.output(new HashMap<>(), out.logits().name()).get(out.logits().name());
        SameDiff evalGraph = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable x2 = evalGraph.constant("x", sd.getArrForVarName("x").dup());
        SDVariable evalLogits = net.applyInMode(GraphScope.create(evalGraph, net.parameters()).withMode(Mode.EVAL), x2).logits();
        assertThat(evalGraph.output(new HashMap<>(), evalLogits.name()).get(evalLogits.name())).isEqualTo(graphLogits);
        INDArray r = Init.uniform(new Random(10), DataType.DOUBLE, 1.0, 1, 1);
        SDVariable lossVar = out.logits().mul(sd.constant("w", r)).sum();
        sd.setLossVariables(lossVar);
        // only the input is a trainable variable: every weight is a constant
        assertThat(sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name)).containsExactly("x");
        INDArray g = sd.calculateGradients(new HashMap<>(), "x").get("x");
        assertThat(g.norm2Number().doubleValue()).isGreaterThan(0);
        // central finite differences at a few input pixels (GradCheckUtil would walk every constant too)
        INDArray xArr = sd.getArrForVarName("x");
        double h = 1e-5;
        for (int idx : new int[] {17, 70, 133, 200, 255}) {
            double orig = xArr.getDouble(idx);
            xArr.putScalar(idx, orig + h);
            double up = sd.output(new HashMap<>(), lossVar.name()).get(lossVar.name()).getDouble(0);
            xArr.putScalar(idx, orig - h);
            double down = sd.output(new HashMap<>(), lossVar.name()).get(lossVar.name()).getDouble(0);
            xArr.putScalar(idx, orig);
            double numeric = (up - down) / (2 * h);
            assertThat(g.getDouble(idx)).as("d loss / d x[%d]", idx)
                    .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * Math.abs(numeric)));
        }
        for (ParameterStore.Entry e : before.entries()) {
            assertThat(net.parameters().array(e.name())).as(e.name()).isEqualTo(e.array());
        }
    }

    @Test
    void badInputsAreRejected() {
        ResNet18 net = ResNet18.create(ResNet18.Spec.ofWidth(2), 1L);
        assertThatThrownBy(() -> net.logits(Init.uniform(new Random(1), DataType.FLOAT, 1, 2, 3, 32, 32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3, 32, 32]");
        assertThatThrownBy(() -> net.logits(Init.uniform(new Random(1), DataType.FLOAT, 1, 2, 1, 16, 32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> net.activations(Init.uniform(new Random(1), DataType.FLOAT, 1, 1, 1, 32, 32), "layer5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer5");
        assertThatThrownBy(() -> ResNet18.Spec.ofWidth(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseWidth");
    }
}
