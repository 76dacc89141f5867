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
    /** captured variable → requested names it stands for */
    private final Map<String, java.util.List<String>> sources = new HashMap<>();
    private final Map<String, INDArray> values = new HashMap<>();

    /**
     * Identity ops report no activation during {@code fit} on M2.1, so a name produced by an identity is captured at
     * the identity's input (the same values).
     */
    ValueCapture(SameDiff sd, Set<String> names) {
        for (String n : names) {
            String src = n;
            for (int guard = 0; guard < 100; guard++) {
                org.nd4j.autodiff.functions.DifferentialFunction op = sd.getVariableOutputOp(src);
                if (!(op instanceof org.nd4j.linalg.api.ops.impl.transforms.same.Identity)) {
                    break;
                }
                src = op.argNames()[0];
            }
            sources.computeIfAbsent(src, k -> new java.util.ArrayList<>()).add(n);
        }
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
            INDArray activation) {
        java.util.List<String> targets = sources.get(varName);
        if (activation != null && targets != null) {
            INDArray copy = activation.dup();
            for (String t : targets) {
                values.put(t, copy);
            }
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
