package dev.coin.core.model.classifier;

import dev.coin.core.train.ClassifierTrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fast trainer checks on an in-memory toy task (bright square present or not) at 32×32. */
class ClassifierTrainerSmallTest {

    static SliceSource toy(int n, long seed) {
        Random rng = new Random(seed);
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3 == 0 ? 1 : 0;   // imbalanced on purpose: the balanced sampler evens it out
            float[] px = new float[32 * 32];
            for (int p = 0; p < px.length; p++) {
                px[p] = (float) (-0.5 + 0.2 * rng.nextGaussian());
            }
            if (label == 1) {
                int r0 = 4 + rng.nextInt(20);
                int c0 = 4 + rng.nextInt(20);
                for (int r = r0; r < r0 + 6; r++) {
                    for (int c = c0; c < c0 + 6; c++) {
                        px[r * 32 + c] = 0.8f;
                    }
                }
            }
            for (int p = 0; p < px.length; p++) {
                px[p] = Math.max(-1f, Math.min(1f, px[p]));
            }
            slices.add(new Slice("toy" + seed, i, label, 0.5, FloatImage.wrap(32, 32, px), List.of(), List.of()));
        }
        return SliceSource.of(slices);
    }

    @Test
    void learnsToyTaskAndIsReproducible() {
        SliceSource train = toy(60, 1);
        SliceSource val = toy(30, 2);
        ClassifierTrainer trainer = ClassifierTrainer.builder().batchSize(8).stepsPerEpoch(15).epochs(2).seed(3)
                .logEvery(5).build();
        ClassifierTrainer.Result a = trainer.train(ResNet18.Spec.ofWidth(4), train, val);
        assertThat(a.history()).hasSize(2);
        assertThat(a.history().get(0).trainLoss()).isFinite().isPositive();
        ClassifierTrainer.Result b = trainer.train(ResNet18.Spec.ofWidth(4), train, val);
        assertThat(b.classifier().parameters().array("fc.weight")).isEqualTo(a.classifier().parameters().array("fc.weight"));
        assertThat(b.classifier().parameters().array("layer1.0.bn1.running_mean"))
                .isEqualTo(a.classifier().parameters().array("layer1.0.bn1.running_mean"));
        assertThat(a.history().get(1).validation().loss()).isLessThan(a.history().get(0).validation().loss());
        assertThat(a.best().macroF1()).isGreaterThan(0.7);
    }

    @Test
    void trainsEfficientNetInTrainModeAndUpdatesRunningStatistics() {
        ClassifierTrainer trainer = ClassifierTrainer.builder().batchSize(4).stepsPerEpoch(3).epochs(1).seed(3)
                .logEvery(0).build();
        EfficientNetV2S net = EfficientNetV2S.create(new EfficientNetV2S.Spec(0.25, 0.2), 1L);
        org.nd4j.linalg.api.ndarray.INDArray before = net.parameters().array("features.5.0.block.1.1.running_var").dup();
        org.nd4j.linalg.api.ndarray.INDArray w0 = net.parameters().array("classifier.1.weight").dup();
        ClassifierTrainer.Result r = trainer.train(net, toy(12, 1), toy(6, 2));
        assertThat(r.history().get(0).trainLoss()).isFinite().isPositive();
        assertThat(net.parameters().array("features.5.0.block.1.1.num_batches_tracked").getLong(0)).isEqualTo(3);
        assertThat(net.parameters().array("features.5.0.block.1.1.running_var")).isNotEqualTo(before);
        assertThat(net.parameters().array("classifier.1.weight")).isNotEqualTo(w0);
    }

    @Test
    void rejectsBadOptions() {
        assertThatThrownBy(() -> ClassifierTrainer.builder().learningRate(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> ClassifierTrainer.builder().batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize");
        assertThat(ClassifierTrainer.builder().build().toString()).contains("lr 0.001", "VALIDATION_LOSS");
    }
}
