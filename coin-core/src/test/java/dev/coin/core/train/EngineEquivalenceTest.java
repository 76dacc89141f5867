package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.Adam;
import dev.coin.core.EpochMetrics;
import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.engine.TrainingStepper;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.data.dataset.BatchLoader;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast execution engine ({@link TrainingStepper.Engine#FAST}: one persistent session, replaced M2.1 kernels,
 * replayed op list) against SameDiff's own {@code fit} per step ({@link TrainingStepper.Engine#FIT}): the same
 * pipeline trained for a few steps from the same seed must end with the same losses and the same weights, to
 * 1e-5 relative. Covers conditional batch norm (label embedding), plain batch norm, spectral norm, bilinear and
 * nearest upsampling, a graph classifier through which gradients flow, both players, and COIN-Aligned's
 * classifier-feature conditional batch norm with the dilation loss.
 */
class EngineEquivalenceTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void coinStepsMatchFitWithNearestUpsamplingAndBlobClassifier() {
        Pipeline p = TinyData.tinyCoin(new BlobClassifier()).generatorEvery(1)
                .optimizer(Adam.lr(1e-3).betas(0.0, 0.999)).build();
        compare(p, () -> BatchLoader.builder(TinyData.source(12, 5)).batchSize(4).seed(3).build(), 1);
    }

    @Test
    void coinStepsMatchFitWithBilinearUpsamplingAGraphClassifierAndDiscriminatorOnlySteps() {
        ResNet18 clf = ResNet18.create(ResNet18.Spec.ofWidth(4), 7L);
        Pipeline p = TinyData.tinyCoin(clf)
                .generator(TinyData.generator().toBuilder().upsample(UpsampleKind.BILINEAR).build())
                .generatorEvery(2).optimizer(Adam.lr(1e-3).betas(0.0, 0.999)).build();
        compare(p, () -> BatchLoader.builder(TinyData.source(16, 9)).batchSize(4).seed(5).build(), 1);
    }

    @Test
    void coinAlignedStepsMatchFitWithClassifierFeatureConditioningAndTheDilationLoss() {
        ResNet18 clf = ResNet18.create(ResNet18.Spec.ofWidth(4), 7L);
        Pipeline p = TinyData.tinyCoin(clf)
                .editGenerator(g -> g.conditioning(dev.coin.core.nn.Conditioning.features(32)))
                .replaceLoss(dev.coin.losses.Reconstruction.dilation(3).weight(1.0))
                .generatorEvery(2).optimizer(Adam.lr(1e-3).betas(0.0, 0.999)).build();
        compare(p, () -> BatchLoader.builder(TinyData.source(12, 5)).batchSize(4).seed(3).build(), 1);
    }

    private static void compare(Pipeline p, Supplier<BatchLoader> loader, int epochs) {
        Run fit = train(p, loader.get(), epochs, TrainingStepper.Engine.FIT);
        Run fast = train(p, loader.get(), epochs, TrainingStepper.Engine.FAST);
        assertThat(fast.history()).hasSameSizeAs(fit.history());
        for (int e = 0; e < fit.history().size(); e++) {
            Map<String, Double> a = fit.history().get(e).losses();
            Map<String, Double> b = fast.history().get(e).losses();
            assertThat(b.keySet()).isEqualTo(a.keySet());
            for (String k : a.keySet()) {
                assertThat(b.get(k)).as("epoch %d %s", e, k).isCloseTo(a.get(k), within(a.get(k)));
            }
        }
        int compared = 0;
        for (ParameterStore.Entry e : fit.store().entries()) {
            INDArray a = e.array().castTo(DataType.DOUBLE);
            INDArray b = fast.store().array(e.name()).castTo(DataType.DOUBLE);
            double scale = Math.max(a.amaxNumber().doubleValue(), 1e-3);
            double diff = a.sub(b).amaxNumber().doubleValue();
            assertThat(diff / scale).as("%s: max |fit − fast| %.3g against max |w| %.3g", e.name(), diff, scale)
                    .isLessThanOrEqualTo(TOLERANCE);
            compared++;
        }
        assertThat(compared).isGreaterThan(20);
    }

    private static org.assertj.core.data.Offset<Double> within(double reference) {
        return org.assertj.core.data.Offset.offset(TOLERANCE * Math.max(Math.abs(reference), 1e-3));
    }

    private record Run(List<EpochMetrics> history, ParameterStore store) {
    }

    private static Run train(Pipeline p, BatchLoader loader, int epochs, TrainingStepper.Engine engine) {
        String before = System.getProperty(TrainingStepper.ENGINE_PROPERTY);
        System.setProperty(TrainingStepper.ENGINE_PROPERTY, engine.name().toLowerCase(java.util.Locale.ROOT));
        try {
            PipelineTrainer trainer = PipelineTrainer.builder(p).build();
            TrainedPipeline t = trainer.fit(loader, epochs);
            return new Run(t.history(), trainer.store());
        } finally {
            if (before == null) {
                System.clearProperty(TrainingStepper.ENGINE_PROPERTY);
            } else {
                System.setProperty(TrainingStepper.ENGINE_PROPERTY, before);
            }
        }
    }
}
