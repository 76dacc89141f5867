package dev.coin.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.model.GeneratorOutputs;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Three training steps of a small COIN generator (conditional batch norm from a label embedding, plain batch norm,
 * bilinear upsampling, spectral-norm-free) under each engine: the persistent session and the replayed plan must end
 * with SameDiff's own {@code fit} losses and weights (1e-5 relative), and the fast engine must really replay.
 */
class TrainingStepperTest {
    private static final int SIZE = 32;
    private static final int STEPS = 3;

    private record Outcome(List<Double> losses, ParameterStore store, TrainingStepper stepper) {
    }

    private static Outcome train(TrainingStepper.Engine engine, UpsampleKind upsample, int batchSize) {
        UNetPerturbation spec = UNetPerturbation.withSkips(4).upsample(upsample).stemChannels(4)
                .channels(4, 8, 8, 16, 16).build();
        ParameterStore store = spec.initialise(DataType.FLOAT, 777L);
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, SIZE, SIZE);
        SDVariable y = sd.placeHolder("labels", DataType.INT32, -1);
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("g");
        GeneratorOutputs out = spec.build(scope, x, y, SIZE, SIZE);
        SDVariable l1 = sd.math().abs(out.counterfactual().sub(x)).mean();
        SDVariable loss = sd.constant(Nd4j.scalar(DataType.FLOAT, 0f)).add("loss", l1);
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3, 0.0, 0.999, 1e-8))
                .dataSetFeatureMapping("x", "labels").markLabelsUnused().build());
        scope.hooks().install();
        LossCapture capture = new LossCapture(l1.name());
        TrainingStepper stepper = TrainingStepper.of(sd, engine);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            Nd4j.getRandom().setSeed(100 + s);
            INDArray xb = Nd4j.rand(DataType.FLOAT, batchSize, 1, SIZE, SIZE).muli(1.8).subi(0.9);
            INDArray lb = Nd4j.createFromArray(0, 1, 1, 0).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0,
                    batchSize)).dup();
            stepper.step(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {xb, lb}, new INDArray[0]), capture);
            losses.add(capture.value);
        }
        return new Outcome(losses, store, stepper);
    }

    /** The step's L1 value, read from the activation as the trainers read theirs. */
    private static final class LossCapture extends BaseListener {
        private final String name;
        double value = Double.NaN;

        LossCapture(String name) {
            this.name = name;
        }

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                INDArray activation) {
            if (varName.equals(name)) {
                value = activation.getDouble(0);
            }
        }
    }

    /**
     * At batch 4 the fast engine plans from probes at batch 1 and 2 (no full-size step in SameDiff's session) and
     * replays every step; at batch 2 it records the first step in the session and replays the rest. Both must equal
     * {@code fit}.
     */
    @Test
    void sessionAndReplayMatchFitWithConditionalBatchNormAndBilinearUpsampling() {
        Outcome fit = train(TrainingStepper.Engine.FIT, UpsampleKind.BILINEAR, 4);
        Outcome session = train(TrainingStepper.Engine.SESSION, UpsampleKind.BILINEAR, 4);
        Outcome fast = train(TrainingStepper.Engine.FAST, UpsampleKind.BILINEAR, 4);

        assertThat(fast.stepper().stepCounts()).containsExactly(0, STEPS);
        assertThat(fast.stepper().probedPlanCount()).isEqualTo(1);
        assertThat(session.stepper().stepCounts()).containsExactly(STEPS, 0);
        assertThat(fast.stepper().replacementCounts()[0]).as("pairwise backward replacements").isPositive();
        assertThat(fast.stepper().plannedBytes()).isPositive();
        assertThat(fit.losses()).doesNotContainNull().allMatch(Double::isFinite);
        assertThat(fit.losses().get(STEPS - 1)).isNotEqualTo(fit.losses().get(0)); // it trained
        for (Outcome o : List.of(session, fast)) {
            for (int s = 0; s < STEPS; s++) {
                assertThat(o.losses().get(s)).as("%s loss at step %d", o.stepper().engine(), s)
                        .isCloseTo(fit.losses().get(s), org.assertj.core.data.Offset.offset(1e-5 * fit.losses().get(s)));
            }
            assertSameWeights(fit.store(), o.store(), o.stepper().engine().name());
        }
        fast.stepper().close();
        assertThat(fast.stepper().plannedBytes()).isZero();

        Outcome fitTwo = train(TrainingStepper.Engine.FIT, UpsampleKind.BILINEAR, 2);
        Outcome recorded = train(TrainingStepper.Engine.FAST, UpsampleKind.BILINEAR, 2);
        assertThat(recorded.stepper().stepCounts()).containsExactly(1, STEPS - 1);
        assertThat(recorded.stepper().probedPlanCount()).isZero();
        for (int s = 0; s < STEPS; s++) {
            assertThat(recorded.losses().get(s)).as("recorded plan, loss at step %d", s).isCloseTo(
                    fitTwo.losses().get(s), org.assertj.core.data.Offset.offset(1e-5 * fitTwo.losses().get(s)));
        }
        assertSameWeights(fitTwo.store(), recorded.store(), "recorded plan");
        recorded.stepper().close();
    }

    /**
     * Recomputing convolutions (activation checkpointing, chosen when a step would not fit in memory) changes where
     * values live, not what is computed: losses and weights equal {@code fit}'s, and the plan needs less memory.
     */
    @Test
    void recomputingConvolutionsMatchesFitWithLessMemory() {
        Outcome fit = train(TrainingStepper.Engine.FIT, UpsampleKind.BILINEAR, 4);
        Outcome cheap = train(TrainingStepper.Engine.FAST, UpsampleKind.BILINEAR, 4);
        System.setProperty(TrainingStepper.RECOMPUTE_PROPERTY, "convolutions");
        Outcome frugal;
        try {
            frugal = train(TrainingStepper.Engine.FAST, UpsampleKind.BILINEAR, 4);
        } finally {
            System.clearProperty(TrainingStepper.RECOMPUTE_PROPERTY);
        }
        assertThat(frugal.stepper().stepCounts()).containsExactly(0, STEPS);
        assertThat(frugal.stepper().recomputePolicies()).containsExactly(Recomputation.Policy.CONVOLUTIONS);
        assertThat(cheap.stepper().recomputePolicies()).containsExactly(Recomputation.Policy.CHEAP);
        for (int s = 0; s < STEPS; s++) {
            assertThat(frugal.losses().get(s)).as("loss at step %d", s)
                    .isCloseTo(fit.losses().get(s), org.assertj.core.data.Offset.offset(1e-5 * fit.losses().get(s)));
        }
        assertSameWeights(fit.store(), frugal.store(), "recomputing convolutions");
        assertThat(frugal.stepper().plannedBytes()).as("planned bytes, recomputing convolutions against cheap ops")
                .isLessThan(cheap.stepper().plannedBytes() * 9 / 10);
        cheap.stepper().close();
        frugal.stepper().close();
    }

    /** The paper configuration's numbers: 1.6 GiB resident, 12.9 GiB cheap arena, 8.8 GiB recomputing, 16 GiB cap. */
    @Test
    void aStepFitsWithThirtyPercentAndOneGibibyteBesideItsArena() {
        long gib = 1L << 30;
        assertThat(ReplayPlan.fits(gib * 16 / 10, gib * 129 / 10, 16 * gib)).isFalse(); // 1.6 + 12.9·1.3 + 1 = 19.4
        assertThat(ReplayPlan.fits(gib * 16 / 10, gib * 88 / 10, 16 * gib)).isTrue(); // 1.6 + 8.8·1.3 + 1 = 14.0
        assertThat(ReplayPlan.fits(2 * gib, 10 * gib, 16 * gib)).isTrue(); // exactly 16
        assertThat(ReplayPlan.fits(2 * gib + 1, 10 * gib, 16 * gib)).isFalse();
        assertThat(ReplayPlan.fits(100 * gib, 100 * gib, 0)).isTrue(); // no cap
    }

    @Test
    void anUnknownRecomputationPolicyIsRefusedWithTheChoices() {
        System.setProperty(TrainingStepper.RECOMPUTE_PROPERTY, "everything");
        try {
            assertThatThrownBy(ReplayPlan::recomputePolicy).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TrainingStepper.RECOMPUTE_PROPERTY).hasMessageContaining("EVERYTHING")
                    .hasMessageContaining("convolutions");
        } finally {
            System.clearProperty(TrainingStepper.RECOMPUTE_PROPERTY);
        }
    }

    @Test
    void aSmallerLastBatchGetsItsOwnPlan() {
        UNetPerturbation spec = UNetPerturbation.withSkips(4).upsample(UpsampleKind.NEAREST).stemChannels(4)
                .channels(4, 8, 8, 16, 16).build();
        ParameterStore store = spec.initialise(DataType.FLOAT, 5L);
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, SIZE, SIZE);
        SDVariable y = sd.placeHolder("labels", DataType.INT32, -1);
        GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("g");
        SDVariable cf = spec.build(scope, x, y, SIZE, SIZE).counterfactual();
        sd.setLossVariables(sd.constant(Nd4j.scalar(DataType.FLOAT, 0f)).add("loss", cf.sub(x).mul(cf.sub(x)).mean()));
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("x", "labels")
                .markLabelsUnused().build());
        scope.hooks().install();
        try (TrainingStepper stepper = TrainingStepper.of(sd, TrainingStepper.Engine.FAST)) {
            for (int n : new int[] {4, 4, 2, 4, 2}) {
                stepper.step(new org.nd4j.linalg.dataset.MultiDataSet(
                        new INDArray[] {Nd4j.rand(DataType.FLOAT, n, 1, SIZE, SIZE), Nd4j.zeros(DataType.INT32, n)},
                        new INDArray[0]));
            }
            // batch 4 is planned from probes; batch 2 is recorded once in SameDiff's session
            assertThat(stepper.stepCounts()).containsExactly(1, 4);
            assertThat(stepper.probedPlanCount()).isEqualTo(1);
            assertThat(sd.getTrainingConfig().getIterationCount()).isEqualTo(5);
        }
    }

    @Test
    void aGraphWithoutTrainingConfigIsRefusedWithTheFix() {
        SameDiff sd = SameDiff.create();
        assertThatThrownBy(() -> TrainingStepper.of(sd)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setTrainingConfig");
        System.setProperty(TrainingStepper.ENGINE_PROPERTY, "turbo");
        try {
            assertThatThrownBy(TrainingStepper.Engine::fromSystemProperty).hasMessageContaining("coin.engine")
                    .hasMessageContaining("TURBO").hasMessageContaining("FAST");
        } finally {
            System.clearProperty(TrainingStepper.ENGINE_PROPERTY);
        }
    }

    static void assertSameWeights(ParameterStore expected, ParameterStore actual, String what) {
        int n = 0;
        for (ParameterStore.Entry e : expected.entries()) {
            INDArray a = e.array().castTo(DataType.DOUBLE);
            INDArray b = actual.array(e.name()).castTo(DataType.DOUBLE);
            double scale = Math.max(a.amaxNumber().doubleValue(), 1e-3);
            assertThat(a.sub(b).amaxNumber().doubleValue() / scale).as("%s: %s", what, e.name())
                    .isLessThanOrEqualTo(1e-5);
            n++;
        }
        assertThat(n).isGreaterThan(50);
    }
}
