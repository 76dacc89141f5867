package dev.coin.core.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.RandomOp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.GradientBackwardsMarker;
import org.nd4j.linalg.api.ops.impl.transforms.same.Identity;

/**
 * Writes down, op by op, what one training iteration of a {@link FastOpSession} executed: which op, which
 * variables it read (in the order its context held them), which it wrote with their shapes and types, and the
 * op's arguments. A step that uses something a replay cannot reproduce (control flow, random ops, external
 * gradients, an input whose variable cannot be named) is marked unsupported with the reason.
 */
final class StepRecorder {
    /** How a recorded op is replayed. */
    enum Kind {
        /** Executed by ND4J (or an {@link ExactKernels} replacement) on a prepared context. */
        EXECUTE,
        /** The loss gradient's seed: an array of ones (SameDiff's {@code GradientBackwardsMarker}). */
        ONES
    }

    /** One executed op. {@code scalarInput} is the variable a legacy scalar op takes its scalar from, or null. */
    record Executed(DifferentialFunction op, Kind kind, String[] inputs, String[] outputs, long[][] outputShapes,
            DataType[] outputTypes, char[] outputOrders, long[] iArgs, double[] tArgs, boolean[] bArgs, DataType[] dArgs,
            String scalarInput) {
    }

    private final SameDiff gradFunction;
    private final List<Executed> executed = new ArrayList<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final IdentityHashMap<INDArray, String> namesOfArrays = new IdentityHashMap<>();
    private String unsupported;

    StepRecorder(SameDiff gradFunction) {
        this.gradFunction = gradFunction;
    }

    /**
     * Ends the recording: lets go of the arrays it saw (it names them by identity while the step runs), which would
     * otherwise keep the whole recorded step's activations and gradients alive as long as the recorder.
     */
    void finish() {
        namesOfArrays.clear();
    }

    List<Executed> executed() {
        return executed;
    }

    /** Identity ops are not executed by SameDiff: their output is their input. */
    Map<String, String> aliases() {
        return aliases;
    }

    /** Why this step cannot be replayed, or null. */
    String unsupported() {
        return unsupported;
    }

    void executed(DifferentialFunction op, OpContext ctx, ExecutionResult result) {
        if (unsupported != null) {
            return;
        }
        String[] args = op.argNames();
        String[] outs = op.outputVariablesNames();
        if (op instanceof Identity) {
            aliases.put(outs[0], args[0]);
            return;
        }
        if (op instanceof RandomOp || op.opName().contains("random") || op.opName().contains("dropout")) {
            unsupported = "random op " + op.getOwnName() + " (" + op.opName() + ")";
            return;
        }
        long[][] shapes = new long[outs.length][];
        DataType[] types = new DataType[outs.length];
        char[] orders = new char[outs.length];
        for (int i = 0; i < outs.length; i++) {
            INDArray a = result.resultAt(i);
            if (a == null) {
                unsupported = "op " + op.getOwnName() + " (" + op.opName() + ") has no array for output " + outs[i];
                return;
            }
            shapes[i] = a.shape();
            types[i] = a.dataType();
            orders[i] = a.ordering();
            if (a.isEmpty()) {
                unsupported = "op " + op.getOwnName() + " (" + op.opName() + ") output " + outs[i] + " is empty";
                return;
            }
            namesOfArrays.put(a, outs[i]);
        }
        if (op instanceof GradientBackwardsMarker) {
            executed.add(new Executed(op, Kind.ONES, new String[0], outs, shapes, types, orders, null, null, null, null, null));
            return;
        }
        if (ctx == null || !(op instanceof CustomOp || op instanceof Op)) {
            unsupported = "op " + op.getOwnName() + " (" + op.opName() + ", " + op.getClass().getSimpleName()
                    + ") is not executed through an op context";
            return;
        }
        List<INDArray> in = ctx.getInputArrays();
        String[] inputs = new String[in.size()];
        for (int i = 0; i < inputs.length; i++) {
            if (in.size() == args.length) {
                inputs[i] = args[i];
            } else {
                inputs[i] = namesOfArrays.get(in.get(i));
                if (inputs[i] == null) {
                    inputs[i] = variableHolding(in.get(i), args);
                }
                if (inputs[i] == null) {
                    unsupported = "op " + op.getOwnName() + " (" + op.opName() + ") input " + i + " cannot be named";
                    return;
                }
            }
        }
        String scalarInput = null;
        if (op instanceof org.nd4j.linalg.api.ops.ScalarOp && args.length == 2) {
            scalarInput = args[1];
        }
        executed.add(new Executed(op, Kind.EXECUTE, inputs, outs, shapes, types, orders, longs(ctx.getIArguments()),
                doubles(ctx.getTArguments()), booleans(ctx.getBArguments()),
                ctx.getDArguments().toArray(new DataType[0]), scalarInput));
    }

    /**
     * The step at batch size {@code batch}, from the same step recorded at two smaller batch sizes: every output
     * dimension that differs between the two recordings is taken to grow linearly with the batch (the leading
     * dimension, and products such as {@code N·C} of a reshape), every other dimension is kept. The two recordings
     * must have executed the same ops in the same order with the same arguments; a difference (an argument that
     * depends on the batch size, a different op order) makes the extrapolation unsupported. The result is checked
     * against the kernels' own shape functions before it runs ({@link ReplayPlan#verifyShapes}).
     *
     * @throws ReplayPlan.UnsupportedStepException when the recordings disagree in anything but linear dimensions
     */
    static StepRecorder extrapolate(StepRecorder a, long batchA, StepRecorder b, long batchB, long batch)
            throws ReplayPlan.UnsupportedStepException {
        if (a.unsupported != null || b.unsupported != null) {
            throw new ReplayPlan.UnsupportedStepException(a.unsupported != null ? a.unsupported : b.unsupported);
        }
        if (batchA == batchB || a.executed.size() != b.executed.size() || !a.aliases.equals(b.aliases)) {
            throw new ReplayPlan.UnsupportedStepException("the recordings at batch " + batchA + " and " + batchB
                    + " executed different op lists (" + a.executed.size() + " and " + b.executed.size() + " ops)");
        }
        StepRecorder out = new StepRecorder(a.gradFunction);
        out.aliases.putAll(a.aliases);
        for (int i = 0; i < a.executed.size(); i++) {
            Executed x = a.executed.get(i);
            Executed y = b.executed.get(i);
            if (!x.op().getOwnName().equals(y.op().getOwnName()) || x.kind() != y.kind() || !java.util.Arrays.equals(x.inputs(), y.inputs())
                    || !java.util.Arrays.equals(x.outputs(), y.outputs())
                    || !java.util.Arrays.equals(x.outputTypes(), y.outputTypes())
                    || !java.util.Arrays.equals(x.outputOrders(), y.outputOrders())
                    || !java.util.Arrays.equals(x.iArgs(), y.iArgs()) || !java.util.Arrays.equals(x.tArgs(), y.tArgs())
                    || !java.util.Arrays.equals(x.bArgs(), y.bArgs()) || !java.util.Arrays.equals(x.dArgs(), y.dArgs())
                    || !java.util.Objects.equals(x.scalarInput(), y.scalarInput())) {
                throw new ReplayPlan.UnsupportedStepException("op " + x.op().getOwnName() + " (" + x.op().opName()
                        + ") differs between the recordings at batch " + batchA + " and " + batchB
                        + " in more than its shapes");
            }
            long[][] shapes = new long[x.outputShapes().length][];
            for (int o = 0; o < shapes.length; o++) {
                long[] sa = x.outputShapes()[o];
                long[] sb = y.outputShapes()[o];
                if (sa.length != sb.length) {
                    throw new ReplayPlan.UnsupportedStepException("output " + x.outputs()[o] + " has rank "
                            + sa.length + " at batch " + batchA + " and " + sb.length + " at batch " + batchB);
                }
                shapes[o] = new long[sa.length];
                for (int d = 0; d < sa.length; d++) {
                    long step = sb[d] - sa[d];
                    if (step % (batchB - batchA) != 0) {
                        throw new ReplayPlan.UnsupportedStepException("dimension " + d + " of " + x.outputs()[o]
                                + " is not linear in the batch size (" + sa[d] + " at " + batchA + ", " + sb[d]
                                + " at " + batchB + ")");
                    }
                    shapes[o][d] = sa[d] + (batch - batchA) * (step / (batchB - batchA));
                    if (shapes[o][d] <= 0) {
                        throw new ReplayPlan.UnsupportedStepException("dimension " + d + " of " + x.outputs()[o]
                                + " extrapolates to " + shapes[o][d] + " at batch " + batch);
                    }
                }
            }
            out.executed.add(new Executed(x.op(), x.kind(), x.inputs(), x.outputs(), shapes, x.outputTypes(),
                    x.outputOrders(), x.iArgs(), x.tArgs(), x.bArgs(), x.dArgs(), x.scalarInput()));
        }
        return out;
    }

    private String variableHolding(INDArray array, String[] candidates) {
        for (String c : candidates) {
            if (gradFunction.hasVariable(c) && gradFunction.getArrForVarName(c) == array) {
                return c;
            }
        }
        return null;
    }

    private static long[] longs(List<Long> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static double[] doubles(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static boolean[] booleans(List<Boolean> l) {
        boolean[] a = new boolean[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
