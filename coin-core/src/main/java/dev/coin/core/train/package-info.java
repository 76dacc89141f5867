/**
 * Training, with one loop for every model: {@link dev.coin.core.train.PipelineTrainer} (the two-player training of a
 * {@link dev.coin.core.Pipeline}: discriminator every step, generator every k-th, per-player Adam state, frozen
 * classifier) and {@link dev.coin.core.train.ClassifierTrainer} (BCE on image-level labels, best epoch by validation;
 * {@link dev.coin.core.train.ClassifierLoader} builds its balanced, augmented batches) and
 * {@link dev.coin.core.train.SegmentorTrainer} (a {@code UNetSegmentor} on the slices' masks, BCE + soft Dice, for
 * {@link dev.coin.losses.SegmentorGuidance}) plug their step into the same loop: epochs from {@code fit(loader, epochs)}, listeners that serve both ({@link dev.coin.core.train.ProgressBar},
 * {@link dev.coin.core.train.MetricsWriter}, {@link dev.coin.core.train.LossCurvePlot},
 * {@link dev.coin.core.train.CheckpointListener}), the NaN check, atomic {@link dev.coin.core.train.Checkpoint}s that
 * resume bit-identically on CPU, the run's {@code provenance.json} and the final model in the run folder, which the
 * trainer owns and the listeners read from the {@link dev.coin.core.train.TrainingContext}.
 *
 * <pre>{@code
 * Path run = Path.of("runs/coin-synthetic");
 * TrainedPipeline t = PipelineTrainer.builder(Presets.coinSynthetic(classifier)).runDirectory(run)
 *         .listeners(new ProgressBar(), new MetricsWriter(), new LossCurvePlot(), CheckpointListener.every(10))
 *         .build().fit(BatchLoader.builder(train).batchSize(16).seed(777).build(), 151);
 * // after an interruption, the same line with .resumeLatest() continues from the newest checkpoint
 *
 * UNetSegmentor seg = SegmentorTrainer.builder(UNetSegmentor.builder().widths(8, 16, 32).build()).seed(7)
 *         .build().fit(BatchLoader.builder(train).batchSize(16).seed(7).build(), 5).segmentor();
 * Pipeline guided = Presets.coinSynthetic(classifier).toBuilder().loss(SegmentorGuidance.of(seg)).build();
 * }</pre>
 *
 * <p>Graph layout (platform notes): graph G (generator variables; discriminator and classifier constants), graph D
 * (discriminator variables; the detached fake is a placeholder) and a forward-only generator graph for the steps
 * without a generator update, all on one {@code SingleThreadArrayHolder}.
 */
package dev.coin.core.train;
