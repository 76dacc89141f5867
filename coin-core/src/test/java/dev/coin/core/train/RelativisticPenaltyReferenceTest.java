package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.model.DiscriminatorOutputs;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.io.StateDict;
import dev.coin.losses.Adversarial;
import dev.coin.losses.BuiltLoss;
import dev.coin.losses.GradientPenalty;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossInputs;
import dev.coin.losses.LossSet;
import dev.coin.losses.Player;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COIN-Aligned's discriminator step (RpGAN + zero-centred R1/R2, γ = 50) against the published PyTorch code
 * ({@code testvectors/aligned/disc_rpgan_r1r2}: σ advancing per call, as in training): the probe's input gradients, the penalised loss and the gradient of
 * every discriminator parameter, whose R1/R2 part the reference computes by double backprop.
 */
class RelativisticPenaltyReferenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(RelativisticPenaltyReferenceTest.class);
    private static final double FORWARD_TOL = 1e-5;
    /** Gradients: max|a − b| ≤ 1e-4 · max|b| per tensor (the vectors' README). */
    private static final double GRADIENT_TOL = 1e-4;

    static Map<String, INDArray> vectors(String name) {
        try {
            File f = new File(RelativisticPenaltyReferenceTest.class.getResource("/testvectors/aligned/" + name
                    + ".npz").toURI());
            return Nd4j.createFromNpzFile(f);
        } catch (Exception e) {
            throw new IllegalStateException("test vector " + name + " not readable from the test class path", e);
        }
    }

    static ResNetDiscriminator discriminator() {
        return ResNetDiscriminator.builder().blocks(new int[] {2, 4, 6, 8, 10}, new int[] {2, 2, 2, 2, 2})
                .projection(false).numClasses(2).build();
    }

    /**
     * The discriminator side of the step: state before the D calls (after the G step's two calls in the per-call
     * file; the shared initial state in the fixed-u file), the probe, the training graph's loss and parameter
     * gradients.
     */
    @Test
    void discriminatorStepMatchesDoubleBackprop() {
        Map<String, INDArray> ref = vectors("disc_rpgan_r1r2");
        ResNetDiscriminator spec = discriminator();
        ParameterStore store = spec.initialise(DataType.FLOAT, 1L);
        StateDict.load(store, ref, "after_call2:");
        INDArray healthy = ref.get("healthy");
        INDArray fake = ref.get("fake");
        int h = (int) healthy.size(2);
        int w = (int) healthy.size(3);

        SingleThreadArrayHolder holder = new SingleThreadArrayHolder();
        PenaltyDirections probe = new PenaltyDirections(spec, store, holder, h, w);
        SameDiff d = GraphScope.newSameDiff(holder);
        GraphScope scope = GraphScope.create(d, store).withMode(Mode.TRAIN).withTrainable(true);
        GradientPenalty gp = GradientPenalty.r1r2(50.0);
        SDVariable xr = d.placeHolder("x_real", DataType.FLOAT, -1, 1, h, w);
        SDVariable xf = d.placeHolder("x_fake", DataType.FLOAT, -1, 1, h, w);
        SDVariable ur = d.placeHolder("u_real", DataType.FLOAT, -1, 1, h, w);
        SDVariable uf = d.placeHolder("u_fake", DataType.FLOAT, -1, 1, h, w);
        DiscriminatorOutputs realOut = spec.buildWithSlope(scope.withCallPrefix("dr"), xr, null, ur, h, w);
        DiscriminatorOutputs fakeOut = spec.buildWithSlope(scope.withCallPrefix("df"), xf, null, uf, h, w);
        SDVariable real = realOut.logits();
        SDVariable fk = fakeOut.logits();
        scope.hooks().followSpectralNorm(probe.hooks());
        LossSet losses = LossSet.of(Adversarial.relativistic(), gp);
        BuiltLoss built = losses.build(d, Player.DISCRIMINATOR, LossInputs.builder()
                .put(LossInput.D_REAL_LOGITS, real).put(LossInput.D_FAKE_LOGITS, fk)
                .put(LossInput.D_REAL_SLOPE, realOut.slope()).put(LossInput.D_FAKE_SLOPE, fakeOut.slope())
                .build());

        PenaltyDirections.Directions dir = probe.compute(healthy, null, fake, null);
        for (Map.Entry<String, INDArray> e : StateDict.export(store).entrySet()) {
            assertThat(maxAbsDiff(e.getValue(), ref.get("after_call4:" + e.getKey()))).as("state " + e.getKey())
                    .isLessThanOrEqualTo(FORWARD_TOL);
        }
        for (int i = 0; i < dir.r1().length; i++) {
            assertThat(dir.r1()[i]).as("r1[%d]", i).isCloseTo(ref.get("r1").getDouble(i), within(ref.get("r1")));
            assertThat(dir.r2()[i]).as("r2[%d]", i).isCloseTo(ref.get("r2").getDouble(i), within(ref.get("r2")));
        }
        scope.hooks().beforeForward(); // the training step's listener does this: copy the probe's σ
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put("x_real", healthy);
        feeds.put("x_fake", fake);
        feeds.put("u_real", dir.uReal());
        feeds.put("u_fake", dir.uFake());
        Map<String, INDArray> out = d.output(feeds, real.name(), fk.name(), built.term(GradientPenalty.NAME)
                .weighted().name(), built.term("d_adv").weighted().name());
        assertThat(maxAbsDiff(out.get(real.name()), ref.get("d_real"))).as("d_real").isLessThanOrEqualTo(FORWARD_TOL);
        assertThat(maxAbsDiff(out.get(fk.name()), ref.get("d_fake"))).as("d_fake").isLessThanOrEqualTo(FORWARD_TOL);
        double pen = out.get(built.term(GradientPenalty.NAME).weighted().name()).getDouble(0);
        double adv = out.get(built.term("d_adv").weighted().name()).getDouble(0);
        assertThat(adv).as("d_adv").isCloseTo(ref.get("d_adv").getDouble(0), org.assertj.core.data.Offset.offset(FORWARD_TOL));
        assertThat(pen).as("d_pen").isCloseTo(ref.get("d_pen").getDouble(0), org.assertj.core.data.Offset.offset(FORWARD_TOL));
        LOG.info("d_pen {} vs reference {}; d_adv {} vs {}", pen, ref.get("d_pen").getDouble(0), adv,
                ref.get("d_adv").getDouble(0));

        String[] params = d.variables().stream().filter(v -> v.getVariableType()
                        == org.nd4j.autodiff.samediff.VariableType.VARIABLE).map(SDVariable::name)
                .toArray(String[]::new);
        compareGradients(d, feeds, built.term(GradientPenalty.NAME).weighted().name(), params, store, ref, "grad_r1r2:");
        compareGradients(d, feeds, built.term("d_adv").weighted().name(), params, store, ref, "grad_adv:");
        compareGradients(d, feeds, built.totalName(), params, store, ref, "grad:");
    }

    /** The generator side: D(fake) then D(healthy), each advancing u, and ∂g_adv/∂fake. */
    @Test
    void generatorSideMatches() {
        Map<String, INDArray> ref = vectors("disc_rpgan_r1r2");
        ResNetDiscriminator spec = discriminator();
        ParameterStore store = spec.initialise(DataType.FLOAT, 1L);
        StateDict.load(store, ref, "before:");
        INDArray healthy = ref.get("healthy");
        INDArray fake = ref.get("fake");
        int h = (int) healthy.size(2);
        int w = (int) healthy.size(3);
        SameDiff g = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope frozen = GraphScope.create(g, store).withMode(Mode.TRAIN).withTrainable(false);
        SDVariable xf = g.placeHolder("x_fake", DataType.FLOAT, -1, 1, h, w);
        SDVariable xr = g.placeHolder("x_real", DataType.FLOAT, -1, 1, h, w);
        // the fake as an op output of a trainable scalar, so that SameDiff differentiates towards it
        SDVariable fakeIn = xf.mul("fake_in", g.var("one", Nd4j.scalar(DataType.FLOAT, 1f)));
        SDVariable dFake = spec.build(frozen.withCallPrefix("dg"), fakeIn, null, h, w).logits();
        SDVariable dReal = spec.build(frozen.withCallPrefix("dgr"), xr, null, h, w).logits();
        BuiltLoss built = LossSet.of(Adversarial.relativistic()).build(g, Player.GENERATOR, LossInputs.builder()
                .put(LossInput.D_FAKE_LOGITS, dFake).put(LossInput.D_REAL_LOGITS, dReal).build());
        g.setLossVariables(built.totalName());
        frozen.hooks().install();
        frozen.hooks().beforeForward();
        Map<String, INDArray> feeds = Map.of("x_fake", fake, "x_real", healthy);
        org.nd4j.autodiff.samediff.api.OutAndGrad og = g.calculateGradientsAndOutputs(feeds,
                java.util.List.of(dFake.name(), dReal.name(), built.term("adv").weighted().name()), java.util.List.of("fake_in"));
        assertThat(maxAbsDiff(og.getOutputs().get(dFake.name()), ref.get("g_d_fake"))).isLessThanOrEqualTo(FORWARD_TOL);
        assertThat(maxAbsDiff(og.getOutputs().get(dReal.name()), ref.get("g_d_real"))).isLessThanOrEqualTo(FORWARD_TOL);
        assertThat(og.getOutputs().get(built.term("adv").weighted().name()).getDouble(0)).isCloseTo(
                ref.get("g_adv").getDouble(0), org.assertj.core.data.Offset.offset(FORWARD_TOL));
        INDArray gradFake = ref.get("grad_fake");
        assertThat(maxAbsDiff(og.getGradients().get("fake_in"), gradFake) / gradFake.amaxNumber().doubleValue())
                .as("grad_fake").isLessThanOrEqualTo(GRADIENT_TOL);
        for (Map.Entry<String, INDArray> e : StateDict.export(store).entrySet()) {
            assertThat(maxAbsDiff(e.getValue(), ref.get("after_call2:" + e.getKey()))).as("state " + e.getKey())
                    .isLessThanOrEqualTo(FORWARD_TOL);
        }
    }

    private static void compareGradients(SameDiff d, Map<String, INDArray> feeds, String loss, String[] params,
            ParameterStore store, Map<String, INDArray> ref, String prefix) {
        d.setLossVariables(loss);
        Map<String, INDArray> grads = d.calculateGradients(feeds, params);
        double worst = 0;
        String worstName = null;
        int compared = 0;
        java.util.List<Runnable> checks = new java.util.ArrayList<>();
        for (String p : params) {
            INDArray expected = ref.get(prefix + p);
            assertThat(expected).as("reference " + prefix + p).isNotNull();
            ParameterKind kind = store.entry(p).kind();
            INDArray g = grads.get(p);
            // SameDiff returns no gradient for a weight the loss does not depend on (biases in the penalty, the
            // unused embedding): that is an exact 0
            INDArray ours = g == null ? Nd4j.zeros(expected.dataType(), expected.shape())
                    : StateDict.toReference(kind, g);
            double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-30);
            double err = maxAbsDiff(ours, expected) / scale;
            double abs = maxAbsDiff(ours, expected);
            if (expected.amaxNumber().doubleValue() == 0) {
                checks.add(() -> assertThat(abs).as(prefix + p + " (reference exactly 0)").isLessThan(1e-9));
            } else {
                checks.add(() -> assertThat(err).as(prefix + p + " max|a-b|/max|b|").isLessThanOrEqualTo(GRADIENT_TOL));
                LOG.debug("{}{}: {}", prefix, p, err);
            }
            if (expected.amaxNumber().doubleValue() > 0 && err > worst) {
                worst = err;
                worstName = p;
            }
            compared++;
        }
        LOG.info("{}: {} parameter gradients, worst max|a-b|/max|b| = {} ({})", prefix, compared, worst, worstName);
        checks.forEach(Runnable::run);
    }

    private static org.assertj.core.data.Offset<Double> within(INDArray values) {
        return org.assertj.core.data.Offset.offset(1e-4 * values.amaxNumber().doubleValue());
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }
}
