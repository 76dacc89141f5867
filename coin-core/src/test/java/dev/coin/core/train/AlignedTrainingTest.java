package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.Pipeline;
import dev.coin.core.RealSamples;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.PairedHealthySampler;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import dev.coin.losses.Adversarial;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.GradientPenalty;
import dev.coin.losses.LossContext;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Player;
import dev.coin.losses.TargetRule;
import dev.coin.losses.TotalVariation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * COIN-Aligned training (reference §9.1–9.4) on slices whose intensities tell the inputs apart: every abnormal slice
 * is 0.6 everywhere, every healthy one −0.4. A term of each player logs the mean of its {@link LossInput#X}, so the
 * test reads what each graph compared against: tanh(0.6) in the generator graph, tanh(−0.4) (the paired healthy
 * slices, tanh'ed) as the discriminator's real input.
 */
class AlignedTrainingTest {
    private static final double ABNORMAL = 0.6;
    private static final double HEALTHY = -0.4;
    private final BlobClassifier clf = new BlobClassifier();

    /** Logs mean(X) of its player's graph; a negligible weight, so it does not change training. */
    record InputMean(Player player) implements LossTerm {
        @Override
        public String name() {
            return "x_mean_" + player.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public double weight() {
            return 1e-12;
        }

        @Override
        public Set<LossInput> requires() {
            return Set.of(LossInput.X);
        }

        @Override
        public SDVariable build(LossContext c) {
            return c.sd().mean(c.get(LossInput.X));
        }
    }

    /** Two scans of six slices at one relative height: abnormal and healthy alternate. */
    static SliceSource data() {
        int n = 32;
        List<Slice> slices = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            boolean abnormal = s % 2 == 0;
            float[] img = new float[n * n];
            Arrays.fill(img, (float) (abnormal ? ABNORMAL : HEALTHY));
            float[] ones = new float[n * n];
            Arrays.fill(ones, 1f);
            slices.add(new Slice("scan" + (s / 6), s % 6, abnormal ? 1 : 0, 0.5, FloatImage.of(n, n, img),
                    List.of("background", "kidney"), List.of(FloatImage.zeros(n, n), FloatImage.of(n, n, ones))));
        }
        return SliceSource.of(slices);
    }

    static BatchLoader pairedLoader(SliceSource source) {
        return BatchLoader.builder(source).batchSize(3)
                .sampler(PairedHealthySampler.builder(source.infos()).seed(5).build()).build();
    }

    static Pipeline.Builder alignedRow4(dev.coin.core.model.Classifier clf) {
        return TinyData.tinyCoin(clf).clearLosses().loss(Adversarial.relativistic()).loss(GradientPenalty.r1r2(50))
                .loss(ClassifierKl.weight(1.0)).loss(TotalVariation.weight(5e-4))
                .targetRule(TargetRule.ALWAYS_HEALTHY).tanhAlignment(true).realSamples(RealSamples.PAIRED_HEALTHY)
                .editDiscriminator(d -> d.projection(false)).generatorEvery(1);
    }

    @Test
    void theDiscriminatorSeesTheTanhedHealthyPartnersAndThePenaltiesAreLogged() {
        Pipeline p = alignedRow4(clf).loss(new InputMean(Player.GENERATOR)).loss(new InputMean(Player.DISCRIMINATOR))
                .build();
        List<Map<String, Double>> steps = new ArrayList<>();
        PipelineTrainer.builder(p).listeners(new TrainingListener<Object>() {
            @Override
            public void onStep(StepReport r, TrainingContext<?> c) {
                steps.add(r.losses());
            }
        }).build().fit(pairedLoader(data()), 1);
        assertThat(steps).hasSize(2); // 6 abnormal slices, batches of 3
        for (Map<String, Double> v : steps) {
            assertThat(v.get(LossSet.rawName("x_mean_generator"))).as("generator's X = tanh(x)")
                    .isCloseTo(Math.tanh(ABNORMAL), within(1e-5));
            assertThat(v.get(LossSet.rawName("x_mean_discriminator"))).as("D's real input = tanh(healthy partner)")
                    .isCloseTo(Math.tanh(HEALTHY), within(1e-5));
            double gp = v.get(LossSet.weightedName(GradientPenalty.NAME));
            double r1 = v.get(LossSet.componentName(GradientPenalty.NAME, GradientPenalty.R1));
            double r2 = v.get(LossSet.componentName(GradientPenalty.NAME, GradientPenalty.R2));
            assertThat(r1).isPositive();
            assertThat(r2).isPositive();
            assertThat(gp).isCloseTo(50 * 0.5 * (r1 + r2), within(1e-6 * gp));
            assertThat(v.get(LossSet.weightedName("d_adv"))).as("relativistic D loss is logged").isPositive();
            // the D-step logits, for every adversarial kind: the relativistic loss is softplus(fake − real) of them
            assertThat(v).containsKeys("d/real_logit", "d/fake_logit");
            assertThat(v.get("d/real_logit")).isNotEqualTo(v.get("d/fake_logit"));
            assertThat(v.get(LossSet.weightedName("adv"))).isPositive();
            assertThat(v.values()).allMatch(Double::isFinite);
        }
    }

    /** One place decides the difference map: |tanh(x) − x_cf| / 2 for an aligned model, also after save and load. */
    @Test
    void anAlignedModelExplainsAgainstTanhOfTheInputAndKeepsThatWhenSaved(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) {
        // a classifier with a file format, so that the model can be saved
        dev.coin.core.model.classifier.GraphClassifier resnet = dev.coin.core.model.classifier.ResNet18.Spec.ofWidth(4)
                .create(17L);
        dev.coin.core.TrainedPipeline t = PipelineTrainer.builder(alignedRow4(resnet).build()).build()
                .fit(pairedLoader(data()), 1);
        assertThat(t.tanhAlignment()).isTrue();
        // saved before explaining: each eval call advances the spectral-norm vectors, so both start from one state
        dev.coin.core.TrainedPipeline loaded = dev.coin.core.TrainedPipeline.load(t.save(tmp.resolve("m")));
        org.nd4j.linalg.api.ndarray.INDArray x = dev.coin.data.dataset.Batch.stackImages(List.of(data().get(0), data().get(1)));
        List<dev.coin.core.Explanation> e = t.explain(x);
        dev.coin.core.TrainedPipeline.Counterfactual cf = t.counterfactual(x);
        assertThat(cf.reference().equalsWithEps(org.nd4j.linalg.ops.transforms.Transforms.tanh(x, true), 1e-6))
                .isTrue();
        for (int i = 0; i < e.size(); i++) {
            FloatImage xcf = e.get(i).counterfactual();
            float[] map = e.get(i).differenceMap().toArray();
            float[] c = xcf.toArray();
            float tanhX = (float) Math.tanh(i == 0 ? ABNORMAL : HEALTHY);
            for (int k = 0; k < map.length; k++) {
                assertThat((double) map[k]).isCloseTo(Math.abs(tanhX - c[k]) / 2, within(1e-6));
            }
            assertThat(e.get(i).input().toArray()[0]).isEqualTo((float) (i == 0 ? ABNORMAL : HEALTHY));
        }
        assertThat(loaded.tanhAlignment()).isTrue();
        assertThat(loaded.explain(x)).isEqualTo(e);
    }

    @Test
    void pairedRealSamplesNeedPairedBatchesAndAnUnconditionalDiscriminator() {
        Pipeline p = alignedRow4(clf).build();
        BatchLoader unpaired = BatchLoader.builder(data()).batchSize(3).seed(5).build();
        assertThatThrownBy(() -> PipelineTrainer.builder(p).build().fit(unpaired, 1))
                .hasMessageContaining("PAIRED_HEALTHY").hasMessageContaining("PairedHealthySampler");
        assertThatThrownBy(() -> alignedRow4(clf).editDiscriminator(d -> d.projection(true)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("projection(false)");
    }
}
