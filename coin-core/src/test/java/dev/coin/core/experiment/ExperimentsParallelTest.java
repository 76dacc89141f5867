package dev.coin.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two cells at once give the results of the same cells one after another (CPU, same seeds). */
class ExperimentsParallelTest {

    private static ExperimentResults run(Path out, int parallel) {
        return Experiments.builder().table(ExperimentTable.of("one", ExperimentTable.coinAblations().rows().get(0)))
                .seeds(3, 4).budget(TinyExperimentData.budget().withEpochs(1)).data(new TinyExperimentData())
                .output(out).baselines(false).parallelCells(parallel).build().run();
    }

    @Test
    void cellsRunInParallelEqualCellsRunInTurn(@TempDir Path tmp) {
        List<CellResult> inTurn = run(tmp.resolve("a"), 1).cells();
        List<CellResult> together = run(tmp.resolve("b"), 2).cells();
        assertThat(together).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(together.get(i).seed()).isEqualTo(inTurn.get(i).seed());
            assertThat(together.get(i).rows()).as("seed %d", inTurn.get(i).seed()).isEqualTo(inTurn.get(i).rows());
        }
        // different seeds really are different runs (the comparison above is not between two copies of one run)
        assertThat(inTurn.get(0).rows()).isNotEqualTo(inTurn.get(1).rows());
    }
}
