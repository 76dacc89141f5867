package dev.coin.core.experiment;

import dev.coin.core.TrainedPipeline;
import dev.coin.core.train.TrainingListener;
import java.util.List;

/**
 * Hooks of an experiment run: when a cell starts and finishes, and training listeners added to a cell's trainer
 * (after the runner's own checkpoint listener, so that a checkpoint is complete before they see the epoch's end).
 */
public interface ExperimentListener {
    /** A cell is about to run (not called for cells finished earlier, which are read back). */
    default void onCellStart(Experiments.Cell cell) {
    }

    /** A cell finished, or was read back from an earlier run ({@code reused} true). */
    default void onCellDone(Experiments.Cell cell, CellResult result, boolean reused) {
    }

    /** Extra training listeners for a counterfactual cell's trainer. */
    default List<TrainingListener<? super TrainedPipeline>> trainingListeners(Experiments.Cell cell) {
        return List.of();
    }
}
