/**
 * The papers' tables as one call: {@link dev.coin.core.experiment.Experiments} runs an
 * {@link dev.coin.core.experiment.ExperimentTable} (rows: {@link dev.coin.core.experiment.ExperimentRow}) × seeds at
 * one {@link dev.coin.core.experiment.Budget} on the caller's {@link dev.coin.core.experiment.ExperimentData}, one
 * resumable folder per cell ({@link dev.coin.core.experiment.CellResult} in {@code result.json}), and folds the cells
 * into a {@link dev.coin.core.experiment.ComparisonTable}: mean ± sd over seeds, per-image IoU with a bootstrap
 * interval over slices ({@link dev.coin.core.eval.BootstrapInterval}), and every threshold policy of
 * {@link dev.coin.core.eval.Evaluation}, the held-out one ({@link dev.coin.core.eval.HeldOutThreshold}) being the fair
 * tuned number.
 *
 * <pre>{@code
 * ExperimentResults r = Experiments.builder().table(ExperimentTable.named("coin-table1")).seeds(777, 778, 779)
 *         .budget(Budget.laptop()).data(myData).output(Path.of("coin-work/tables/laptop")).build().run();
 * r.comparison().fairTuned();          // per method: IoU_agg with the threshold tuned on the other half of the scans
 * }</pre>
 */
package dev.coin.core.experiment;
