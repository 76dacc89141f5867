package dev.coin.core.train;

import dev.coin.core.Adam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.ConditioningMode;
import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.losses.Adversarial;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Reconstruction;
import dev.coin.losses.TargetRule;
import dev.coin.losses.TotalVariation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every preset against the reference's §4.5 table, and the builder's validation. */
class PresetsTest {
    private final BlobClassifier clf = new BlobClassifier();

    private static LossTerm term(Pipeline p, String name) {
        return p.losses().terms().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /** The settings every GAN config shares (§4.5 last paragraph). */
    private static void assertCommon(Pipeline p) {
        assertThat(p.generatorEvery()).isEqualTo(5);
        assertThat(p.optimizer()).isEqualTo(Adam.lr(2e-4).betas(0.0, 0.999).eps(1e-8));
        assertThat(p.seed()).isEqualTo(777);
        assertThat(term(p, "adv")).isEqualTo(Adversarial.bce()); // the configs' "mse" selects BCE
        assertThat(p.toString()).contains("Adam[lr=2.0E-4, betas=(0.0, 0.999), eps=1.0E-8]", "generator every: 5",
                "seed: 777", "Adversarial.bce[λ=1.0]");
    }

    @Test
    void coinTuhMatchesTheReferenceTable() {
        Pipeline p = Presets.coin(clf);
        assertCommon(p);
        UNetPerturbation g = p.generator();
        assertThat(g.fusion()).isEqualTo(FusionKind.SKIP_ADD_TANH);
        assertThat(g.skips()).containsExactly(1, 2, 3, 4);
        assertThat(g.upsample()).isEqualTo(UpsampleKind.BILINEAR);
        assertThat(g.spectralNorm()).isFalse();
        assertThat(g.encoderChannels()).containsExactly(64, 128, 256, 512, 1024);
        assertThat(p.discriminator().channels()).hasSize(5);
        assertThat(term(p, "kl")).isEqualTo(ClassifierKl.weight(1.0));
        assertThat(term(p, "rec")).isEqualTo(Reconstruction.cyclicL1().weight(1.0));
        assertThat(term(p, "minc").weight()).isZero();
        assertThat(term(p, "tv")).isEqualTo(TotalVariation.weight(5e-5));
        assertThat(p.targetRule()).isEqualTo(TargetRule.COIN_V1);
        assertThat(p.conditioningMode()).isEqualTo(ConditioningMode.ONE);
        assertThat(p.toString()).contains("λ=5.0E-5", "BILINEAR", "SN off", "skips [1, 2, 3, 4]", "COIN_V1",
                "conditioning: ONE", "5 blocks");
    }

    @Test
    void coinSyntheticMatchesTheReferenceTable() {
        Pipeline p = Presets.coinSynthetic(clf);
        assertCommon(p);
        assertThat(p.generator().fusion()).isEqualTo(FusionKind.SKIP_ADD_TANH);
        assertThat(p.generator().skips()).containsExactly(1, 2, 3, 4);
        assertThat(p.generator().upsample()).isEqualTo(UpsampleKind.NEAREST);
        assertThat(p.generator().spectralNorm()).isTrue();
        assertThat(p.discriminator()).isEqualTo(ResNetDiscriminator.sixBlocks().build());
        assertThat(p.discriminator().channels()).containsExactly(64, 128, 256, 512, 1024, 1024);
        assertThat(term(p, "kl")).isEqualTo(ClassifierKl.weight(5.0));
        assertThat(term(p, "rec")).isEqualTo(Reconstruction.cyclicL1().weight(1.0));
        assertThat(term(p, "minc")).isEqualTo(Reconstruction.minc(1.0));
        assertThat(term(p, "tv")).isEqualTo(TotalVariation.weight(0.05));
        assertThat(p.toString()).contains("ClassifierKl[λ=5.0", "Reconstruction.minc[λ=1.0", "TotalVariation[λ=0.05",
                "NEAREST", "SN on", "6 blocks");
    }

    private record Row(char row, boolean perturbation, Set<Integer> skips, Reconstruction rec) {
    }

    @Test
    void everySinglaRowMatchesTable1() {
        Reconstruction carl = Reconstruction.carl().weight(1.0);
        Reconstruction l1 = Reconstruction.singlaL1().weight(1.0);
        List<Row> rows = List.of(new Row('A', false, Set.of(), carl), new Row('B', true, Set.of(), carl),
                new Row('C', true, Set.of(1), carl), new Row('D', true, Set.of(1, 2), carl),
                new Row('E', true, Set.of(1, 2, 3), carl), new Row('F', true, Set.of(1, 2, 3, 4), carl),
                new Row('G', true, Set.of(1, 2, 3, 4), l1), new Row('H', false, Set.of(1, 2, 3, 4), l1));
        for (Row r : rows) {
            Pipeline p = Presets.singlaRow(r.row()).classifier(clf).build();
            String at = "row " + r.row();
            assertCommon(p);
            assertThat(p.perturbation()).as(at).isEqualTo(r.perturbation());
            assertThat(p.generator().fusion()).as(at).isEqualTo(r.perturbation() ? FusionKind.SKIP_ADD_TANH : FusionKind.NONE);
            assertThat(p.generator().skips()).as(at).containsExactlyInAnyOrderElementsOf(r.skips());
            assertThat(term(p, "rec")).as(at).isEqualTo(r.rec());
            assertThat(term(p, "kl")).as(at).isEqualTo(ClassifierKl.weight(1.0));
            assertThat(term(p, "minc")).as(at).isNull();
            assertThat(term(p, "tv")).as(at).isNull();
            assertThat(p.generator().upsample()).as(at).isEqualTo(UpsampleKind.NEAREST);
            assertThat(p.generator().spectralNorm()).as(at).isTrue();
            assertThat(p.discriminator().channels()).as(at).hasSize(6);
            assertThat(p.targetRule()).as(at).isEqualTo(TargetRule.SINGLA);
            assertThat(p.conditioningMode()).as(at).isEqualTo(ConditioningMode.TWO);
            assertThat(p.toString()).as(at).contains("perturbation: " + r.perturbation(), "conditioning: TWO");
        }
        assertThat(Presets.singla(clf).describe().replace("name: singla", ""))
                .isEqualTo(Presets.singlaRow('A').classifier(clf).build().describe().replace("name: singla-A", ""));
        assertThat(Presets.singlaStar(clf).describe().replace("name: singla-star", ""))
                .isEqualTo(Presets.singlaRow('H').classifier(clf).build().describe().replace("name: singla-H", ""));
    }

    @Test
    void presetsWithoutClassifierFailInBuildWithAnActionableMessage() {
        assertThatThrownBy(() -> Presets.coin().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no classifier set").hasMessageContaining(".classifier(");
        assertThat(Presets.coin().toString()).isNotNull();
    }

    @Test
    void builderRejectsMissingAndInvalidParts() {
        Pipeline.Builder base = Pipeline.builder().classifier(clf).generator(TinyData.generator())
                .discriminator(TinyData.discriminator()).loss(Adversarial.bce());
        assertThat(base.build().losses().terms()).hasSize(1);
        assertThatThrownBy(() -> Pipeline.builder().classifier(clf).discriminator(TinyData.discriminator()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no generator set")
                .hasMessageContaining(".generator(");
        // the product owner's sentence: no discriminator given means the reference's 5-block one
        Pipeline minimal = Pipeline.builder().classifier(clf).generator(UNetPerturbation.withSkips(4))
                .loss(Adversarial.bce()).build();
        assertThat(minimal.discriminator()).isEqualTo(ResNetDiscriminator.fiveBlocks().build());
        assertThatThrownBy(() -> Pipeline.builder().classifier(clf).generator(TinyData.generator())
                .loss(ClassifierKl.weight(1.0)).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Adversarial.bce()");
        // a fusion that cannot build a graph fails when its spec is built, not at graph build
        assertThatThrownBy(() -> UNetPerturbation.withSkips(4).fusion(FusionKind.STACK_3X3_CONV_TANH).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STACK_3X3_CONV_TANH")
                .hasMessageContaining("SKIP_ADD_TANH");
        assertThatThrownBy(() -> Pipeline.builder().classifier(clf).generator(TinyData.generator())
                .discriminator(TinyData.discriminator()).loss(ClassifierKl.weight(1.0)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Adversarial.bce()");
        assertThatThrownBy(() -> Presets.coin().loss(ClassifierKl.weight(2.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kl' is already set")
                .hasMessageContaining("replaceLoss");
        assertThatThrownBy(() -> Presets.singla().replaceLoss(TotalVariation.weight(1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no loss term named 'tv'");
        assertThatThrownBy(() -> Pipeline.builder().generatorEvery(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generatorEvery must be >= 1, got 0");
        assertThatThrownBy(() -> Pipeline.builder().skipLevels(1, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no generator is set");
        assertThatThrownBy(() -> Presets.singlaRow('Z')).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A–H").hasMessageContaining("'Z'");
        assertThatThrownBy(() -> Adam.lr(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning rate").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> Adam.lr(1e-3).betas(0.5, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta2");
    }

    @Test
    void pipelinesAreImmutableAndToBuilderRoundTrips() {
        Pipeline p = Presets.coinSynthetic(clf);
        Pipeline q = p.toBuilder().seed(1).generatorEvery(2).build();
        assertThat(p.seed()).isEqualTo(777);
        assertThat(p.generatorEvery()).isEqualTo(5);
        assertThat(q.seed()).isEqualTo(1);
        assertThat(p.toBuilder().build().describe()).isEqualTo(p.describe());
        assertThat(q.describe()).isNotEqualTo(p.describe());
    }

    @Test
    void editingAPresetsGeneratorKeepsItsOtherSettingsAndShowsTheChange() {
        Pipeline p = Presets.coinSynthetic().classifier(clf).generatorWidths(16, 32, 64, 128, 256)
                .editGenerator(g -> g.stemChannels(16)).build();
        UNetPerturbation g = p.generator();
        assertThat(g.upsample()).isEqualTo(UpsampleKind.NEAREST);   // the synthetic preset's, kept
        assertThat(g.spectralNorm()).isTrue();
        assertThat(g.encoderChannels()).containsExactly(16, 32, 64, 128, 256);
        assertThat(g.decoderChannels()).as("the decoder follows the encoder widths").containsExactly(256, 128, 64, 32, 16);
        assertThat(g.stemChannels()).isEqualTo(16);
        assertThat(p.changesFromPreset()).containsExactly(
                "generator.decoderChannels: [1024,512,256,128,64] → [256,128,64,32,16]",
                "generator.encoderChannels: [64,128,256,512,1024] → [16,32,64,128,256]",
                "generator.stemChannels: 64 → 16");
        assertThat(p.toString()).contains("changed from preset 'coin-synthetic': generator.decoderChannels");
        // a Singla row keeps its skips when only the widths change
        Pipeline c = Presets.singlaRow('C').classifier(clf).generatorWidths(8, 16, 32, 64, 128).build();
        assertThat(c.generator().skips()).containsExactly(1);
        assertThat(c.generator().fusion()).isEqualTo(FusionKind.SKIP_ADD_TANH);
        // replacing the whole generator is visible too
        Pipeline replaced = Presets.coinSynthetic().classifier(clf).generator(UNetPerturbation.withSkips(4)).build();
        assertThat(replaced.changesFromPreset()).anyMatch(d -> d.startsWith("generator.upsample: \"NEAREST\" → "
                + "\"BILINEAR\""));
        // nothing changed but the classifier: no changes listed
        assertThat(Presets.coin(clf).changesFromPreset()).isEmpty();
        assertThat(Presets.coin(clf).toString()).doesNotContain("changed from preset");
    }

    @Test
    void batchingEpochsAndTheRunFolderCannotBeSetOnAPipeline() {
        // one owner per setting: the loader owns batching, the fit call the epochs, the trainer the run folder
        java.util.Set<String> builderMethods = java.util.Arrays.stream(Pipeline.Builder.class.getMethods())
                .map(java.lang.reflect.Method::getName).collect(java.util.stream.Collectors.toSet());
        assertThat(builderMethods).doesNotContain("batchSize", "epochs", "runDirectory", "fit")
                .contains("seed", "generatorEvery", "optimizer");
        java.util.Set<String> pipelineMethods = java.util.Arrays.stream(Pipeline.class.getMethods())
                .map(java.lang.reflect.Method::getName).collect(java.util.stream.Collectors.toSet());
        assertThat(pipelineMethods).doesNotContain("batchSize", "epochs", "runDirectory", "fit");
    }
}
