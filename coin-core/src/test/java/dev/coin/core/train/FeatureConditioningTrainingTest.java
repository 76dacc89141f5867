package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.EpochMetrics;
import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.model.classifier.EfficientNetV2S;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.losses.Reconstruction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * COIN-Aligned's classifier-feature conditional batch norm (reference §9.5) end to end: the pipeline checks the
 * feature width against the classifier and refuses the second generator passes, a tiny run trains the bridges
 * {@code fc} of every CBN with the features of the raw batch, and a saved model gives the same counterfactuals.
 */
class FeatureConditioningTrainingTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> classifiers() {
        return Stream.of(
                Arguments.of(ResNet18.Spec.ofWidth(4).create(17L), 32),                      // 8 × 4
                Arguments.of(new EfficientNetV2S.Spec(0.1, 0.1).create(17L), 128));         // 1280 × 0.1
    }

    /** The tiny synthetic COIN with feature CBN of width {@code f} and a forward-only reconstruction. */
    private static Pipeline.Builder tinyAligned(dev.coin.core.model.Classifier clf, int f) {
        return TinyData.tinyCoin(clf).editGenerator(g -> g.conditioning(Conditioning.features(f)))
                .replaceLoss(Reconstruction.dilation(3).weight(1.0));
    }

    private static float[] bits(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(-1).toFloatVector();
    }

    @ParameterizedTest
    @MethodSource("classifiers")
    void trainsTheBridgesAndSavedModelsReproduceCounterfactuals(GraphClassifier clf, int width) {
        assertThat(clf.spec().featureWidth()).isEqualTo(width);
        assertThat(clf.features(ExplainTest.batch(TinyData.slices(2, 1))).shape()).containsExactly(2, width);
        // k = 2: steps 0 and 2 update G, step 1 runs the forward-only generator graph (features fed there too)
        Pipeline p = tinyAligned(clf, width).generatorEvery(2).build();
        ParameterStore initial = p.generator().initialise(DataType.FLOAT, dev.coin.data.random.Seeds.derive(p.seed(), 1));
        TrainedPipeline t = PipelineTrainer.builder(p).build()
                .fit(BatchLoader.builder(TinyData.source(24, 5)).batchSize(8).seed(3).build(), 1);

        EpochMetrics m = t.history().get(0);
        assertThat(m.losses()).isNotEmpty();
        for (Map.Entry<String, Double> e : m.losses().entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isFinite();
        }
        int bridges = 0;
        for (ParameterStore.Entry e : initial.entries()) {
            if (e.name().contains(".fc.")) {
                bridges++;
                assertThat(bits(t.parameters().array(e.name()))).as("%s changed", e.name())
                        .isNotEqualTo(bits(e.array()));
            }
            assertThat(e.name()).doesNotContain(".embed.");
        }
        assertThat(bridges).isEqualTo(2 * 2 * 5); // weight + bias of both CBNs of 5 decoder blocks

        // save, load: the same counterfactuals, bit for bit (both advance their SN vectors alike)
        Path dir = t.save(tmp.resolve("model"));
        TrainedPipeline loaded = TrainedPipeline.load(dir);
        assertThat(loaded.generator().conditioning()).isEqualTo(Conditioning.features(width));
        INDArray x = ExplainTest.batch(TinyData.slices(5, 31));
        for (int round = 0; round < 2; round++) {
            TrainedPipeline.Counterfactual a = t.counterfactual(x);
            TrainedPipeline.Counterfactual b = loaded.counterfactual(x);
            assertThat(bits(b.counterfactual())).containsExactly(bits(a.counterfactual()));
            assertThat(bits(b.probabilityAfter())).containsExactly(bits(a.probabilityAfter()));
        }
    }

    @Test
    void counterfactualsReadTheClassifierFeaturesThroughTheBridgesOnly() {
        GraphClassifier clf = ResNet18.Spec.ofWidth(4).create(17L);
        GraphClassifier other = ResNet18.Spec.ofWidth(4).create(99L);
        Pipeline p = tinyAligned(clf, 32).build();
        Pipeline q = tinyAligned(other, 32).build();
        ParameterStore store = p.generator().initialise(DataType.FLOAT, 5L);
        INDArray x = ExplainTest.batch(TinyData.slices(4, 31));
        assertThat(clf.features(x).sub(other.features(x)).amaxNumber().doubleValue()).isGreaterThan(1e-3);
        // zero bridge weights: γ, β are the biases alone, so another classifier gives the same x_cf …
        store.entries().stream().filter(e -> e.name().endsWith(".fc.weight")).forEach(e -> e.array().assign(0));
        INDArray a0 = new TrainedPipeline(p, store.copy(), List.of()).counterfactual(x).counterfactual();
        INDArray b0 = new TrainedPipeline(q, store.copy(), List.of()).counterfactual(x).counterfactual();
        assertThat(bits(b0)).containsExactly(bits(a0));
        // … and with non-zero bridges another classifier's features give another x_cf
        store.entries().stream().filter(e -> e.name().endsWith(".fc.weight")).forEach(e -> e.array().assign(0.05));
        INDArray a = new TrainedPipeline(p, store.copy(), List.of()).counterfactual(x).counterfactual();
        INDArray b = new TrainedPipeline(q, store.copy(), List.of()).counterfactual(x).counterfactual();
        assertThat(a.sub(b).amaxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    @Test
    void buildChecksTheFeatureWidthAndRefusesSecondGeneratorPasses() {
        GraphClassifier resnet = ResNet18.Spec.ofWidth(4).create(17L);
        // the reference's hard-wired 1280 with a ResNet18 classifier
        assertThatThrownBy(() -> tinyAligned(resnet, 1280).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("F = 1280").hasMessageContaining("32")
                .hasMessageContaining("Conditioning.features(32)");
        GraphClassifier effnet = new EfficientNetV2S.Spec(0.25, 0.2).create(17L);
        assertThatThrownBy(() -> tinyAligned(effnet, 32).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("F = 32").hasMessageContaining("Conditioning.features(320)");
        assertThat(ResNet18.Spec.standard().featureWidth()).isEqualTo(512);
        assertThat(EfficientNetV2S.Spec.standard().featureWidth()).isEqualTo(1280);

        // cyclic L1 (COIN's reconstruction) needs a second generator pass without features
        assertThatThrownBy(() -> tinyAligned(resnet, 32).replaceLoss(Reconstruction.cyclicL1().weight(1.0)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'rec'")
                .hasMessageContaining("X_CYCLIC").hasMessageContaining("Reconstruction.dilation");
        assertThatThrownBy(() -> tinyAligned(resnet, 32).replaceLoss(Reconstruction.singlaL1()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("X_REC");
        // a classifier without a ClassifierSpec: one forward of a blank 32×32 batch gives the width (here 1)
        tinyAligned(new BlobClassifier(), 1).build();
        assertThatThrownBy(() -> tinyAligned(new BlobClassifier(), 4).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("F = 4").hasMessageContaining("Conditioning.features(1)");
        // an inactive cyclic term is fine, and so is the forward-only L1
        tinyAligned(resnet, 32).replaceLoss(Reconstruction.cyclicL1().weight(0.0)).build();
        tinyAligned(resnet, 32).replaceLoss(Reconstruction.l1()).build();
    }
}
