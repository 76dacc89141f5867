/**
 * The user-facing entry points: {@link dev.coin.core.Pipeline} (builder of a complete COIN-style system),
 * {@link dev.coin.core.Presets} (the reference configurations: COIN TUH / synthetic, Singla Table 1 rows A–H) and
 * {@link dev.coin.core.TrainedPipeline} (trained weights, metrics, eval-mode counterfactuals).
 *
 * <pre>{@code
 * Pipeline p = Presets.coin(classifier);
 * TrainedPipeline t = p.fit(trainSlices, 100, new ProgressBar());
 * TrainedPipeline.Counterfactual cf = t.counterfactual(x);
 * }</pre>
 */
package dev.coin.core;
