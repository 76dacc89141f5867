/**
 * The user-facing entry points: {@link dev.coin.core.Pipeline} (what is trained: classifier, generator,
 * discriminator, losses, target rule, optimiser, schedule, initialisation seed), {@link dev.coin.core.Presets} (the
 * reference configurations), {@link dev.coin.core.TrainedPipeline} (trained weights, history, eval-mode
 * counterfactuals, save/load), {@link dev.coin.core.Explanation} (one slice's counterfactual, difference map,
 * mask and panel) and {@link dev.coin.core.VolumeSegmenter} (a CT volume in, its mask and difference-map volumes
 * out, {@link dev.coin.core.VolumeSegmentation}, written as NIfTI in the CT's geometry). {@link dev.coin.core.PipelineIdentity} is what checkpoints and provenance record.
 *
 * <p>Package layers (an architecture test keeps them free of cycles): {@code nn} (SameDiff layers) and
 * {@code nn.io} (array and weight files) ← {@code model} (networks) and {@code model.io} (their spec files) ←
 * {@code mask} (masks, post-processing) ← {@code report} (tables, plots, panels) ← this package ←
 * {@code explain} (attribution baselines), {@code eval} (metrics, the {@code Evaluation} facade) ← {@code train}
 * (the trainers, listeners, checkpoints). {@code internal} is not API.
 *
 * <pre>{@code
 * Pipeline p = Presets.coin(classifier);
 * TrainedPipeline t = PipelineTrainer.builder(p).build().fit(BatchLoader.builder(train).batchSize(16).build(), 100);
 * Explanation e = t.explain(slice);
 * e.mask(MaskPolicy.DEFAULT.postProcess(PostProcessing.OPEN_CLOSE_LARGEST)).iou(slice.mask("tumour"));
 * t.save(Path.of("models/coin"));                       // TrainedPipeline.load(...) reads it back
 * }</pre>
 */
package dev.coin.core;
