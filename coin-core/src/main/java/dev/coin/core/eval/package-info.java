/**
 * Evaluation of explanations: masks and post-processing, segmentation and counterfactual metrics, threshold
 * policies, and reports.
 *
 * <ul>
 *   <li>Masks: {@link dev.coin.core.mask.MaskPolicy} and {@link dev.coin.core.mask.Mask} (the user-facing pair:
 *       threshold + post-processing, and the binary mask with area and IoU),
 *       {@link dev.coin.core.mask.Masks} (difference map in unit space, thresholds 0.25 / 0.975),
 *       {@link dev.coin.core.mask.PostProcessing} (open 3×3 → close 3×3 → largest 8-connected component),
 *       {@link dev.coin.core.mask.Morphology}.</li>
 *   <li>Metrics (streaming; names keep the definitions apart): {@link dev.coin.core.eval.AggregatedIou} (COIN
 *       paper), {@link dev.coin.core.eval.MeanPerImageIou} (COIN-Aligned), {@link dev.coin.core.eval.PixelErrorRate},
 *       {@link dev.coin.core.eval.CounterfactualValidity}, {@link dev.coin.core.eval.FlipAccuracy},
 *       {@link dev.coin.core.eval.ClassifierFeatureFid} (not the Inception FID).</li>
 *   <li>Thresholds: {@link dev.coin.core.eval.ThresholdSweep} (best threshold, uses labels: optimistic, chosen on
 *       the images it is scored on), {@link dev.coin.core.eval.HeldOutThreshold} (the same sweep cross-fitted over
 *       two folds by scan, each half scored with the other half's threshold: the fair tuned number) and
 *       {@link dev.coin.core.eval.LabelFreeThreshold} (percentile of healthy-slice maps).</li>
 *   <li>Drivers: {@link dev.coin.core.eval.CounterfactualEvaluation} (the reference's evaluation loop given the
 *       classifier and generator outputs), {@link dev.coin.core.eval.ExplanationEvaluation} (any map method).</li>
 *   <li>Reports: {@link dev.coin.core.report.SummaryTable} (CSV, Markdown), {@link dev.coin.core.report.BoxPlot},
 *       {@link dev.coin.core.report.CounterfactualPanel}.</li>
 * </ul>
 *
 * <p>{@link dev.coin.core.eval.Evaluation} runs all of it for a trained pipeline and the baselines in one call
 * ({@code Evaluation.builder().counterfactual("COIN", t).saliency(rise).build().on(slices)}); the pieces below are
 * for custom loops.
 *
 * <pre>{@code
 * CounterfactualEvaluation coin = CounterfactualEvaluation.builder().panels(out.resolve("panels")).build();
 * ExplanationEvaluation rise = ExplanationEvaluation.builder().method("RISE").threshold(0.975).build();
 * // per batch: coin.add(x, xCf, p, q, labels, tumourMasks, 0); rise.add(riseMap, tumourMask) for abnormal slices
 * SummaryTable table = new SummaryTable().add(coin.summaryRow("default")).add(coin.masks().bestThresholdRow())
 *         .add(rise.fixedThresholdRow("default")).add(rise.bestThresholdRow());
 * table.writeMarkdown(out.resolve("summary.md"));
 * BoxPlot.builder().title("per-image IoU").build().write(Map.of("COIN",
 *         coin.masks().fixed().meanPerImageIou().perImage()), out.resolve("iou-box.png"));
 * }</pre>
 */
package dev.coin.core.eval;
