package dev.coin.core.train;

import dev.coin.core.nn.ParameterStore;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A single-network trainer's weights and a copy of its best epoch's (chosen on validation), as the classifier and the
 * segmentor trainers keep them: both go into the checkpoint ({@code weights/…}, {@code best/…}), both come back on
 * resume, and the best copy is put back into the network when training ends.
 */
final class BestWeights {
    private static final String WEIGHTS = "weights/";
    private static final String BEST = "best/";

    private final ParameterStore live;
    private final String owner;
    private ParameterStore best;

    /**
     * @param live  the network's own store (trained in place)
     * @param owner what a checkpoint must belong to, for error messages (e.g. "this classifier")
     */
    BestWeights(ParameterStore live, String owner) {
        this.live = Objects.requireNonNull(live, "live");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Copies the current weights as the best so far. */
    void keep() {
        best = live.copy();
    }

    /** Puts the current weights and, when there is one, the best copy into checkpoint arrays. */
    void putInto(Map<String, INDArray> arrays) {
        for (ParameterStore.Entry e : live.entries()) {
            arrays.put(WEIGHTS + e.name(), e.array());
        }
        if (best != null) {
            for (ParameterStore.Entry e : best.entries()) {
                arrays.put(BEST + e.name(), e.array());
            }
        }
    }

    /**
     * Restores the current weights and the best copy (when the checkpoint has one) from {@code c}.
     *
     * @throws IllegalArgumentException when an array is missing or has another shape
     */
    void restore(Checkpoint c) {
        best = c.arrays().keySet().stream().anyMatch(k -> k.startsWith(BEST)) ? live.copy() : null;
        for (ParameterStore.Entry e : live.entries()) {
            e.array().assign(c.array(WEIGHTS + e.name(), e.array(), owner));
            if (best != null) {
                best.array(e.name()).assign(c.array(BEST + e.name(), e.array(), owner));
            }
        }
    }

    /** Puts the best copy back into the network; false (nothing changed) when no epoch was kept. */
    boolean putBack() {
        if (best == null) {
            return false;
        }
        for (ParameterStore.Entry e : best.entries()) {
            live.array(e.name()).assign(e.array());
        }
        return true;
    }
}
