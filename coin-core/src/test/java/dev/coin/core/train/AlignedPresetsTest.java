package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.Adam;
import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.RealSamples;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.data.augment.BlackHoles;
import dev.coin.data.augment.Tanh;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.losses.Adversarial;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.GradientPenalty;
import dev.coin.losses.LossSet;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Player;
import dev.coin.losses.Reconstruction;
import dev.coin.losses.TargetRule;
import dev.coin.losses.TotalVariation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The COIN-Aligned thesis rows (reference §9 table) as presets: every setting, and a few training steps each. */
class AlignedPresetsTest {
    private static final GraphClassifier CLASSIFIER = ResNet18.Spec.ofWidth(4).create(17L);

    private static LossTerm term(Pipeline p, String name) {
        return p.losses().terms().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * One row of §9's table: lr, adversarial kind, reconstruction (null = none), λ_tv, tanh alignment, D's real
     * samples, clf-CBN, fusion.
     */
    private record Row(double lr, Adversarial adv, LossTerm rec, double tv, boolean tanh, RealSamples real,
                       boolean features, FusionKind fusion) {
    }

    private static Row expected(int row) {
        Adversarial rp = Adversarial.relativistic();
        return switch (row) {
            case 0 -> new Row(2e-4, Adversarial.bce(), Reconstruction.cyclicL1().weight(1.0), 5e-5, false,
                    RealSamples.INPUT, false, FusionKind.SKIP_ADD_TANH);
            case 1 -> new Row(2e-4, Adversarial.bce(), Reconstruction.dilation(3).weight(1.0), 5e-5, false,
                    RealSamples.INPUT, false, FusionKind.SKIP_ADD_TANH);
            case 2 -> new Row(2e-4, Adversarial.bce(), null, 5e-4, true, RealSamples.INPUT, false,
                    FusionKind.SKIP_ADD_TANH);
            case 3 -> new Row(1e-4, Adversarial.bce(), null, 5e-4, true, RealSamples.PAIRED_HEALTHY, false,
                    FusionKind.SKIP_ADD_TANH);
            case 4 -> new Row(1e-4, rp, null, 5e-4, true, RealSamples.PAIRED_HEALTHY, false, FusionKind.SKIP_ADD_TANH);
            case 5, 6, 7 -> new Row(1e-4, rp, null, 5e-4, true, RealSamples.PAIRED_HEALTHY, true,
                    FusionKind.SKIP_ADD_TANH);
            case 8 -> new Row(1e-4, rp, null, 5e-4, true, RealSamples.PAIRED_HEALTHY, true, FusionKind.SHIFTED_TANH);
            default -> throw new AssertionError(row);
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void everyRowMatchesTheThesisTable(int row) {
        Row e = expected(row);
        Pipeline p = Presets.alignedRow(row).classifier(CLASSIFIER)
                .editGenerator(g -> row >= 5 ? g.conditioning(Conditioning.features(32)) : g).build();
        // shared by every thesis config
        assertThat(p.generatorEvery()).isEqualTo(5);
        assertThat(p.seed()).isEqualTo(777);
        assertThat(p.generator().upsample()).isEqualTo(UpsampleKind.BILINEAR);
        assertThat(p.generator().skips()).containsExactly(1, 2, 3, 4);
        assertThat(p.generator().spectralNorm()).isFalse();
        assertThat(p.discriminator().channels()).hasSize(5);
        assertThat(term(p, "kl")).isEqualTo(ClassifierKl.weight(1.0));
        assertThat(term(p, "minc")).isNull();
        // the row's own columns
        assertThat(p.optimizer()).isEqualTo(Adam.lr(e.lr()).betas(0.0, 0.999).eps(1e-8));
        assertThat(term(p, "adv")).isEqualTo(e.adv());
        assertThat(term(p, "d_gp")).isEqualTo(e.adv().kind() == Adversarial.Kind.RELATIVISTIC
                ? GradientPenalty.r1r2(50.0) : null);
        assertThat(term(p, "rec")).isEqualTo(e.rec());
        assertThat(term(p, "tv")).isEqualTo(TotalVariation.weight(e.tv()));
        assertThat(p.tanhAlignment()).isEqualTo(e.tanh());
        assertThat(p.realSamples()).isEqualTo(e.real());
        boolean paired = e.real() == RealSamples.PAIRED_HEALTHY;
        assertThat(p.discriminator().projection()).isEqualTo(!paired);
        assertThat(p.targetRule()).isEqualTo(paired ? TargetRule.ALWAYS_HEALTHY : TargetRule.COIN_V1);
        assertThat(p.generator().conditioning().kind())
                .isEqualTo(e.features() ? Conditioning.Kind.FEATURES : Conditioning.Kind.LABELS);
        assertThat(p.generator().fusion()).isEqualTo(e.fusion());
        // toString shows every setting of the table
        assertThat(p.toString()).contains("name: aligned-" + row, "lr=" + e.lr(), e.adv().toString(),
                "TotalVariation[λ=" + e.tv(), "tanh alignment: " + e.tanh(), "real samples: " + e.real(),
                p.targetRule().name(), "BILINEAR", "5 blocks", e.fusion().toString(),
                e.features() ? "features(32)" : "labels(2)", paired ? "unconditional" : "projection");
        // the conditioning line names what the generator reads: the classifier's features, or the label condition
        assertThat(p.describe()).contains(e.features() ? "conditioning: features(32) (classifier features of x)"
                : "conditioning: ONE");
        if (e.rec() != null) {
            assertThat(p.toString()).contains(e.rec().toString());
        }
        if (paired && e.adv().kind() == Adversarial.Kind.RELATIVISTIC) {
            assertThat(p.toString()).contains("GradientPenalty.r1r2[λ=γ=50.0]");
        }
    }

    @Test
    void namedRowsAndTheRowsClassifiers() {
        assertThat(Presets.alignedRelativistic().classifier(CLASSIFIER).build().name()).isEqualTo("aligned-4");
        assertThat(Presets.alignedClassifierFeatures().classifier(CLASSIFIER)
                .editGenerator(g -> g.conditioning(Conditioning.features(32))).build().name()).isEqualTo("aligned-5");
        assertThat(Presets.alignedTanhClassifier().classifier(CLASSIFIER)
                .editGenerator(g -> g.conditioning(Conditioning.features(32))).build().name())
                .isEqualTo("aligned-6-tanh-classifier");
        assertThat(Presets.alignedBlackHoleClassifier().classifier(CLASSIFIER)
                .editGenerator(g -> g.conditioning(Conditioning.features(32))).build().name())
                .isEqualTo("aligned-7-black-hole-classifier");
        assertThat(Presets.alignedRow1(7).classifier(CLASSIFIER).build().losses().terms())
                .contains(Reconstruction.dilation(7).weight(1.0));
        assertThat(Presets.alignedClassifierAugmentations(5)).isEmpty();
        assertThat(Presets.alignedClassifierAugmentations(6)).containsExactly(Tanh.of());
        assertThat(Presets.alignedClassifierAugmentations(7)).containsExactly(BlackHoles.reference(), Tanh.of());
        // the classifier overload takes the classifier's own feature width (ResNet18 of width 4: 32)
        assertThat(Presets.alignedRow(6, CLASSIFIER).generator().conditioning()).isEqualTo(Conditioning.features(32));
        assertThat(Presets.alignedRow(4, CLASSIFIER).generator().conditioning()).isEqualTo(Conditioning.labels(2));
        assertThatThrownBy(() -> Presets.alignedRow(9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..8").hasMessageContaining("9");
    }

    /**
     * Each row trains a few steps at 32² with tiny networks: losses finite, and in rows 3–8 the discriminator's real
     * input is the tanh'ed healthy partner (a D-side term logs the mean of its X: −0.4 → tanh(−0.4)).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void everyRowTrainsAFewStepsAt32(int row) {
        Pipeline p = Presets.alignedRow(row, CLASSIFIER).toBuilder()
                .editGenerator(g -> g.stemChannels(4).channels(4, 8, 8, 16, 16))
                .editDiscriminator(d -> d.blocks(new int[] {4, 8, 8, 16, 16}, new int[] {2, 2, 2, 2, 2}))
                .generatorEvery(2).loss(new AlignedTrainingTest.InputMean(Player.DISCRIMINATOR)).build();
        boolean paired = p.realSamples() == RealSamples.PAIRED_HEALTHY;
        BatchLoader loader = paired ? AlignedTrainingTest.pairedLoader(AlignedTrainingTest.data())
                : BatchLoader.builder(AlignedTrainingTest.data()).batchSize(6).seed(5).build();
        List<Map<String, Double>> steps = new ArrayList<>();
        PipelineTrainer.builder(p).listeners(new TrainingListener<Object>() {
            @Override
            public void onStep(StepReport r, TrainingContext<?> c) {
                steps.add(r.losses());
            }
        }).build().fit(loader, 1);
        List<Double> inputMeans = new ArrayList<>();
        try (BatchLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                org.nd4j.linalg.api.ndarray.INDArray x = epoch.next().images();
                x = p.tanhAlignment() ? org.nd4j.linalg.ops.transforms.Transforms.tanh(x, true) : x;
                inputMeans.add(x.meanNumber().doubleValue());
            }
        }
        assertThat(steps).hasSize(2).hasSize(inputMeans.size());
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Double> v = steps.get(i);
            assertThat(v.values()).allMatch(Double::isFinite);
            assertThat(v.get(LossSet.totalName(Player.DISCRIMINATOR))).isPositive();
            double realMean = v.get(LossSet.rawName("x_mean_discriminator"));
            if (paired) {
                assertThat(realMean).as("D's real input: tanh of the healthy partner").isCloseTo(Math.tanh(-0.4),
                        within(1e-5));
            } else {
                // the batch x itself (tanh'ed in row 2), computed here from the same loader
                assertThat(realMean).as("D's real input: the batch").isCloseTo(inputMeans.get(i), within(1e-5));
            }
        }
        assertThat(steps.get(0)).containsKey(LossSet.totalName(Player.GENERATOR)); // step 0 updates the generator
    }
}
