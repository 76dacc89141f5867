package dev.coin.core;

import dev.coin.core.model.Classifier;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.Adam;
import dev.coin.losses.Adversarial;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.Reconstruction;
import dev.coin.losses.TargetRule;
import dev.coin.losses.TotalVariation;
import java.util.Objects;

/**
 * The reference configurations (reference §4.5). Each exists as {@code preset()} — a builder without a classifier
 * ({@link Pipeline.Builder#build()} fails until one is set) — and {@code preset(classifier)} — the built pipeline.
 *
 * <p>Where the reference's code and text disagree the code is followed: the adversarial loss is BCE-with-logits
 * (the configs' {@code adv_loss: mse} selects BCE), λ_minc defaults to 1 in the synthetic COIN, Adam β2 is 0.999.
 *
 * <pre>{@code
 * Pipeline coin = Presets.coin(classifier);                        // TUH COIN
 * Pipeline rowC = Presets.singlaRow('C').classifier(clf).build();  // Table 1 row C (perturbation, skip 1, CARL)
 * Pipeline mine = Presets.singla().perturbation(true).skipLevels(1, 3).classifier(clf).build();  // skips {1, 3}
 * }</pre>
 */
public final class Presets {
    private Presets() {
    }

    private static Pipeline.Builder common() {
        return Pipeline.builder().optimizer(Adam.lr(2e-4).betas(0.0, 0.999).eps(1e-8)).generatorEvery(5).seed(777);
    }

    /** Paper COIN on TUH (tuh/cf_inpainting): skips 1234, bilinear, no SN, 5-block D, λ_tv 5e-5, λ_minc 0. */
    public static Pipeline.Builder coin() {
        return common().name("coin")
                .generator(UNetPerturbation.withSkips(4).upsample(UpsampleKind.BILINEAR).spectralNorm(false)
                        .fusion(FusionKind.SKIP_ADD_TANH))
                .discriminator(ResNetDiscriminator.fiveBlocks())
                .loss(Adversarial.bce())
                .loss(ClassifierKl.weight(1.0))
                .loss(Reconstruction.cyclicL1().weight(1.0))
                .loss(Reconstruction.minc(0.0))
                .loss(TotalVariation.weight(5e-5))
                .targetRule(TargetRule.COIN_V1)
                .asPreset();
    }

    /** {@link #coin()} with the classifier set. */
    public static Pipeline coin(Classifier classifier) {
        return coin().classifier(Objects.requireNonNull(classifier, "classifier")).build();
    }

    /**
     * Paper COIN on the synthetic data: nearest upsampling, SN in E/G, 6-block D, λ_kl 5, λ_minc 1 (the reference's
     * default when the key is absent), λ_tv 0.05, 151 epochs.
     */
    public static Pipeline.Builder coinSynthetic() {
        return common().name("coin-synthetic")
                .generator(UNetPerturbation.withSkips(4).upsample(UpsampleKind.NEAREST).spectralNorm(true)
                        .fusion(FusionKind.SKIP_ADD_TANH))
                .discriminator(ResNetDiscriminator.sixBlocks())
                .loss(Adversarial.bce())
                .loss(ClassifierKl.weight(5.0))
                .loss(Reconstruction.cyclicL1().weight(1.0))
                .loss(Reconstruction.minc(1.0))
                .loss(TotalVariation.weight(0.05))
                .targetRule(TargetRule.COIN_V1)
                .asPreset();
    }

    /** {@link #coinSynthetic()} with the classifier set. */
    public static Pipeline coinSynthetic(Classifier classifier) {
        return coinSynthetic().classifier(Objects.requireNonNull(classifier, "classifier")).build();
    }

    /** Singla et al. as re-implemented (Table 1 A): no perturbation, no skips, two conditions, CARL. */
    public static Pipeline.Builder singla() {
        return common().name("singla")
                .generator(UNetPerturbation.withSkips(0).upsample(UpsampleKind.NEAREST).spectralNorm(true)
                        .fusion(FusionKind.NONE))
                .discriminator(ResNetDiscriminator.sixBlocks())
                .loss(Adversarial.bce())
                .loss(ClassifierKl.weight(1.0))
                .loss(Reconstruction.carl().weight(1.0))
                .targetRule(TargetRule.SINGLA)
                .asPreset();
    }

    /** {@link #singla()} with the classifier set. */
    public static Pipeline singla(Classifier classifier) {
        return singla().classifier(Objects.requireNonNull(classifier, "classifier")).build();
    }

    /** Singla* (Table 1 H): no perturbation, skips 1234, plain L1 reconstruction. */
    public static Pipeline.Builder singlaStar() {
        return singlaRow('H').name("singla-star").asPreset();
    }

    /** {@link #singlaStar()} with the classifier set. */
    public static Pipeline singlaStar(Classifier classifier) {
        return singlaStar().classifier(Objects.requireNonNull(classifier, "classifier")).build();
    }

    /**
     * A row of the Singla ablation (Table 1): A no perturbation/no skips/CARL, B perturbation/no skips/CARL, C–F
     * perturbation with skips 1 / 12 / 123 / 1234 and CARL, G perturbation/1234/L1, H no perturbation/1234/L1.
     *
     * @throws IllegalArgumentException for a row outside A–H
     */
    public static Pipeline.Builder singlaRow(char row) {
        Pipeline.Builder b = singla().name("singla-" + Character.toUpperCase(row));
        switch (Character.toUpperCase(row)) {
            case 'A':
                return b.asPreset();
            case 'B':
                return b.perturbation(true).asPreset();
            case 'C':
                return b.perturbation(true).skipsUpTo(1).asPreset();
            case 'D':
                return b.perturbation(true).skipsUpTo(2).asPreset();
            case 'E':
                return b.perturbation(true).skipsUpTo(3).asPreset();
            case 'F':
                return b.perturbation(true).skipsUpTo(4).asPreset();
            case 'G':
                return b.perturbation(true).skipsUpTo(4).replaceLoss(Reconstruction.singlaL1().weight(1.0)).asPreset();
            case 'H':
                return b.perturbation(false).skipsUpTo(4).replaceLoss(Reconstruction.singlaL1().weight(1.0)).asPreset();
            default:
                throw new IllegalArgumentException("Table 1 row must be one of A–H, got '" + row + "'");
        }
    }
}
