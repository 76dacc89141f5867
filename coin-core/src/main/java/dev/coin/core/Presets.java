package dev.coin.core;

import dev.coin.core.model.Classifier;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.Adam;
import dev.coin.core.nn.Conditioning;
import dev.coin.losses.Adversarial;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.GradientPenalty;
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
 * Pipeline row6 = Presets.alignedRow(6).classifier(tanhClassifier).build();  // COIN-Aligned thesis row 6
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

    // ---- COIN-Aligned (reference §9, thesis Table 1 rows 0–8) ----------------------------------------------------

    /** The reference's feature width of the classifier-feature CBN: EfficientNetV2-S's 1280 (§9.5). */
    public static final int ALIGNED_FEATURES = 1280;

    /** What the thesis configs share: bilinear, skips 1234, no SN in E/G, 5-block D, λ_kl 1, λ_minc 0, k = 5. */
    private static Pipeline.Builder alignedCommon(int row) {
        return common().name("aligned-" + row)
                .generator(UNetPerturbation.withSkips(4).upsample(UpsampleKind.BILINEAR).spectralNorm(false)
                        .fusion(FusionKind.SKIP_ADD_TANH))
                .discriminator(ResNetDiscriminator.fiveBlocks())
                .loss(ClassifierKl.weight(1.0))
                .targetRule(TargetRule.COIN_V1);
    }

    /**
     * A row of the COIN-Aligned thesis table (reference §9): every setting of its config. The columns that are not
     * pipeline settings belong to other owners: the dataset (rows 3–8 pair each tumour slice with a healthy one, so
     * their loader needs {@code PairedHealthySampler}; rows 0–2 use the balanced sampler), the classifier (rows 6 and 7
     * explain a classifier trained with {@link #alignedClassifierAugmentations}; the name says which), batch 16 (the
     * loader) and 100 epochs (the fit call).
     * <ul>
     *   <li>0 — the COIN baseline: lr 2e-4, BCE, forward + cyclic L1 (λ 1), λ_tv 5e-5, projection D on x.</li>
     *   <li>1 — 0 with the dilation reconstruction, k = 3 (the thesis also ran k = 7: {@link #alignedRow1}).</li>
     *   <li>2 — tanh alignment, no reconstruction, λ_tv 5e-4.</li>
     *   <li>3 — lr 1e-4, paired healthy slices as D's real input, unconditional D, always generate healthy.</li>
     *   <li>4 — 3 with the relativistic loss and R1 + R2, γ = 50 ({@link #alignedRelativistic()}).</li>
     *   <li>5 — 4 with classifier features in every CBN ({@link #alignedClassifierFeatures()}).</li>
     *   <li>6 — 5 explaining a tanh-augmented classifier ({@link #alignedTanhClassifier()}).</li>
     *   <li>7 — 5 explaining a tanh + black-hole augmented classifier ({@link #alignedBlackHoleClassifier()}).</li>
     *   <li>8 — 5 with the shifted tanh fusion, x_cf = tanh(x + (tanh(g) − 0.6)/0.8).</li>
     * </ul>
     * Rows 5–8 set {@code Conditioning.features(1280)}, the reference's hard-wired EfficientNetV2-S width; for another
     * classifier use {@link #alignedRow(int, Classifier)}, which sets the width from the classifier.
     *
     * @throws IllegalArgumentException for a row outside 0–8
     */
    public static Pipeline.Builder alignedRow(int row) {
        switch (row) {
            case 0:
                return alignedCommon(0).loss(Adversarial.bce()).loss(Reconstruction.cyclicL1().weight(1.0))
                        .loss(TotalVariation.weight(5e-5)).asPreset();
            case 1:
                return alignedRow1(3);
            case 2:
                return alignedCommon(2).loss(Adversarial.bce()).loss(TotalVariation.weight(5e-4)).tanhAlignment(true)
                        .asPreset();
            case 3:
                return paired(alignedCommon(3).loss(Adversarial.bce())).asPreset();
            case 4:
                return relativistic(alignedCommon(4)).asPreset();
            case 5:
                return features(relativistic(alignedCommon(5))).asPreset();
            case 6:
                return features(relativistic(alignedCommon(6))).name("aligned-6-tanh-classifier").asPreset();
            case 7:
                return features(relativistic(alignedCommon(7))).name("aligned-7-black-hole-classifier").asPreset();
            case 8:
                return features(relativistic(alignedCommon(8))).editGenerator(g -> g.fusion(FusionKind.SHIFTED_TANH))
                        .asPreset();
            default:
                throw new IllegalArgumentException("COIN-Aligned thesis row must be in 0..8, got " + row);
        }
    }

    /**
     * {@link #alignedRow(int)} with the classifier set; in rows 5–8 the classifier-feature CBN takes the classifier's
     * own feature width (512 for ResNet18), so that the rows work beyond the reference's EfficientNetV2-S.
     */
    public static Pipeline alignedRow(int row, Classifier classifier) {
        Objects.requireNonNull(classifier, "classifier");
        Pipeline.Builder b = alignedRow(row).classifier(classifier);
        if (row >= 5) {
            int width = Pipeline.featureWidth(classifier);
            b.editGenerator(g -> g.conditioning(Conditioning.features(width)));
        }
        return b.build();
    }

    /** Row 1 with dilation kernel {@code k} (the thesis ran 3 and 7). */
    public static Pipeline.Builder alignedRow1(int k) {
        return alignedCommon(1).name("aligned-1-dilation-" + k).loss(Adversarial.bce())
                .loss(Reconstruction.dilation(k).weight(1.0)).loss(TotalVariation.weight(5e-5)).asPreset();
    }

    /** Thesis row 4: relativistic loss with R1 + R2 (γ = 50), paired healthy D, tanh alignment. */
    public static Pipeline.Builder alignedRelativistic() {
        return alignedRow(4);
    }

    /** Thesis row 5: row 4 with the classifier's penultimate features in every CBN. */
    public static Pipeline.Builder alignedClassifierFeatures() {
        return alignedRow(5);
    }

    /** Thesis row 6: row 5 explaining a classifier trained with tanh'ed batches (the thesis's best row). */
    public static Pipeline.Builder alignedTanhClassifier() {
        return alignedRow(6);
    }

    /** Thesis row 7: row 5 explaining a classifier trained with tanh and black holes. */
    public static Pipeline.Builder alignedBlackHoleClassifier() {
        return alignedRow(7);
    }

    /**
     * The classifier augmentations a row's classifier was trained with (§9.8): none for rows 0–5 and 8, tanh for
     * row 6, black holes then tanh for row 7 (black holes first, at native resolution, as the reference's pipeline).
     *
     * @throws IllegalArgumentException for a row outside 0–8
     */
    public static java.util.List<dev.coin.data.augment.Transform> alignedClassifierAugmentations(int row) {
        if (row < 0 || row > 8) {
            throw new IllegalArgumentException("COIN-Aligned thesis row must be in 0..8, got " + row);
        }
        return switch (row) {
            case 6 -> java.util.List.of(dev.coin.data.augment.Tanh.of());
            case 7 -> java.util.List.of(dev.coin.data.augment.BlackHoles.reference(), dev.coin.data.augment.Tanh.of());
            default -> java.util.List.of();
        };
    }

    /** Rows 3–8: lr 1e-4, no reconstruction, λ_tv 5e-4, tanh alignment, paired healthy reals, always healthy. */
    private static Pipeline.Builder paired(Pipeline.Builder b) {
        return b.optimizer(Adam.lr(1e-4).betas(0.0, 0.999).eps(1e-8)).loss(TotalVariation.weight(5e-4))
                .tanhAlignment(true).realSamples(RealSamples.PAIRED_HEALTHY).targetRule(TargetRule.ALWAYS_HEALTHY)
                .editDiscriminator(d -> d.projection(false));
    }

    private static Pipeline.Builder relativistic(Pipeline.Builder b) {
        return paired(b.loss(Adversarial.relativistic()).loss(GradientPenalty.r1r2(50.0)));
    }

    private static Pipeline.Builder features(Pipeline.Builder b) {
        return b.editGenerator(g -> g.conditioning(Conditioning.features(ALIGNED_FEATURES)));
    }
}
