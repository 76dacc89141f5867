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
 * @param output  the table's folder (its comparison files; the cells are in the folder above)
 * @param cells   the cells' results, in run order
 * @param minutes wall time of this call (cells read back cost nothing); NaN when the cells were only collected
 * @param missing the cells not finished yet ("row (seed s)"); empty for a complete table
 */
public record ExperimentResults(ExperimentTable table, Budget budget, long[] seeds, String data, Path output,
                                List<CellResult> cells, double minutes, List<String> missing) {
    public ExperimentResults {
        seeds = seeds.clone();
        cells = List.copyOf(cells);
        missing = List.copyOf(missing);
    }

    /** The cells folded into one line per method and policy (mean ± sd over seeds, bootstrap intervals). */
    public ComparisonTable comparison() {
        return ComparisonTable.of(cells);
    }

    /** The table header: what was run, at which sizes, on what, with which seeds. */
    public List<String> header() {
        java.util.List<String> h = new java.util.ArrayList<>(List.of(
                "Table: " + table.name() + " (" + table.rows().size() + " rows)",
                "Budget: " + budget,
                "Data: " + data,
                "Seeds: " + java.util.Arrays.toString(seeds),
                Double.isNaN(minutes) ? String.format(java.util.Locale.ROOT, "Collected from finished cells; their "
                        + "training took %.1f min in all (evaluation and classifiers not included)",
                        cells.stream().mapToDouble(CellResult::trainSeconds).sum() / 60)
                        : String.format(java.util.Locale.ROOT, "Wall time of the run that completed the table: %.1f "
                        + "min (cells read back from an earlier run cost nothing here)", minutes)));
        if (!missing.isEmpty()) {
            h.add("PARTIAL: " + cells.size() + " of " + (cells.size() + missing.size()) + " cells finished; missing "
                    + String.join(", ", missing));
        }
        return List.copyOf(h);
    }

    /**
     * Writes {@code comparison.md} (the main policies: fixed, held-out, label-free), {@code comparison.csv} (every
     * policy) and {@code iou-boxplot.png} into the run's folder.
     *
     * @return the Markdown file
     */
    public Path write() {
        comparison().write(output, header(), ComparisonTable.MAIN);
        return output.resolve(ComparisonTable.MARKDOWN);
    }
}
