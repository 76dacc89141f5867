package dev.coin.core.model;

/**
 * How the generator's one-channel map {@code g} is turned into the counterfactual {@code x_cf} (reference §1.3, §9.6).
 */
public enum FusionKind {
    /** {@code x_cf = tanh(x + g)} — COIN ("skip_add_tanh", perturbation on). */
    SKIP_ADD_TANH("skip_add_tanh"),
    /** {@code x_cf = tanh(g)} — perturbation off ({@code ptb_based = false}). */
    NONE(null),
    /** {@code x_cf = tanh(x + (tanh(g) − 0.6)/0.8)} — COIN-Aligned ("skip_add_shifted_normalize_tanh"). */
    SHIFTED_TANH("skip_add_shifted_normalize_tanh"),
    /** {@code x_cf = tanh(x + g / max(‖g‖₂ over H,W, 1))} per sample and channel ("skip_add_l2_tanh"). */
    L2_TANH("skip_add_l2_tanh"),
    /** {@code x_cf = (x + tanh(g)) / 2} ("skip_tanh_avg"). */
    TANH_AVG("skip_tanh_avg"),
    /** {@code x_cf = clamp(x + tanh(g), −1, 1)} ("skip_tanh_clamp"). */
    TANH_CLAMP("skip_tanh_clamp"),
    /** {@code tanh(Conv3×3(concat(g, x)))} ("skip_stack_3x3conv_tanh"); not implemented yet. */
    STACK_3X3_CONV_TANH("skip_stack_3x3conv_tanh");

    private final String referenceName;

    FusionKind(String referenceName) {
        this.referenceName = referenceName;
    }

    /** The reference config value of {@code ptb_fuse_type} ({@code null} for {@link #NONE}). */
    public String referenceName() {
        return referenceName;
    }

    /** The kind for a reference {@code ptb_fuse_type} value ({@code null} → {@link #NONE}). */
    public static FusionKind fromReferenceName(String name) {
        if (name == null) {
            return NONE;
        }
        for (FusionKind k : values()) {
            if (name.equals(k.referenceName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown ptb_fuse_type '" + name + "'; expected one of skip_add_tanh, "
                + "skip_add_shifted_normalize_tanh, skip_add_l2_tanh, skip_tanh_avg, skip_tanh_clamp, skip_stack_3x3conv_tanh or null");
    }
}
