package dev.coin.core.nn;

/** ×2 upsampling kinds of the reference decoder. */
public enum UpsampleKind {
    /** {@code out[i] = in[floor(i/2)]} (synthetic configs). */
    NEAREST,
    /** Bilinear with align_corners = TRUE (PyTorch's {@code UpsamplingBilinear2d}; TUH configs). */
    BILINEAR
}
