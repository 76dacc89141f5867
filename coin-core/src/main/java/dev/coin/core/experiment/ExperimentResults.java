package dev.coin.core.experiment;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run of {@link Experiments} produced: every cell's result in run order and what defined the run.
 *
 * @param table   the table run
 * @param budget  its sizes
 * @param seeds   its seeds
 * @param data    the data's one-line description
 * @param output  the run's folder
 * @param cells   the cells' results, in run order
 * @param minutes wall time of this call (cells read back cost nothing)
 */
public record ExperimentResults(ExperimentTable table, Budget budget, long[] seeds, String data, Path output,
                                List<CellResult> cells, double minutes) {
    public ExperimentResults {
        seeds = seeds.clone();
        cells = List.copyOf(cells);
    }
}
