package dev.coin.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.nn.internal.BasicBlock;
import dev.coin.core.nn.internal.DepthwiseConv2d;
import dev.coin.core.nn.internal.FusedMBConv;
import dev.coin.core.nn.internal.MBConv;
import dev.coin.core.nn.internal.StridedConv2d;
import java.util.HashMap;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference gradient checks (double precision) of the classifier blocks — strided convolutions, max
 * pooling, depthwise convolution, BasicBlock, batch norm with a custom epsilon — with respect to every parameter
 * and the input. Loss = sum(out · R) with a fixed random R.
 */
class ClassifierBlockGradientCheckTest {
    private static DataType oldDefault;
    private static DataType oldFloat;

    @BeforeAll
    static void doublePrecision() {
        oldDefault = Nd4j.dataType();
        oldFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(oldDefault, oldFloat);
    }

    private static boolean check(Layer layer, Mode mode, long[] inputShape, BiFunction<GraphScope, SDVariable, SDVariable> block) {
        ParameterStore store = ParameterStore.create(DataType.DOUBLE);
        if (layer != null) {
            layer.declare(store, new Random(11));
            Random rng = new Random(12);
            for (ParameterStore.Entry e : store.entries()) {
                if (e.kind() == ParameterKind.RUNNING_STAT) {
                    INDArray noise = Init.uniform(rng, DataType.DOUBLE, 0.3, e.array().shape());
                    e.array().addi(e.name().endsWith("running_var") ? noise.add(0.5) : noise);
                } else if (e.kind() == ParameterKind.PLAIN) {
                    e.array().addi(Init.uniform(rng, DataType.DOUBLE, 0.2, e.array().shape()));
                }
            }
        }
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope scope = GraphScope.create(sd, store).withMode(mode);
        SDVariable x = sd.var("x", Init.uniform(new Random(13), DataType.DOUBLE, 1.0, inputShape));
        SDVariable out = block.apply(scope, x);
        INDArray outArr = sd.output(new HashMap<>(), out.name()).get(out.name());
        INDArray r = Init.uniform(new Random(17), DataType.DOUBLE, 1.0, outArr.shape());
        sd.setLossVariables(out.mul(sd.constant("loss_weights", r)).sum());
        return GradCheckUtil.checkGradients(sd, new HashMap<>(), 1e-6, 1e-5, 1e-9, false, false, false, false, null, null,
                24, GradCheckUtil.Subset.EVERY_N);
    }

    @Test
    void stemConv7x7Stride2Pad3() {
        StridedConv2d c = StridedConv2d.of("c", 2, 3, 7, 2, 3).withBias(true);
        assertThat(check(c, Mode.TRAIN, new long[] {2, 2, 9, 8}, c::apply)).isTrue();
    }

    @Test
    void conv1x1Stride2() {
        StridedConv2d c = StridedConv2d.of("c", 3, 2, 1, 2, 0);
        assertThat(check(c, Mode.TRAIN, new long[] {2, 3, 5, 5}, c::apply)).isTrue();
    }

    @Test
    void maxPool3x3Stride2Pad1() {
        // continuous random input: no ties, so the max is differentiable at the check point
        assertThat(check(null, Mode.TRAIN, new long[] {2, 2, 7, 6},
                (s, x) -> MaxPooling.maxPool(s, x, "pool", 3, 2, 1))).isTrue();
    }

    @Test
    void depthwiseConvStride1And2() {
        DepthwiseConv2d d1 = new DepthwiseConv2d("dw", 3, 3, 1, 1);
        assertThat(check(d1, Mode.TRAIN, new long[] {2, 3, 5, 5}, d1::apply)).isTrue();
        DepthwiseConv2d d2 = new DepthwiseConv2d("dw", 3, 3, 2, 1);
        assertThat(check(d2, Mode.TRAIN, new long[] {2, 3, 6, 5}, d2::apply)).isTrue();
    }

    @Test
    void basicBlockWithDownsampleTrainAndEval() {
        BasicBlock b = new BasicBlock("layer2.0", 2, 3, 2);
        assertThat(check(b, Mode.TRAIN, new long[] {2, 2, 6, 6}, b::apply)).isTrue();
        assertThat(check(b, Mode.EVAL, new long[] {2, 2, 6, 6}, b::apply)).isTrue();
    }

    @Test
    void basicBlockIdentityShortcut() {
        BasicBlock b = new BasicBlock("layer1.0", 3, 3, 1);
        assertThat(b.hasDownsample()).isFalse();
        assertThat(check(b, Mode.TRAIN, new long[] {2, 3, 4, 4}, b::apply)).isTrue();
    }

    @Test
    void batchNormWithEpsilonTrainAndEval() {
        BatchNorm2dEps bn = new BatchNorm2dEps("bn", 3, 1e-3);
        assertThat(check(bn, Mode.TRAIN, new long[] {2, 3, 3, 3}, bn::apply)).isTrue();
        assertThat(check(bn, Mode.EVAL, new long[] {2, 3, 3, 3}, bn::apply)).isTrue();
    }

    @Test
    void mbConvWithSqueezeExcitationAndResidual() {
        MBConv b = new MBConv("m", 3, 3, 6, 3, 1, 1e-3);
        assertThat(b.residual()).isTrue();
        assertThat(check(b, Mode.TRAIN, new long[] {2, 3, 4, 4}, b::apply)).isTrue();
    }

    @Test
    void fusedMbConvExpandingStride2AndPlain() {
        FusedMBConv e = new FusedMBConv("f", 2, 3, 8, 3, 2, 1e-3);
        assertThat(check(e, Mode.TRAIN, new long[] {2, 2, 5, 5}, e::apply)).isTrue();
        FusedMBConv p = new FusedMBConv("f", 3, 3, 3, 3, 1, 1e-3);
        assertThat(check(p, Mode.EVAL, new long[] {2, 3, 4, 4}, p::apply)).isTrue();
    }
}
