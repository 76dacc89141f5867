package dev.coin.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.EpochMetrics;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.train.TrainingContext;
import dev.coin.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table interrupted inside cell k+1 (after its first epoch's checkpoint) continues there when started again: cell k
 * is read back untouched, cell k+1 trains only its remaining epoch, and every result equals that of an uninterrupted
 * run of the same table in another folder.
 */
class ExperimentsResumeTest {
    private static final ExperimentTable TABLE = ExperimentTable.of("tiny",
            ExperimentTable.coinAblations().rows().get(0), ExperimentTable.coinAblations().rows().get(3));

    /** Thrown by the test to stop a run, as a kill would. */
    static final class Interrupt extends RuntimeException {
        Interrupt() {
            super("interrupted by the test");
        }
    }

    /** Records what ran; throws after the first epoch of cell {@code stopIn} when that is >= 0. */
    static final class Recorder implements ExperimentListener {
        final int stopIn;
        final List<String> events = new ArrayList<>();

        Recorder(int stopIn) {
            this.stopIn = stopIn;
        }

        @Override
        public void onCellStart(Experiments.Cell cell) {
            events.add("start " + cell.index());
        }

        @Override
        public void onCellDone(Experiments.Cell cell, CellResult result, boolean reused) {
            events.add((reused ? "reused " : "done ") + cell.index());
        }

        @Override
        public List<TrainingListener<? super TrainedPipeline>> trainingListeners(Experiments.Cell cell) {
            return List.of(new TrainingListener<Object>() {
                @Override
                public void onEpochEnd(EpochMetrics m, TrainingContext<?> c) {
                    events.add("epoch " + cell.index() + "." + (m.epoch() + 1));
                    if (cell.index() == stopIn && m.epoch() == 0) {
                        throw new Interrupt();
                    }
                }
            });
        }
    }

    private static Experiments run(Path out, Recorder r) {
        return Experiments.builder().table(TABLE).seeds(5).budget(TinyExperimentData.budget())
                .data(new TinyExperimentData()).output(out).baselines(false).listener(r).build();
    }

    @Test
    void anInterruptedTableContinuesFromTheInterruptedCellWithIdenticalFinishedCells(@TempDir Path tmp)
            throws Exception {
        Path a = tmp.resolve("a");
        Recorder first = new Recorder(1);
        assertThatThrownBy(() -> run(a, first).run()).isInstanceOf(Interrupt.class);
        assertThat(first.events).containsExactly("start 0", "epoch 0.1", "epoch 0.2", "done 0", "start 1",
                "epoch 1.1");
        Path cell0 = a.resolve("seed-5").resolve("coin").resolve(CellResult.FILE);
        byte[] bytes = Files.readAllBytes(cell0);
        FileTime written = Files.getLastModifiedTime(cell0);
        assertThat(a.resolve("seed-5").resolve("coin-tv-0").resolve(CellResult.FILE)).doesNotExist();

        // a look at the interrupted table: the finished cell, and the missing one named in the header
        ExperimentResults partial = run(a, new Recorder(-1)).collect();
        assertThat(partial.cells()).extracting(CellResult::cell).containsExactly("COIN");
        assertThat(partial.missing()).containsExactly("COIN, λ_tv 0 (seed 5)");
        assertThat(Files.readString(a.resolve("tiny").resolve(ComparisonTable.MARKDOWN)))
                .contains("PARTIAL: 1 of 2 cells finished; missing COIN, λ_tv 0 (seed 5)");

        Recorder second = new Recorder(-1);
        ExperimentResults resumed = run(a, second).run();
        // cell 0 is read back, cell 1 trains only its second epoch (its first came from the checkpoint)
        assertThat(second.events).containsExactly("reused 0", "start 1", "epoch 1.2", "done 1");
        assertThat(Files.readAllBytes(cell0)).isEqualTo(bytes);
        assertThat(Files.getLastModifiedTime(cell0)).isEqualTo(written);

        ExperimentResults whole = run(tmp.resolve("b"), new Recorder(-1)).run();
        assertThat(resumed.cells()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            CellResult r = resumed.cells().get(i);
            CellResult w = whole.cells().get(i);
            assertThat(r.cell()).isEqualTo(w.cell());
            assertThat(r.epochs()).isEqualTo(2);
            assertThat(r.rows()).as("cell %d's rows", i).isEqualTo(w.rows());
            assertThat(r.perImageIou().keySet()).isEqualTo(w.perImageIou().keySet());
            r.perImageIou().forEach((k, v) -> assertThat(v).isEqualTo(w.perImageIou().get(k)));
        }
        // the evaluation's policies are all there, for 4 abnormal slices
        CellResult coin = resumed.cells().get(0);
        assertThat(coin.rows()).extracting(CellResult.MethodRow::policy).contains("fixed 0.25",
                "best IoU_agg (sweep, uses labels)", "label-free (healthy p99)");
        assertThat(coin.perImageIou().get("COIN")).hasSize(4);
        assertThat(coin.rows().get(0).metric("n_abnormal")).isEqualTo(4.0);
        // the comparison table of the finished run: the fixed, held-out and label-free lines of both rows
        String md = Files.readString(a.resolve("tiny").resolve(ComparisonTable.MARKDOWN));
        assertThat(md).contains("| COIN |", "| COIN, λ_tv 0 |", "held-out sweep (2-fold by scan)",
                "label-free (healthy p99)", "Seeds: [5]");
        assertThat(a.resolve("tiny").resolve(ComparisonTable.CSV)).exists();
        // another table in the same folder reuses the cell it shares, and refuses a same-named row of another pipeline
        Recorder third = new Recorder(-1);
        Experiments.builder().table(ExperimentTable.of("coin only", TABLE.rows().get(0))).seeds(5)
                .budget(TinyExperimentData.budget()).data(new TinyExperimentData()).output(a).baselines(false)
                .listener(third).build().run();
        assertThat(third.events).containsExactly("reused 0");
        assertThat(Files.readAllBytes(cell0)).isEqualTo(bytes);
        ExperimentRow impostor = ExperimentRow.of("COIN", TABLE.rows().get(1).pipeline());
        assertThatThrownBy(() -> Experiments.builder().table(ExperimentTable.of("clash", impostor)).seeds(5)
                .budget(TinyExperimentData.budget()).data(new TinyExperimentData()).output(a).baselines(false)
                .build().run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another pipeline").hasMessageContaining("give the row another name");
        // only the latest checkpoint is kept
        try (var s = Files.list(a.resolve("seed-5").resolve("coin").resolve("train").resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("epoch-0002");
        }
    }

    @Test
    void aFolderOfAnotherRunIsRefusedWithWhatDiffers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("x");
        Files.createDirectories(out);
        Files.writeString(out.resolve(Experiments.PLAN_FILE), "{\"budget\":\"other\"}");
        assertThatThrownBy(() -> run(out, new Recorder(-1)).run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another budget or data").hasMessageContaining("(was \"other\")")
                .hasMessageContaining("new output folder");
    }
}
