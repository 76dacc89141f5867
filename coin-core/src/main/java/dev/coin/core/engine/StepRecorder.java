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
