/**
 * Training: the classifier ({@link dev.coin.core.train.ClassifierTrainer}) and the two-player training of a
 * {@link dev.coin.core.Pipeline}: {@link dev.coin.core.train.PipelineTrainer} (discriminator
 * every step, generator every k-th; per-player Adam state; frozen classifier), listeners ({@link dev.coin.core.train.ProgressBar}, {@link dev.coin.core.train.MetricsWriter},
 * {@link dev.coin.core.train.LossCurvePlot}, {@link dev.coin.core.train.CheckpointListener}), atomic
 * {@link dev.coin.core.train.Checkpoint}s that resume bit-identically on CPU, and the run's
 * {@link dev.coin.core.train.Provenance}.
 *
 * <pre>{@code
 * Path run = Path.of("runs/coin-synthetic");
 * Pipeline p = Presets.coinSynthetic(classifier);
 * TrainedPipeline t = PipelineTrainer.builder(p).runDirectory(run)
 *         .listeners(new ProgressBar(), new MetricsWriter(run), new LossCurvePlot(run), CheckpointListener.every(10, run))
 *         .build().fit(BatchLoader.builder(train).batchSize(16).seed(777).build(), 151);
 * // later: continue from the last checkpoint
 * PipelineTrainer.builder(p).resumeFrom(CheckpointListener.folderFor(run, 150)).build().fit(loader, 151);
 * }</pre>
 *
 * <p>Graph layout (platform notes): graph G (generator variables; discriminator and classifier constants), graph D
 * (discriminator variables; the detached fake is a placeholder) and a forward-only generator graph for the steps
 * without a generator update, all on one {@code SingleThreadArrayHolder}.
 */
package dev.coin.core.train;
