package dev.coin.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.nn.internal.DiscriminatorResBlock;
import dev.coin.core.nn.internal.EncoderResBlock;
import dev.coin.core.nn.internal.GeneratorResBlock;
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
 * Finite-difference gradient checks (double precision) of every block, with respect to its parameters and its
 * input. Loss = sum(out · R) with a fixed random R, so every output element matters with a distinct weight.
 */
class BlockGradientCheckTest {
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

    /** Builds a graph with input x (variable) through {@code block}, and runs the gradient check. */
    private static boolean check(Layer layer, Mode mode, long[] inputShape, BiFunction<GraphScope, SDVariable, SDVariable> block) {
        ParameterStore store = ParameterStore.create(DataType.DOUBLE);
        if (layer != null) {
            layer.declare(store, new Random(11));
            perturbStatistics(store, new Random(12));
        }
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope scope = GraphScope.create(sd, store).withMode(mode);
        SDVariable x = sd.var("x", Init.uniform(new Random(13), DataType.DOUBLE, 1.0, inputShape));
        SDVariable out = block.apply(scope, x);
        scope.hooks().beforeForward();   // fixes 1/σ for spectral norm; the check then sees constants
        return checkLoss(sd, out);
    }

    static boolean checkLoss(SameDiff sd, SDVariable out) {
        INDArray outArr = sd.output(new HashMap<>(), out.name()).get(out.name());
        INDArray r = Init.uniform(new Random(17), DataType.DOUBLE, 1.0, outArr.shape());
        SDVariable loss = out.mul(sd.constant("loss_weights", r)).sum();
        sd.setLossVariables(loss);
        // every parameter is checked, at most 8 evenly spaced elements each (keeps the test fast)
        return GradCheckUtil.checkGradients(sd, new HashMap<>(), 1e-6, 1e-5, 1e-9, false, false, false, false, null, null,
                8, GradCheckUtil.Subset.EVERY_N);
    }

    /** Running statistics and affine parameters away from 0/1 so that mistakes in them show. */
    static void perturbStatistics(ParameterStore store, Random rng) {
        for (ParameterStore.Entry e : store.entries()) {
            if (e.kind() == ParameterKind.RUNNING_STAT) {
                INDArray noise = Init.uniform(rng, DataType.DOUBLE, 0.3, e.array().shape());
                e.array().addi(e.name().endsWith("running_var") ? noise.add(0.5) : noise);
            } else if (e.name().endsWith(".bias") || e.name().contains("embed")) {
                e.array().addi(Init.uniform(rng, DataType.DOUBLE, 0.2, e.array().shape()));
            }
        }
    }

    @Test
    void conv3x3WithBias() {
        Conv2d c = Conv2d.of("c", 3, 4, 3).withBias(true);
        assertThat(check(c, Mode.TRAIN, new long[] {2, 3, 5, 5}, c::apply)).isTrue();
    }

    @Test
    void conv1x1SpectralNorm() {
        Conv2d c = Conv2d.of("c", 3, 4, 1).withSpectralNorm(true);
        assertThat(check(c, Mode.TRAIN, new long[] {2, 3, 4, 4}, c::apply)).isTrue();
    }

    @Test
    void batchNormTrainAndEval() {
        BatchNorm2d bn = new BatchNorm2d("bn", 3, true);
        assertThat(check(bn, Mode.TRAIN, new long[] {2, 3, 4, 4}, bn::apply)).isTrue();
        assertThat(check(bn, Mode.EVAL, new long[] {2, 3, 4, 4}, bn::apply)).isTrue();
    }

    @Test
    void conditionalBatchNormLabels() {
        ConditionalBatchNorm2d cbn = new ConditionalBatchNorm2d("cbn", 3, Conditioning.labels(2));
        assertThat(check(cbn, Mode.TRAIN, new long[] {3, 3, 4, 4},
                (s, x) -> cbn.apply(s, x, s.sd().constant("labels", Nd4j.createFromArray(1, 0, 1))))).isTrue();
        assertThat(check(cbn, Mode.EVAL, new long[] {3, 3, 4, 4},
                (s, x) -> cbn.apply(s, x, s.sd().constant("labels", Nd4j.createFromArray(0, 1, 1))))).isTrue();
    }

    @Test
    void conditionalBatchNormFeatures() {
        ConditionalBatchNorm2d cbn = new ConditionalBatchNorm2d("cbn", 2, Conditioning.features(5));
        assertThat(check(cbn, Mode.TRAIN, new long[] {2, 2, 4, 4}, (s, x) -> cbn.apply(s, x,
                s.sd().var("features", Init.uniform(new Random(3), DataType.DOUBLE, 1.0, 2, 5))))).isTrue();
    }

    @Test
    void conditionalBatchNormFeaturesEval() {
        ConditionalBatchNorm2d cbn = new ConditionalBatchNorm2d("cbn", 2, Conditioning.features(5));
        assertThat(check(cbn, Mode.EVAL, new long[] {2, 2, 4, 4}, (s, x) -> cbn.apply(s, x,
                s.sd().var("features", Init.uniform(new Random(3), DataType.DOUBLE, 1.0, 2, 5))))).isTrue();
    }

    /**
     * COIN-Aligned's generator block with classifier-feature CBN: the features are a constant (a host array in
     * training, no gradient to the classifier) and the gradient reaches both bridges' weights and biases.
     */
    @Test
    void generatorResBlockWithClassifierFeatures() {
        GeneratorResBlock b = new GeneratorResBlock("gen.blocks.1", 3, 2, UpsampleKind.BILINEAR, false,
                Conditioning.features(4));
        INDArray features = Init.uniform(new Random(5), DataType.DOUBLE, 1.0, 2, 4);
        for (Mode mode : Mode.values()) {
            assertThat(check(b, mode, new long[] {2, 3, 2, 3},
                    (s, x) -> b.apply(s, x, s.sd().constant("features", features), 2, 3))).as(mode.name()).isTrue();
        }
        ParameterStore store = ParameterStore.create(DataType.DOUBLE);
        b.declare(store, new Random(11));
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN);
        SDVariable x = sd.constant("x", Init.uniform(new Random(13), DataType.DOUBLE, 1.0, 2, 3, 2, 3));
        SDVariable out = b.apply(scope, x, sd.constant("features", features), 2, 3);
        sd.setLossVariables(out.mul(sd.constant("r", Init.uniform(new Random(17), DataType.DOUBLE, 1.0, 2, 2, 4, 6)))
                .sum());
        java.util.Map<String, INDArray> grads = sd.calculateGradients(new HashMap<>(),
                "gen.blocks.1.cbn_relu_first.fc.weight", "gen.blocks.1.cbn_relu_first.fc.bias",
                "gen.blocks.1.cbn_relu_second.fc.weight", "gen.blocks.1.cbn_relu_second.fc.bias");
        assertThat(grads).hasSize(4);
        grads.forEach((k, g) -> assertThat(g.norm2Number().doubleValue()).as(k).isGreaterThan(0));
    }

    @Test
    void upsamplingNearestAndBilinear() {
        assertThat(check(null, Mode.TRAIN, new long[] {2, 2, 3, 4},
                (s, x) -> Upsample.apply(s, UpsampleKind.NEAREST, x, 2, 3, 4, "up"))).isTrue();
        assertThat(check(null, Mode.TRAIN, new long[] {2, 2, 3, 4},
                (s, x) -> Upsample.apply(s, UpsampleKind.BILINEAR, x, 2, 3, 4, "up"))).isTrue();
    }

    @Test
    void pooling() {
        assertThat(check(null, Mode.TRAIN, new long[] {2, 2, 4, 6}, (s, x) -> Pooling.avgPool2x2(s, x, "p"))).isTrue();
        assertThat(check(null, Mode.TRAIN, new long[] {2, 2, 3, 3}, (s, x) -> Pooling.sumPool(s, x, "p"))).isTrue();
    }

    @Test
    void linearSpectralNormAndEmbedding() {
        Linear l = new Linear("fc", 4, 3, true, WeightInit.xavierUniform(1.0), true);
        assertThat(check(l, Mode.TRAIN, new long[] {2, 4}, l::apply)).isTrue();
        Embedding e = new Embedding("emb", 3, 4, WeightInit.xavierUniform(1.0));
        assertThat(check(e, Mode.TRAIN, new long[] {2, 4},
                (s, x) -> e.apply(s, s.sd().constant("idx", Nd4j.createFromArray(2, 0))).mul(x))).isTrue();
    }

    @Test
    void encoderResBlock() {
        EncoderResBlock b = new EncoderResBlock("enc.blocks.0", 3, 4, true);
        assertThat(check(b, Mode.TRAIN, new long[] {2, 3, 4, 4}, b::apply)).isTrue();
        assertThat(check(b, Mode.EVAL, new long[] {2, 3, 4, 4}, b::apply)).isTrue();
    }

    @Test
    void generatorResBlockBilinearAndNearest() {
        for (UpsampleKind kind : UpsampleKind.values()) {
            GeneratorResBlock b = new GeneratorResBlock("gen.blocks.0", 3, 2, kind, true, Conditioning.labels(2));
            assertThat(check(b, Mode.TRAIN, new long[] {2, 3, 2, 3},
                    (s, x) -> b.apply(s, x, s.sd().constant("labels", Nd4j.createFromArray(0, 1)), 2, 3)))
                    .as(kind.name()).isTrue();
        }
    }

    @Test
    void discriminatorResBlocks() {
        DiscriminatorResBlock first = new DiscriminatorResBlock("disc.blocks.0", 1, 2, 2, true);
        assertThat(check(first, Mode.TRAIN, new long[] {2, 1, 4, 4}, first::apply)).isTrue();
        DiscriminatorResBlock mid = new DiscriminatorResBlock("disc.blocks.1", 2, 3, 2, false);
        assertThat(check(mid, Mode.TRAIN, new long[] {2, 2, 4, 4}, mid::apply)).isTrue();
        DiscriminatorResBlock same = new DiscriminatorResBlock("disc.blocks.5", 3, 3, 1, false);
        assertThat(check(same, Mode.TRAIN, new long[] {2, 3, 2, 2}, same::apply)).isTrue();
    }
}
