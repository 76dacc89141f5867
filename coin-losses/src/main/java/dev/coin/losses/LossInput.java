package dev.coin.losses;

/**
 * The named tensors a loss term may need. A pipeline asks its {@link LossSet} which inputs the active terms
 * {@linkplain LossSet#requires(Player) require} and builds only those graph parts (for example the second, cyclic
 * generator pass only when some term requires {@link #X_CYCLIC}); it then hands them over in a {@link LossInputs}.
 *
 * <p>Images are NCHW in image space [−1, 1] (after the tanh alignment of COIN-Aligned when that is on); logits and
 * probabilities are {@code [B, 1]} (or {@code [B]}) per-sample values. The batch dimension may be unknown at build
 * time ({@code -1}); no term needs it.
 */
public enum LossInput {
    /** The real input batch x, {@code [B, C, H, W]}. */
    X,
    /** The counterfactual x_cf = generator(x, desired condition), {@code [B, C, H, W]}. */
    X_CF,
    /** The cyclic reconstruction x_cc: the generator applied again to x_cf (its condition is the pipeline's choice). */
    X_CYCLIC,
    /**
     * The self-reconstruction of x: the generator applied to x under x's own class (Singla et al.'s identity pass,
     * G(E(x), bin p(x)) with perturbation base x).
     */
    X_REC,
    /** Discriminator logits on the real batch (x in ORIG COIN, the paired healthy slices in COIN-Aligned). */
    D_REAL_LOGITS,
    /** Discriminator logits on x_cf (detached from the generator in the discriminator step). */
    D_FAKE_LOGITS,
    /**
     * Discriminator logits on the real batch moved along its own normalised input gradient,
     * D(x_real + σ·u) with u = ∇ₓD / ‖∇ₓD‖ per sample, u a constant (see {@link GradientPenalty}).
     */
    D_REAL_LOGITS_NUDGED,
    /** Like {@link #D_REAL_LOGITS_NUDGED} for the detached fakes: D(x̂ + σ·u). */
    D_FAKE_LOGITS_NUDGED,
    /** The frozen classifier's probability on x_cf, p(x_cf), with the gradient flowing back to x_cf. */
    CLASSIFIER_PROB_CF,
    /** The desired probability for x_cf (host-side, see {@link TargetRule}), fed as a placeholder or constant. */
    TARGET_PROB,
    /** Segmentation masks {@code [B, M, H, W]}: channel 0 background, channel 1 kidney (Singla's CARL). */
    MASKS
}
