package dev.coin.examples;

import dev.coin.core.experiment.Budget;
import dev.coin.core.experiment.ExperimentResults;
import dev.coin.core.experiment.ExperimentTable;
import dev.coin.core.experiment.Experiments;
import dev.coin.data.runtime.NativeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The main job's table mode ({@code --table NAME}): one of the papers' tables on the embedded synthetic data, every
 * row × every seed at one budget, through {@link Experiments}. The data is the main job's (same phantom, same fixed
 * validation set), at the budget's slice size; the cells live in {@code <work>/tables/<budget>}, shared by every
 * table run there, the comparison in {@code <work>/tables/<budget>/<table>/comparison.md}; starting the same command
 * again resumes it.
 */
final class TableRun {
    private TableRun() {
    }

    /** What the flags chose. */
    record Options(Path work, String table, Budget budget, long[] seeds, int parallelCells, int scans,
                   boolean reportOnly, java.util.List<String> rows) {
    }

    /** The main job's phantom at {@code budget}'s slice size: the data every table cell of that budget uses. */
    static StoryData data(Path work, Budget budget, int scans) {
        boolean paper = budget.name().equals("paper");
        StoryData.Recipe recipe = new StoryData.Recipe(work, scans, paper ? 512 : 256, budget.size(),
                paper ? 20 : 40, 777);
        return StoryData.prepare(recipe, i -> System.out.printf(Locale.ROOT, "  phantom scan %d/%d written%n",
                i + 1, scans));
    }

    static Path run(Options o) {
        NativeBackend.configure();
        ExperimentTable named = ExperimentTable.named(o.table());
        ExperimentTable table = o.rows().isEmpty() ? named : named.select(o.rows());
        System.out.println("== data");
        StoryData data = data(o.work(), o.budget(), o.scans());
        System.out.println("  " + data.describe());
        // one folder per budget: tables run there share their common cells (COIN, the baselines, the classifiers)
        Path out = o.work().resolve("tables").resolve(o.budget().name());
        System.out.println("== " + table);
        Experiments experiments = Experiments.builder().table(table).seeds(o.seeds()).budget(o.budget()).data(data)
                .output(out).parallelCells(o.parallelCells()).progress(line -> System.out.println("  " + line))
                .build();
        ExperimentResults r = o.reportOnly() ? experiments.collect() : experiments.run();
        Path md = r.output().resolve(dev.coin.core.experiment.ComparisonTable.MARKDOWN);
        try {
            System.out.println(Files.readString(md));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + md, e);
        }
        System.out.printf(Locale.ROOT, "Done%s. Table: %s%n", Double.isNaN(r.minutes()) ? ""
                : String.format(Locale.ROOT, " in %.1f min", r.minutes()), md.toAbsolutePath());
        return md;
    }
}
