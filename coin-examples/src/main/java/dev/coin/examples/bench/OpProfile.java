package dev.coin.examples.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A per-op profile of SameDiff training steps: op type → time per step, share and count, plus the time between ops
 * (the executor's own overhead). A listener that only reads the clock: SameDiff's {@code ProfilingListener} with
 * {@code recordAll()} makes the training session compute the loss op, which M2.1 cannot (a null input).
 */
final class OpProfile extends BaseListener {
    private final Map<String, double[]> byType = new HashMap<>();
    private long opStart;
    private long lastEnd = -1;
    private double between;
    private int steps;
    private boolean recording;

    /** Starts recording from the next step on (call after the warm-up). */
    void start() {
        recording = true;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
        lastEnd = -1;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet data, org.nd4j.autodiff.listeners.Loss loss) {
        if (recording) {
            steps++;
        }
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        opStart = System.nanoTime();
        if (recording && lastEnd >= 0) {
            between += (opStart - lastEnd) / 1e6;
        }
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        long end = System.nanoTime();
        if (recording) {
            double[] v = byType.computeIfAbsent(op.getOp().opName(), k -> new double[2]);
            v[0] += (end - opStart) / 1e6;
            v[1]++;
        }
        lastEnd = end;
    }

    /** The {@code top} op types by time, per recorded step. */
    String summary(int top) {
        int n = Math.max(1, steps);
        double ops = byType.values().stream().mapToDouble(v -> v[0]).sum();
        double total = ops + between;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "PROFILE %d steps: ops %.1f ms/step, between ops %.1f ms/step (%.0f %%)%n",
                steps, ops / n, between / n, 100 * between / total));
        s.append(String.format(Locale.ROOT, "PROFILE %-28s %10s %7s %8s%n", "op type", "ms/step", "share", "count"));
        byType.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(e -> s.append(String.format(Locale.ROOT, "PROFILE %-28s %10.1f %6.1f%% %8.0f%n", e.getKey(),
                        e.getValue()[0] / n, 100 * e.getValue()[0] / total, e.getValue()[1] / n)));
        return s.toString();
    }
}
