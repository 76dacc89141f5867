/**
 * Attribution baselines behind one interface, {@link dev.coin.core.explain.SaliencyMethod} (maps in [0, 1] at the
 * input size): {@link dev.coin.core.explain.Rise}, {@link dev.coin.core.explain.ScoreCam},
 * {@link dev.coin.core.explain.LayerCam}, {@link dev.coin.core.explain.GradCam}, and COIN's own
 * {@link dev.coin.core.explain.CounterfactualDifference}. Host-side helpers: {@link dev.coin.core.explain.BilinearResize}
 * (half-pixel, clamp or mirror edges), {@link dev.coin.core.explain.RiseMasks},
 * {@link dev.coin.core.explain.LayerGradients} (∂logit/∂activation through SameDiff).
 *
 * <pre>{@code
 * List<SaliencyMethod> methods = List.of(
 *         Rise.builder().classifier(clf).seed(42).build(),
 *         ScoreCam.builder().classifier(clf).layer("layer4").build(),
 *         new LayerCam(clf, "layer4"));
 * for (SaliencyMethod m : methods) {
 *     FloatImage[] maps = m.saliency(x);   // x [B, 1, H, W] in [-1, 1]
 * }
 * }</pre>
 */
package dev.coin.core.explain;
