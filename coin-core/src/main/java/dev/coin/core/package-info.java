/**
 * The user-facing entry points: {@link dev.coin.core.Pipeline} (builder of a complete COIN-style system),
 * {@link dev.coin.core.Presets} (the reference configurations: COIN TUH / synthetic, Singla Table 1 rows A–H) and
 * {@link dev.coin.core.TrainedPipeline} (trained weights, metrics, eval-mode counterfactuals, save/load) and
 * {@link dev.coin.core.Explanation} (one slice's counterfactual, difference map, masks and panel).
 *
 * <pre>{@code
 * Pipeline p = Presets.coin(classifier);
 * TrainedPipeline t = p.fit(trainSlices, 100, new ProgressBar());
 * TrainedPipeline.Counterfactual cf = t.counterfactual(x);
 * Explanation e = t.explain(slice);
 * e.mask(MaskPolicy.DEFAULT.postProcess(PostProcessing.OPEN_CLOSE_LARGEST)).iou(slice.mask("tumour"));
 * t.save(Path.of("models/coin"));                       // TrainedPipeline.load(...) reads it back
 * }</pre>
 */
package dev.coin.core;
