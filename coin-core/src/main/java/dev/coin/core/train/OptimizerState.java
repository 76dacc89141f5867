package dev.coin.core.train;

import dev.coin.core.engine.TrainingStepper;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * A SameDiff graph's optimiser state in a checkpoint: every updater's moment arrays under
 * {@code <prefix><variable>/<state>}, and the iteration and epoch counts (Adam's bias correction reads them).
 */
final class OptimizerState {
    private OptimizerState() {
    }

    static void put(Map<String, INDArray> arrays, String prefix, SameDiff sd) {
        Map<String, GradientUpdater> m = updaters(sd);
        if (m == null) {
            return; // never trained: the moments are zero
        }
        for (Map.Entry<String, GradientUpdater> e : m.entrySet()) {
            for (Map.Entry<String, INDArray> s : stateOf(e.getValue()).entrySet()) {
                arrays.put(prefix + e.getKey() + "/" + s.getKey(), s.getValue());
            }
        }
    }

    static void restore(Map<String, INDArray> arrays, String prefix, SameDiff sd, Checkpoint c) {
        boolean any = arrays.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        if (!any) {
            return;
        }
        TrainingStepper.initializeTraining(sd);
        for (Map.Entry<String, GradientUpdater> e : updaters(sd).entrySet()) {
            for (Map.Entry<String, INDArray> s : stateOf(e.getValue()).entrySet()) {
                INDArray saved = arrays.get(prefix + e.getKey() + "/" + s.getKey());
                if (saved == null) {
                    throw new IllegalArgumentException("checkpoint " + c.directory() + " lacks optimiser state "
                            + prefix + e.getKey() + "/" + s.getKey() + "; it was written for another network");
                }
                s.getValue().assign(saved);
            }
        }
    }

    /** Writes {@code <who>Iterations} and {@code <who>EpochCount}. */
    static void putCounts(Map<String, Object> meta, String who, SameDiff sd) {
        TrainingConfig tc = sd.getTrainingConfig();
        meta.put(who + "Iterations", tc.getIterationCount());
        meta.put(who + "EpochCount", tc.getEpochCount());
    }

    static void restoreCounts(Checkpoint c, String who, SameDiff sd) {
        TrainingConfig tc = sd.getTrainingConfig();
        tc.setIterationCount(c.meta().path(who + "Iterations").asInt());
        tc.setEpochCount(c.meta().path(who + "EpochCount").asInt());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Map<String, GradientUpdater> updaters(SameDiff sd) {
        return (Map) sd.getUpdaterMap();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> stateOf(GradientUpdater<?> u) {
        return new TreeMap<>((Map<String, INDArray>) u.getState());
    }
}
