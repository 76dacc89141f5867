/**
 * From a difference or saliency map to a binary mask: {@link dev.coin.core.mask.Masks} (the one difference-map
 * formula |x − x_cf|/2 in unit space, and the reference thresholds 0.25 / 0.975), {@link dev.coin.core.mask.MaskPolicy}
 * (threshold + post-processing), {@link dev.coin.core.mask.Mask} (area, IoU), {@link dev.coin.core.mask.PostProcessing}
 * (open 3×3 → close 3×3 → largest 8-connected component), {@link dev.coin.core.mask.Morphology} and
 * {@link dev.coin.core.mask.Confusion} (pixel counts and the per-image IoU convention).
 */
package dev.coin.core.mask;
