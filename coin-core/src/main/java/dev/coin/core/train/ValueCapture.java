package dev.coin.core.train;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Keeps copies of named activations while {@code fit} runs, so a training step yields its loss values and the
 * counterfactual without a second forward pass.
 */
final class ValueCapture extends BaseListener {
    private final Set<String> names;
    private final Map<String, INDArray> values = new HashMap<>();

    ValueCapture(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
            INDArray activation) {
        if (names.contains(varName)) {
            values.put(varName, activation.dup());
        }
    }

    void clear() {
        values.clear();
    }

    /** The captured value, or {@code null} when the op did not run. */
    INDArray get(String name) {
        return values.get(name);
    }
}
