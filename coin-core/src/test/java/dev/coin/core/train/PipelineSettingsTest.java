package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.losses.Adversarial;
import org.junit.jupiter.api.Test;

/** Settings read as a user reads them: one default per part, one option never changes another, one meaning of "skips". */
class PipelineSettingsTest {
    private final BlobClassifier clf = new BlobClassifier();

    private Pipeline.Builder minimal(UNetPerturbation.Builder g) {
        return Pipeline.builder().classifier(clf).generator(g).loss(Adversarial.bce());
    }

    @Test
    void theDiscriminatorBuilderAndThePipelineHaveOneDefaultTheFiveBlockOne() {
        ResNetDiscriminator byDefault = ResNetDiscriminator.builder().build();
        assertThat(byDefault).isEqualTo(ResNetDiscriminator.fiveBlocks().build());
        assertThat(byDefault.channels()).containsExactly(64, 128, 256, 512, 1024);
        assertThat(byDefault.downsample()).containsExactly(2, 2, 2, 2, 2);
        assertThat(minimal(UNetPerturbation.withSkips(4)).build().discriminator()).isEqualTo(byDefault);
        // the synthetic configurations' six-block discriminator is named, and the synthetic presets use it
        assertThat(ResNetDiscriminator.sixBlocks().build().channels()).containsExactly(64, 128, 256, 512, 1024, 1024);
        assertThat(ResNetDiscriminator.sixBlocks().build().downsample()).containsExactly(2, 2, 2, 2, 2, 1);
        assertThat(Presets.coinSynthetic(clf).discriminator()).isEqualTo(ResNetDiscriminator.sixBlocks().build());
        assertThat(Presets.singla(clf).discriminator()).isEqualTo(ResNetDiscriminator.sixBlocks().build());
        assertThat(Presets.coin(clf).discriminator()).isEqualTo(byDefault);
    }

    @Test
    void perturbationOnKeepsTheFusionAndOffThenOnRestoresIt() {
        UNetPerturbation.Builder aligned = UNetPerturbation.withSkips(4).fusion(FusionKind.SHIFTED_TANH);
        assertThat(minimal(aligned).perturbation(true).build().generator().fusion())
                .isEqualTo(FusionKind.SHIFTED_TANH);
        Pipeline off = minimal(aligned).perturbation(false).build();
        assertThat(off.generator().fusion()).isEqualTo(FusionKind.NONE);
        assertThat(off.perturbation()).isFalse();
        // off, another edit, on again: the fusion it had, not COIN's default
        assertThat(minimal(aligned).perturbation(false).generatorWidths(4, 8, 8, 16, 16).perturbation(true).build()
                .generator().fusion()).isEqualTo(FusionKind.SHIFTED_TANH);
        // a generator that never perturbed gets COIN's tanh(x + g), and its skips stay
        Pipeline b = Presets.singlaRow('B').classifier(clf).build();
        assertThat(b.generator().fusion()).isEqualTo(FusionKind.SKIP_ADD_TANH);
        assertThat(Presets.singla().perturbation(true).skipsUpTo(2).perturbation(true).classifier(clf).build()
                .generator().skips()).containsExactly(1, 2);
        // a new generator forgets the fusion switched off on the old one
        assertThat(minimal(aligned).perturbation(false).generator(UNetPerturbation.withSkips(4)
                .fusion(FusionKind.NONE)).perturbation(true).build().generator().fusion())
                .isEqualTo(FusionKind.SKIP_ADD_TANH);
    }

    @Test
    void skipsReadTheSameWayInTheGeneratorAndThePipeline() {
        // "up to n": levels 1..n, as the paper's ablation rows (sc1, sc12, sc123, sc1234)
        assertThat(UNetPerturbation.withSkips(3).build().skips()).containsExactly(1, 2, 3);
        assertThat(minimal(UNetPerturbation.withSkips(0)).skipsUpTo(3).build().generator().skips())
                .containsExactly(1, 2, 3);
        assertThat(UNetPerturbation.builder().skipsUpTo(3).build().skips()).containsExactly(1, 2, 3);
        // explicit levels: exactly these
        assertThat(UNetPerturbation.withSkipLevels(3).build().skips()).containsExactly(3);
        assertThat(minimal(UNetPerturbation.withSkips(4)).skipLevels(3).build().generator().skips())
                .containsExactly(3);
        assertThat(minimal(UNetPerturbation.withSkips(4)).skipLevels(1, 3).build().generator().skips())
                .containsExactly(1, 3);
        assertThat(minimal(UNetPerturbation.withSkips(4)).skipLevels().build().generator().skips()).isEmpty();
        // the Table 1 rows C–F are "up to 1 / 2 / 3 / 4"
        assertThat(Presets.singlaRow('E').classifier(clf).build().generator().skips()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> minimal(UNetPerturbation.withSkips(4)).skipsUpTo(5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skipsUpTo(5)")
                .hasMessageContaining("0..4").hasMessageContaining("skipLevels");
        assertThatThrownBy(() -> minimal(UNetPerturbation.withSkips(4)).skipLevels(0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip level 0");
    }
}
