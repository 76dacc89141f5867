package dev.coin.core.engine;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact replacements for the ND4J 1.0.0-M2.1 CPU kernels that are slow for the shapes COIN's networks produce.
 *
 * <ul>
 *   <li>{@code multiply_bp}, {@code add_bp}, {@code subtract_bp} with a broadcast operand (the γ/β and the
 *       mean/inverse-deviation of a batch norm built from primitives: [N,C,H,W] against [1,C,1,1] or [N,C,1,1]):
 *       libnd4j expands the small operand with {@code NDArray::tile}, a single-threaded per-element loop (a 256² ×
 *       64-channel {@code multiply_bp} takes ~0.5 s, 11–18× the same arithmetic as plain ops). Here the full-shape
 *       gradient is one broadcast multiply (or the incoming gradient itself), and the broadcast operand's gradient
 *       is its sum over the broadcast axes.</li>
 *   <li>{@code multiply_bp} of two same-shape operands: libnd4j computes each product into a temporary and copies
 *       it into the output; here each product is written into its output directly.</li>
 *   <li>{@code thresholdedrelu_bp} with cutoff 0 (the backward of {@code relu(x, 0)}) runs as {@code relu_bp},
 *       ~4× faster for the same values.</li>
 * </ul>
 *
 * Both are the same mathematics; a sum may differ from the native kernel's order of accumulation in the last
 * float bit ({@code EngineEquivalenceTest} holds whole training runs to 1e-5 relative). Every other op, and every
 * shape these do not recognise, is left to ND4J.
 */
final class ExactKernels {
    /** How often each replacement ran (for the benchmark and the tests). */
    static final class Counter {
        long pairwiseBackward;
        long reluBackward;
    }

    private ExactKernels() {
    }

    /** Runs {@code op} on {@code ctx}'s arrays if a replacement applies; false leaves the op to ND4J. */
    static boolean tryExecute(DifferentialFunction op, OpContext ctx, Counter counter) {
        if (ctx == null || !(op instanceof DynamicCustomOp)) {
            return false;
        }
        String name = op.opName();
        switch (name) {
            case "multiply_bp", "add_bp", "subtract_bp" -> {
                if (pairwiseBackward(name, ctx)) {
                    counter.pairwiseBackward++;
                    return true;
                }
                return false;
            }
            case "thresholdedrelu_bp" -> {
                if (reluBackward((ThresholdReluBp) op, ctx)) {
                    counter.reluBackward++;
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Inputs (a, b, dL/dz), outputs (dL/da, dL/db). Handled when {@link #handlesShapes} says so for these shapes: the
     * replay plan relies on the same rule when it binds the operands of {@code add_bp}/{@code subtract_bp} by shape
     * only, so the two can never disagree.
     */
    private static boolean pairwiseBackward(String name, OpContext ctx) {
        List<INDArray> in = ctx.getInputArrays();
        List<INDArray> out = ctx.getOutputArrays();
        if (in.size() != 3 || out.size() != 2 || out.get(0) == null || out.get(1) == null) {
            return false;
        }
        INDArray a = in.get(0);
        INDArray b = in.get(1);
        INDArray dz = in.get(2);
        if (!handlesShapes(a.shape(), b.shape(), dz.shape()) || !out.get(0).equalShapes(a)
                || !out.get(1).equalShapes(b)) {
            return false;
        }
        if (sameShape(a, dz) && sameShape(b, dz)) {
            sameShapeBackward(name, a, b, dz, out.get(0), out.get(1));
        } else {
            broadcastBackward(name, a, b, dz, out.get(0), out.get(1));
        }
        return true;
    }

    /**
     * dL/da and dL/db written straight into the outputs (libnd4j computes each product of {@code multiply_bp} into a
     * temporary and copies it).
     */
    private static void sameShapeBackward(String name, INDArray a, INDArray b, INDArray dz, INDArray da,
            INDArray db) {
        switch (name) {
            case "multiply_bp" -> {
                Nd4j.exec(DynamicCustomOp.builder("multiply").addInputs(dz, b).addOutputs(da).build());
                Nd4j.exec(DynamicCustomOp.builder("multiply").addInputs(dz, a).addOutputs(db).build());
            }
            case "add_bp" -> {
                da.assign(dz);
                db.assign(dz);
            }
            default -> { // subtract_bp: z = a − b
                da.assign(dz);
                Nd4j.exec(new Negative(dz, db));
            }
        }
    }

    /** Exactly one operand is broadcast: its gradient is the sum over the broadcast axes, without {@code tile}. */
    private static void broadcastBackward(String name, INDArray a, INDArray b, INDArray dz, INDArray da,
            INDArray db) {
        boolean aFull = sameShape(a, dz);
        INDArray small = aFull ? b : a;
        int[] axes = broadcastAxes(small, dz);
        INDArray fullOut = aFull ? da : db;
        INDArray smallOut = aFull ? db : da;
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
            default -> { // subtract_bp: z = a − b, dL/da = dz, dL/db = −dz
                if (aFull) {
                    fullOut.assign(dz);
                    sumInto(dz, axes, smallOut);
                    smallOut.negi();
                } else {
                    Nd4j.exec(new Negative(dz, fullOut));
                    sumInto(dz, axes, smallOut);
                }
            }
        }
    }

    private static void sumInto(INDArray source, int[] axes, INDArray target) {
        try (INDArray s = source.sum(true, axes)) {
            target.assign(s.reshape(target.shape()));
        }
    }

    /**
     * Whether a pairwise backward op with operand shapes {@code a}, {@code b} and incoming gradient {@code dz} is
     * computed here: both same-shape, or one same-shape and the other a plain broadcast. For {@code add_bp} and
     * {@code subtract_bp} that computation reads the shapes alone, so the replay plan need not keep the operands.
     */
    static boolean handlesShapes(long[] a, long[] b, long[] dz) {
        if (a == null || b == null || dz == null) {
            return false;
        }
        boolean aFull = Arrays.equals(a, dz);
        boolean bFull = Arrays.equals(b, dz);
        if (aFull && bFull) {
            return true;
        }
        if (aFull == bFull) {
            return false;
        }
        long[] small = aFull ? b : a;
        if (small.length != dz.length) {
            return false;
        }
        boolean broadcast = false;
        for (int i = 0; i < small.length; i++) {
            if (small[i] != dz[i]) {
                if (small[i] != 1) {
                    return false;
                }
                broadcast = true;
            }
        }
        return broadcast;
    }

    /** The axes along which {@code small} (same rank as {@code full}) is broadcast; null if not a plain broadcast. */
    static int[] broadcastAxes(INDArray small, INDArray full) {
        if (small.rank() != full.rank()) {
            return null;
        }
        long[] s = small.shape();
        long[] f = full.shape();
        int n = 0;
        int[] axes = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] == f[i]) {
                continue;
            }
            if (s[i] != 1) {
                return null;
            }
            axes[n++] = i;
        }
        return n == 0 ? null : Arrays.copyOf(axes, n);
    }

    private static boolean sameShape(INDArray x, INDArray y) {
        return Arrays.equals(x.shape(), y.shape());
    }

    /** thresholdedrelu_bp(x, dz; cutoff 0) = dz·[x > 0] = relu_bp(x, dz). */
    private static boolean reluBackward(ThresholdReluBp op, OpContext ctx) {
        List<INDArray> in = ctx.getInputArrays();
        List<INDArray> out = ctx.getOutputArrays();
        if (op.getCutoff() != 0.0 || in.size() != 2 || out.size() != 1 || out.get(0) == null) {
            return false;
        }
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(in.get(0), in.get(1)).addOutputs(out.get(0))
                .addFloatingPointArguments(0.0).build());
        return true;
    }
}
