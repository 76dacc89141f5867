package dev.coin.core.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.AbstractSession;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.TrainingSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff's training session with exact replacements for the ops that ND4J 1.0.0-M2.1 runs slowly on the CPU.
 *
 * <ul>
 *   <li>{@code multiply_bp}, {@code add_bp}, {@code subtract_bp} with a broadcast operand (the γ/β and the
 *       mean/inverse-deviation of a batch norm built from primitives: [N,C,H,W] against [1,C,1,1] or [N,C,1,1]):
 *       the native kernels walk the broadcast element by element (a 256² × 64-channel multiply_bp takes ~0.5 s,
 *       11–18× the same arithmetic as plain ops). Here: the full-shape gradient is one broadcast multiply (or the
 *       incoming gradient itself), and the broadcast operand's gradient is its sum over the broadcast axes.</li>
 *   <li>{@code thresholdedrelu_bp} with cutoff 0 (the backward of {@code relu(x, 0)}) runs as {@code relu_bp},
 *       ~4× faster for the same values.</li>
 * </ul>
 *
 * Both are the same mathematics; the sums may differ from the native kernels' order of accumulation in the last
 * float bit (an end-to-end test holds the two executions to 1e-6 after three steps). Everything else runs as
 * SameDiff runs it.
 */
final class FastOpSession extends TrainingSession {
    private final OpCounter counter;

    FastOpSession(SameDiff gradFunction, OpCounter counter) {
        super(gradFunction);
        this.counter = counter;
    }

    /** How often each replacement ran (for the benchmark and the tests). */
    static final class OpCounter {
        long broadcastBp;
        long reluBp;
    }

    @Override
    public ExecutionResult doExec(DifferentialFunction op, OpContext ctx, FrameIter frame,
            Set<AbstractSession.VarId> opInputs, Set<AbstractSession.VarId> allIterInputs, Set<String> constAndPh,
            Map<String, SDValue> otherPh) {
        if (ctx != null && op instanceof DynamicCustomOp) {
            String name = op.opName();
            boolean done = switch (name) {
                case "multiply_bp", "add_bp", "subtract_bp" -> broadcastBackward(name, ctx);
                case "thresholdedrelu_bp" -> reluBackward((ThresholdReluBp) op, ctx);
                default -> false;
            };
            if (done) {
                return ExecutionResult.createFrom(op, ctx);
            }
        }
        return super.doExec(op, ctx, frame, opInputs, allIterInputs, constAndPh, otherPh);
    }

    /** Inputs (a, b, dL/dz), outputs (dL/da, dL/db); handled only when exactly one side is broadcast. */
    private boolean broadcastBackward(String name, OpContext ctx) {
        List<INDArray> in = ctx.getInputArrays();
        List<INDArray> out = ctx.getOutputArrays();
        if (in.size() != 3 || out.size() != 2 || out.get(0) == null || out.get(1) == null) {
            return false;
        }
        INDArray a = in.get(0);
        INDArray b = in.get(1);
        INDArray dz = in.get(2);
        boolean aFull = sameShape(a, dz);
        boolean bFull = sameShape(b, dz);
        if (aFull == bFull || !out.get(0).equalShapes(a) || !out.get(1).equalShapes(b)) {
            return false; // both full (the native kernel is fast then) or a shape this path does not know
        }
        INDArray small = aFull ? b : a;
        long[] axes = broadcastAxes(small, dz);
        if (axes == null) {
            return false;
        }
        INDArray fullOut = out.get(aFull ? 0 : 1);
        INDArray smallOut = out.get(aFull ? 1 : 0);
        INDArray other = aFull ? a : b; // the full operand, the factor of the broadcast side's gradient
        switch (name) {
            case "multiply_bp" -> {
                // d/dfull = dz·small (broadcast); d/dsmall = Σ_axes dz·full
                Nd4j.exec(DynamicCustomOp.builder("multiply").addInputs(dz, small).addOutputs(fullOut).build());
                try (INDArray prod = dz.mul(other)) {
                    sumInto(prod, axes, smallOut);
                }
            }
            case "add_bp" -> {
                fullOut.assign(dz);
                sumInto(dz, axes, smallOut);
            }
            case "subtract_bp" -> {
                // z = a − b: dL/da = dz, dL/db = −dz
                if (aFull) {
                    fullOut.assign(dz);
                    sumInto(dz, axes, smallOut);
                    smallOut.negi();
                } else {
                    Nd4j.exec(DynamicCustomOp.builder("neg").addInputs(dz).addOutputs(fullOut).build());
                    sumInto(dz, axes, smallOut);
                }
            }
            default -> {
                return false;
            }
        }
        counter.broadcastBp++;
        return true;
    }

    private static void sumInto(INDArray source, long[] axes, INDArray target) {
        int[] dims = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            dims[i] = (int) axes[i];
        }
        try (INDArray s = source.sum(true, dims)) {
            target.assign(s.reshape(target.shape()));
        }
    }

    /** The axes along which {@code small} (same rank as {@code full}) is broadcast; null if not a plain broadcast. */
    static long[] broadcastAxes(INDArray small, INDArray full) {
        if (small.rank() != full.rank()) {
            return null;
        }
        long[] s = small.shape();
        long[] f = full.shape();
        int n = 0;
        long[] axes = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] == f[i]) {
                continue;
            }
            if (s[i] != 1) {
                return null;
            }
            axes[n++] = i;
        }
        return n == 0 ? null : java.util.Arrays.copyOf(axes, n);
    }

    private static boolean sameShape(INDArray x, INDArray y) {
        return java.util.Arrays.equals(x.shape(), y.shape());
    }

    /** thresholdedrelu_bp(x, dz; cutoff 0) = dz·[x > 0] = relu_bp(x, dz). */
    private boolean reluBackward(ThresholdReluBp op, OpContext ctx) {
        List<INDArray> in = ctx.getInputArrays();
        List<INDArray> out = ctx.getOutputArrays();
        if (op.getCutoff() != 0.0 || in.size() != 2 || out.size() != 1 || out.get(0) == null) {
            return false;
        }
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(in.get(0), in.get(1)).addOutputs(out.get(0))
                .addFloatingPointArguments(0.0).build());
        counter.reluBp++;
        return true;
    }
}
