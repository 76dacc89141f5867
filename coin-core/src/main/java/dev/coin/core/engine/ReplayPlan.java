package dev.coin.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * A training step of one graph for one set of placeholder shapes, replayed from what SameDiff's session executed
 * once ({@link StepRecorder}): the op list in the session's order, one prepared op context per op, and every
 * intermediate array placed once in a buffer shared by liveness.
 *
 * <p>Why: after the slow kernels are replaced, SameDiff's per-op bookkeeping (dependency tracking, output-shape
 * calculation, allocating and zero-filling every output, releasing it again) is the largest part of a COIN step on
 * the CPU (measured: 60 % of a base-16 generator step). A replay does none of that: per op it runs the kernel on
 * arrays that were bound when the plan was made. Placeholders are copied into the plan's own arrays; weights,
 * constants and the optimiser state are SameDiff's own arrays, updated in place.
 *
 * <p>Semantics are the session's: ops run in the recorded order; a gradient is handed to the optimiser the moment
 * its op has run (regularisation before and after the updater as configured, then {@code param -= update}), as
 * SameDiff's training session does; listeners see every activation and each op, then {@code iterationDone}.
 * Outputs of ops not known to overwrite every element are zeroed before the op runs (the session hands out fresh
 * zeroed arrays).
 *
 * <p>Memory: an array lives from the op that writes it to the last op that reads it, at an offset in one arena per
 * data type that no array with an overlapping lifetime uses (placed largest first), so the plan holds about the peak
 * of live activations and gradients, not their sum; cheap forward values are recomputed for the backward pass rather
 * than kept, and convolutions too when the step would not fit under {@code maxphysicalbytes} otherwise
 * ({@link Recomputation}). The arena comes from a {@link BufferPool} shared with plans that never run at
 * the same time.
 */
final class ReplayPlan implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplayPlan.class);
    /**
     * Memory the process needs beyond a plan's arena while the step runs, as a share of the arena plus a fixed part:
     * the kernels' own scratch (libnd4j's convolutions allocate theirs per call, outside any cap), the heap, small
     * arrays. Measured at the paper configuration (COIN generator step, batch 16, 256², 12.9 GiB arena): the process
     * peaked 4.2 GiB above its resident size at planning plus the arena. A plan that does not fit with this margin
     * recomputes convolutions instead.
     */
    private static final double SCRATCH_SHARE = 0.3;
    private static final long HEADROOM = 1L << 30;
    /** Arrays smaller than this many elements get their own buffer (not worth planning). */
    static final long POOLED_MIN_LENGTH = 4096;

    /** Ops whose kernels write every element of every output, so their outputs need no zeroing. */
    private static final Set<String> OVERWRITING = Set.of("conv2d", "conv2d_bp", "deconv2d", "deconv2d_bp",
            "depthwise_conv2d", "depthwise_conv2d_bp", "matmul", "matmul_bp", "mmul", "multiply", "add", "subtract",
            "divide", "realdiv", "multiply_bp", "add_bp", "subtract_bp", "divide_bp", "relu", "relu_bp",
            "thresholdedrelu_bp", "concat", "reshape", "permute", "transpose", "tanh_bp", "sigmoid_bp", "abs_bp",
            "softplus_bp", "biasadd", "biasadd_bp", "avgpool2d", "upsampling2d", "squaredsubtract",
            "squaredsubtract_bp", "reduce_mean_bp", "reduce_sum_bp", "rsqrt", "assign", "ones_as", "zeros_as",
            "shape_of", "fill", "onehot", "strided_slice", "expand_dims", "squeeze", "stack", "unstack",
            "cast", "mergeadd", "reduce_mean", "reduce_sum", "reduce_norm2", "reduce_sqnorm");

    /** Thrown when a recorded step cannot be replayed; the caller keeps using the session. */
    static final class UnsupportedStepException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedStepException(String message) {
            super(message);
        }
    }

    private record Update(String variable, INDArray parameter, GradientUpdater<?> updater) {
    }

    private static final class Step {
        StepRecorder.Executed recorded;
        OpContext context;
        INDArray[] outputs;
        boolean zeroOutputs;
        boolean view; // a reshape whose output is a view of its input's buffer: nothing to run
        boolean recomputed; // a forward value computed again for the backward pass: no listener sees it
        INDArray scalar;
        Update[] updates; // per output; null entries for non-gradients
        SameDiffOp sameDiffOp;
    }

    private final String key;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, INDArray> placeholders = new LinkedHashMap<>();
    private final Map<String, INDArray> boundVariables = new LinkedHashMap<>();
    private final List<INDArray> buffers = new ArrayList<>();
    private final SameDiff gradFunction;
    private final ExactKernels.Counter counter;
    private final BufferPool pool;
    private long plannedBytes;
    private long unplannedBytes;
    private long peakLiveBytes;
    private Recomputation.Policy policy = Recomputation.Policy.CHEAP;
    private String peakOp = "";
    private String peakLive = "";

    private ReplayPlan(String key, SameDiff gradFunction, ExactKernels.Counter counter, BufferPool pool) {
        this.key = key;
        this.gradFunction = gradFunction;
        this.counter = counter;
        this.pool = pool;
    }

    String key() {
        return key;
    }

    /**
     * Bytes of the activation/gradient buffers this plan uses (lent by its pool, possibly shared with other plans)
     * and of the small arrays with buffers of their own.
     */
    long[] bytes() {
        return new long[] {plannedBytes, unplannedBytes};
    }

    /**
     * Makes a plan from a recorded step.
     *
     * @param feeds            this step's placeholder arrays (their shapes and types are the plan's)
     * @param gradientToVariable SameDiff's map from gradient variables to the trained variables
     * @param parent           the graph being trained (its updater map holds the optimiser state)
     * @param pool             where the intermediates' buffers come from (shared with plans that never run at the
     *                         same time as this one)
     */
    static ReplayPlan build(String key, StepRecorder recorded, SameDiff gradFunction, SameDiff parent,
            Map<String, INDArray> feeds, Map<String, String> gradientToVariable, ExactKernels.Counter counter,
            BufferPool pool) throws UnsupportedStepException {
        if (recorded.unsupported() != null) {
            throw new UnsupportedStepException(recorded.unsupported());
        }
        List<StepRecorder.Executed> ops = recorded.executed();
        if (ops.isEmpty()) {
            throw new UnsupportedStepException("the recorded step executed no ops");
        }
        ReplayPlan plan = new ReplayPlan(key, gradFunction, counter, pool);
        try {
            plan.layOut(ops, recorded.aliases(), parent, feeds, gradientToVariable);
        } catch (UnsupportedStepException | RuntimeException e) {
            plan.close();
            throw e;
        }
        return plan;
    }

    private void layOut(List<StepRecorder.Executed> ops, Map<String, String> aliases, SameDiff parent,
            Map<String, INDArray> feeds, Map<String, String> gradientToVariable) throws UnsupportedStepException {
        // 1. who writes what, who reads it last
        Map<String, Integer> writer = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, DataType> types = new HashMap<>();
        Map<String, Character> orders = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            StepRecorder.Executed e = ops.get(i);
            for (int o = 0; o < e.outputs().length; o++) {
                writer.put(e.outputs()[o], i);
                shapes.put(e.outputs()[o], e.outputShapes()[o]);
                types.put(e.outputs()[o], e.outputTypes()[o]);
                orders.put(e.outputs()[o], e.outputOrders()[o]);
            }
        }
        ops = rewireBackwardReads(ops, aliases, shapes);
        // reshapes of a contiguous intermediate become views of its buffer (no copy); never for a gradient, which
        // the optimiser overwrites in place
        Map<String, String> viewOf = new HashMap<>();
        for (StepRecorder.Executed e : ops) {
            if (e.kind() != StepRecorder.Kind.EXECUTE || !e.op().opName().equals("reshape") || e.outputs().length != 1
                    || e.inputs().length == 0) {
                continue;
            }
            String out = e.outputs()[0];
            String src = resolve(e.inputs()[0], aliases);
            if (writer.containsKey(src) && orders.get(src) == 'c' && orders.get(out) == 'c'
                    && types.get(src) == types.get(out) && lengthOf(shapes.get(src)) == lengthOf(shapes.get(out))
                    && !gradientToVariable.containsKey(out)) {
                viewOf.put(out, src);
            }
        }
        Map<String, String> roots = new HashMap<>(aliases);
        roots.putAll(viewOf);
        long cap = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        Recomputation.Policy forced = recomputePolicy();
        Layout layout = layout(forced == null ? Recomputation.Policy.CHEAP : forced, ops, aliases, roots, viewOf,
                shapes, types, orders, gradientToVariable);
        long resident = org.bytedeco.javacpp.Pointer.physicalBytes();
        if (forced == null && !fits(resident, layout.needed(), cap) && !pool.canLend(this, layout.arenaLength())) {
            Layout frugal = layout;
            try {
                frugal = layout(Recomputation.Policy.CONVOLUTIONS, ops, aliases, roots, viewOf, shapes, types, orders,
                        gradientToVariable);
            } catch (UnsupportedStepException e) { // keep the plan that works; the cap check below decides
                LOG.warn("training step {}: recomputing convolutions is not possible here ({}); keeping their "
                        + "outputs", key, e.getMessage());
            }
            if (frugal.needed() < layout.needed()) {
                LOG.info(String.format(java.util.Locale.ROOT, "training step %s: its activations and gradients "
                        + "(%.1f GiB, about %.1f GiB while it runs) do not fit beside the %.1f GiB resident under "
                        + "-Dorg.bytedeco.javacpp.maxphysicalbytes=%.1f GiB; recomputing convolutions in the backward "
                        + "pass instead of keeping their outputs: %.1f GiB, one more forward convolution per layer",
                        key, layout.needed() / GIB, runningBytes(layout.needed()) / GIB, resident / GIB, cap / GIB,
                        frugal.needed() / GIB));
                layout = frugal;
            }
        }
        ops = layout.ops();
        shapes = layout.shapes();
        types = layout.types();
        orders = layout.orders();
        policy = layout.policy();
        peakLiveBytes = layout.peakLiveBytes();
        peakOp = layout.peakOp();
        peakLive = layout.peakLive();
        Map<String, Long> offsetOf = layout.offsetOf();
        Map<DataType, Long> arenaLength = layout.arenaLength();
        long needed = layout.needed();
        if (cap > 0 && needed > cap) {
            throw tooLarge(needed, cap, null);
        }
        Map<DataType, INDArray> arenas = new EnumMap<>(DataType.class);
        try {
            for (Map.Entry<DataType, Long> a : arenaLength.entrySet()) {
                arenas.put(a.getKey(), pool.acquire(this, a.getKey(), a.getValue()));
                plannedBytes += a.getValue() * a.getKey().width();
            }
        } catch (OutOfMemoryError e) {
            throw tooLarge(needed, cap, e);
        }
        // 4. one array per written variable
        Map<String, INDArray> arrays = new HashMap<>();
        for (Map.Entry<String, long[]> w : shapes.entrySet()) {
            String name = w.getKey();
            if (viewOf.containsKey(name)) {
                continue;
            }
            long[] shape = w.getValue();
            DataType type = types.get(name);
            char order = orders.get(name);
            Long offset = offsetOf.get(name);
            INDArray a;
            if (offset == null) {
                a = Nd4j.createUninitialized(type, shape, order);
                buffers.add(a);
                unplannedBytes += lengthOf(shape) * type.width();
            } else {
                a = Nd4j.create(arenas.get(type).data(), shape, Nd4j.getStrides(shape, order), offset, order, type);
            }
            arrays.put(name, a);
        }
        for (StepRecorder.Executed e : ops) { // views in op order: a view of a view needs its source first
            for (String out : e.outputs()) {
                String src = viewOf.get(out);
                if (src != null) {
                    INDArray base = arrays.get(src);
                    long[] shape = shapes.get(out);
                    arrays.put(out, Nd4j.create(base.data(), shape, Nd4j.getStrides(shape, 'c'), base.offset(), 'c',
                            types.get(out)));
                }
            }
        }
        // 5. contexts
        for (StepRecorder.Executed e : ops) {
            Step step = new Step();
            step.recorded = e;
            step.sameDiffOp = gradFunction.getOps().get(e.op().getOwnName());
            step.outputs = new INDArray[e.outputs().length];
            step.updates = new Update[e.outputs().length];
            for (int o = 0; o < e.outputs().length; o++) {
                step.outputs[o] = arrays.get(e.outputs()[o]);
                String variable = gradientToVariable.get(e.outputs()[o]);
                if (variable != null) {
                    GradientUpdater<?> u = parent.getUpdaterMap().get(variable);
                    INDArray param = parent.getArrForVarName(variable);
                    if (u == null || param == null) {
                        throw new UnsupportedStepException("no optimiser state or array for trained variable "
                                + variable);
                    }
                    step.updates[o] = new Update(variable, param, u);
                }
            }
            step.view = viewOf.containsKey(e.outputs().length == 1 ? e.outputs()[0] : "");
            step.recomputed = e.outputs().length == 1 && Recomputation.isRecomputed(e.outputs()[0]);
            if (e.kind() == StepRecorder.Kind.EXECUTE && !step.view) {
                INDArray[] in = new INDArray[e.inputs().length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = e.inputs()[i].startsWith(SHAPE_OF_OUTPUT)
                            ? step.outputs[Integer.parseInt(e.inputs()[i].substring(SHAPE_OF_OUTPUT.length()))]
                            : source(resolve(e.inputs()[i], aliases), arrays, feeds);
                }
                if (e.scalarInput() != null) {
                    step.scalar = source(resolve(e.scalarInput(), aliases), arrays, feeds);
                }
                OpContext ctx = Nd4j.getExecutioner().buildContext();
                ctx.setInputArrays(in);
                ctx.setOutputArrays(step.outputs);
                if (e.iArgs().length > 0) {
                    ctx.setIArguments(e.iArgs());
                }
                if (e.tArgs().length > 0) {
                    ctx.setTArguments(e.tArgs());
                }
                if (e.bArgs().length > 0) {
                    ctx.setBArguments(e.bArgs());
                }
                if (e.dArgs().length > 0) {
                    ctx.setDArguments(e.dArgs());
                }
                step.context = ctx;
                boolean legacy = e.op() instanceof Op && !(e.op() instanceof CustomOp);
                step.zeroOutputs = !legacy && !OVERWRITING.contains(e.op().opName());
            }
            steps.add(step);
        }
    }

    /**
     * The recomputation policy the {@value TrainingStepper#RECOMPUTE_PROPERTY} system property forces, or null for
     * the default: {@link Recomputation.Policy#CHEAP}, and {@link Recomputation.Policy#CONVOLUTIONS} for a step
     * whose arena would not fit under {@code maxphysicalbytes} otherwise.
     */
    static Recomputation.Policy recomputePolicy() {
        String v = System.getProperty(TrainingStepper.RECOMPUTE_PROPERTY, "auto").trim()
                .toUpperCase(java.util.Locale.ROOT);
        if (v.equals("AUTO")) {
            return null;
        }
        try {
            return Recomputation.Policy.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + TrainingStepper.RECOMPUTE_PROPERTY + "='" + v
                    + "' is not a recomputation policy; use auto, cheap or convolutions", e);
        }
    }

    /**
     * True when a step with an arena of {@code arena} bytes fits beside {@code resident} bytes under a cap of
     * {@code cap} bytes (0: no cap) with the measured margin for what it needs beyond the arena.
     */
    static boolean fits(long resident, long arena, long cap) {
        return cap <= 0 || resident + runningBytes(arena) <= cap;
    }

    /** What a step whose arena is {@code arena} bytes adds to the process while it runs (see SCRATCH_SHARE). */
    private static long runningBytes(long arena) {
        return (long) (arena * (1 + SCRATCH_SHARE)) + HEADROOM;
    }

    /** Where a plan's intermediates go, under one recomputation policy. */
    private record Layout(Recomputation.Policy policy, List<StepRecorder.Executed> ops, Map<String, long[]> shapes,
            Map<String, DataType> types, Map<String, Character> orders, Map<String, Long> offsetOf,
            Map<DataType, Long> arenaLength, long needed, long peakLiveBytes, String peakOp, String peakLive) {
    }

    /**
     * Lifetimes and arena offsets of every intermediate of {@code recorded} with the recomputations of {@code policy}
     * (the maps given are not changed).
     */
    private static Layout layout(Recomputation.Policy policy, List<StepRecorder.Executed> recorded,
            Map<String, String> aliases, Map<String, String> roots, Map<String, String> viewOf,
            Map<String, long[]> recordedShapes, Map<String, DataType> recordedTypes,
            Map<String, Character> recordedOrders, Map<String, String> gradientToVariable)
            throws UnsupportedStepException {
        Map<String, long[]> shapes = new HashMap<>(recordedShapes);
        Map<String, DataType> types = new HashMap<>(recordedTypes);
        Map<String, Character> orders = new HashMap<>(recordedOrders);
        List<StepRecorder.Executed> ops = Recomputation.apply(recorded, aliases, roots, shapes, types, orders,
                gradientToVariable, policy);
        long peakLiveBytes = 0;
        String peakOp = "";
        String peakLive = "";
        Map<String, Integer> writer = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String out : ops.get(i).outputs()) {
                writer.put(out, i);
            }
        }
        Map<String, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            StepRecorder.Executed e = ops.get(i);
            for (String in : inputsOf(e)) {
                String r = resolve(in, roots);
                if (writer.containsKey(r)) { // (a shape-only input is nobody's output: not a read)
                    if (writer.get(r) >= i) {
                        throw new UnsupportedStepException("op " + e.op().getOwnName() + " reads " + r
                                + " before it is written");
                    }
                    lastRead.put(r, i);
                }
            }
        }
        // 2. lifetimes: from the op that writes an intermediate to the last op that reads it
        Map<String, int[]> lifetime = new LinkedHashMap<>();
        Set<String> live = new HashSet<>();
        long liveBytes = 0;
        for (int i = 0; i < ops.size(); i++) {
            StepRecorder.Executed e = ops.get(i);
            for (String out : e.outputs()) {
                long length = lengthOf(shapes.get(out));
                if (length < POOLED_MIN_LENGTH || viewOf.containsKey(out)) {
                    continue;
                }
                // written, never read in the step (a logged value, a listener's activation): lives for its op only
                lifetime.put(out, new int[] {i, lastRead.getOrDefault(out, i)});
                live.add(out);
                liveBytes += length * types.get(out).width();
            }
            if (liveBytes > peakLiveBytes) {
                peakLiveBytes = liveBytes;
                peakOp = e.op().getOwnName();
                peakLive = largest(live, shapes, types, writer, ops);
            }
            Set<String> release = new HashSet<>();
            for (String in : inputsOf(e)) {
                String r = resolve(in, roots);
                if (lifetime.containsKey(r) && lifetime.get(r)[1] == i) {
                    release.add(r);
                }
            }
            for (String out : e.outputs()) {
                if (lifetime.containsKey(out) && lifetime.get(out)[1] == i) {
                    release.add(out);
                }
            }
            for (String r : release) {
                if (live.remove(r)) {
                    liveBytes -= lengthOf(shapes.get(r)) * types.get(r).width();
                }
            }
        }
        // 3. an offset per intermediate in one arena per data type
        Map<String, Long> offsetOf = new HashMap<>();
        Map<DataType, Long> arenaLength = placeBySize(lifetime, shapes, types, offsetOf);
        long needed = 0;
        for (Map.Entry<DataType, Long> a : arenaLength.entrySet()) {
            needed += a.getValue() * a.getKey().width();
        }
        return new Layout(policy, ops, shapes, types, orders, offsetOf, arenaLength, needed, peakLiveBytes, peakOp,
                peakLive);
    }

    /** Prefix of an input that only lends its shape: bound to the op's own output of that index, never read. */
    private static final String SHAPE_OF_OUTPUT = "\u0000shape-of-output:";

    /**
     * Backward ops that SameDiff feeds forward values they do not need, which keeps those values alive from the
     * forward to the backward pass (most of a step's peak memory):
     * <ul>
     *   <li>{@code add_bp}, {@code subtract_bp} read their inputs' shapes only ({@link ExactKernels} computes them
     *       from the incoming gradient); {@code reduce_mean_bp}, {@code reduce_sum_bp} likewise for their first
     *       input. Those inputs are bound to the op's own same-shape outputs.</li>
     *   <li>{@code relu_bp}/{@code thresholdedrelu_bp} with cutoff 0 read the ReLU's input for the mask [x > 0]; the
     *       ReLU's output gives the same mask, and it is kept anyway (the next convolution's backward reads it).</li>
     * </ul>
     */
    private static List<StepRecorder.Executed> rewireBackwardReads(List<StepRecorder.Executed> ops,
            Map<String, String> aliases, Map<String, long[]> shapes) {
        Map<String, String> reluOutputOf = new HashMap<>();
        for (StepRecorder.Executed e : ops) {
            if (e.kind() == StepRecorder.Kind.EXECUTE && e.op().opName().equals("relu") && e.outputs().length == 1
                    && e.inputs().length >= 1 && e.op() instanceof ScalarOp so && so.scalar() != null
                    && so.scalar().getDouble(0) == 0.0) {
                reluOutputOf.put(resolve(e.inputs()[0], aliases), e.outputs()[0]);
            }
        }
        List<StepRecorder.Executed> out = new ArrayList<>(ops.size());
        for (StepRecorder.Executed e : ops) {
            String name = e.op().opName();
            String[] in = e.inputs().clone();
            boolean changed = false;
            if ((name.equals("relu_bp") || name.equals("thresholdedrelu_bp")) && in.length == 2) {
                String y = reluOutputOf.get(resolve(in[0], aliases));
                if (y != null) {
                    in[0] = y;
                    changed = true;
                }
            } else if ((name.equals("add_bp") || name.equals("subtract_bp")) && in.length == 3
                    && e.outputs().length == 2 && ExactKernels.handlesShapes(e.outputShapes()[0], e.outputShapes()[1],
                            shapes.get(resolve(in[2], aliases)))) {
                in[0] = SHAPE_OF_OUTPUT + 0;
                in[1] = SHAPE_OF_OUTPUT + 1;
                changed = true;
            } else if ((name.equals("reduce_mean_bp") || name.equals("reduce_sum_bp")) && in.length >= 2
                    && e.outputs().length == 1) {
                in[0] = SHAPE_OF_OUTPUT + 0;
                changed = true;
            }
            out.add(changed ? new StepRecorder.Executed(e.op(), e.kind(), in, e.outputs(), e.outputShapes(),
                    e.outputTypes(), e.outputOrders(), e.iArgs(), e.tArgs(), e.bArgs(), e.dArgs(), e.scalarInput())
                    : e);
        }
        return out;
    }

    private StepMemoryException tooLarge(long needed, long cap, Throwable cause) {
        return new StepMemoryException(String.format(java.util.Locale.ROOT, "this training step (%s) needs %.1f GiB "
                + "for its activations and gradients (%.1f GiB live at its peak, op %s:%s), and the process may use "
                + "%.1f GiB in all (-Dorg.bytedeco.javacpp.maxphysicalbytes, %.1f GiB resident now): train with a "
                + "smaller batch, narrower networks or smaller images, or raise maxphysicalbytes where the machine "
                + "has the memory", key, needed / GIB, peakLiveBytes / GIB, peakOp, peakLive, cap / GIB,
                org.bytedeco.javacpp.Pointer.physicalBytes() / GIB), cause);
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The largest live arrays, by the op type that wrote them (where a step's memory goes at its peak). */
    private static String largest(Set<String> live, Map<String, long[]> shapes, Map<String, DataType> types,
            Map<String, Integer> writer, List<StepRecorder.Executed> ops) {
        Map<String, long[]> byOp = new TreeMap<>();
        for (String n : live) {
            long[] c = byOp.computeIfAbsent(ops.get(writer.get(n)).op().opName(), k -> new long[2]);
            c[0] += lengthOf(shapes.get(n)) * types.get(n).width();
            c[1]++;
        }
        StringBuilder b = new StringBuilder();
        byOp.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(10)
                .forEach(en -> b.append(String.format(java.util.Locale.ROOT, " %s %.0f MiB (%d);", en.getKey(),
                        en.getValue()[0] / 1048576.0, en.getValue()[1])));
        return b.toString();
    }

    /** Where the plan's memory peaks: live bytes, the op, and the largest live arrays by the op type that wrote them. */
    String peakReport() {
        return String.format(java.util.Locale.ROOT, "peak %.1f MiB live at %s:%s", peakLiveBytes / 1048576.0, peakOp,
                peakLive);
    }

    static String[] inputsOf(StepRecorder.Executed e) {
        if (e.scalarInput() == null) {
            return e.inputs();
        }
        String[] all = Arrays.copyOf(e.inputs(), e.inputs().length + 1);
        all[all.length - 1] = e.scalarInput();
        return all;
    }

    /** The array an input reads: an earlier op's output, a placeholder copy, or SameDiff's weight/constant. */
    private INDArray source(String name, Map<String, INDArray> written, Map<String, INDArray> feeds)
            throws UnsupportedStepException {
        INDArray a = written.get(name);
        if (a != null) {
            return a;
        }
        a = placeholders.get(name);
        if (a != null) {
            return a;
        }
        SDVariable v = gradFunction.hasVariable(name) ? gradFunction.getVariable(name) : null;
        if (v != null && v.isPlaceHolder()) {
            INDArray feed = feeds.get(name);
            if (feed == null) {
                throw new UnsupportedStepException("placeholder " + name + " is read but not fed");
            }
            a = Nd4j.createUninitialized(feed.dataType(), feed.shape(), 'c');
            buffers.add(a);
            placeholders.put(name, a);
            return a;
        }
        a = gradFunction.getArrForVarName(name);
        if (a == null) {
            throw new UnsupportedStepException("no array for " + name + " (neither written, fed, a weight nor a "
                    + "constant)");
        }
        boundVariables.put(name, a);
        return a;
    }

    static String resolve(String name, Map<String, String> aliases) {
        String r = name;
        for (int guard = 0; guard < 1000 && aliases.containsKey(r); guard++) {
            r = aliases.get(r);
        }
        return r;
    }

    static long lengthOf(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** True while every weight and constant the plan bound is still the array SameDiff holds. */
    boolean stillBound() {
        for (Map.Entry<String, INDArray> e : boundVariables.entrySet()) {
            if (gradFunction.getArrForVarName(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** One training step: forward, backward and optimiser update, with the listeners' callbacks. */
    void run(Map<String, INDArray> feeds, TrainingConfig config, SameDiff parent, List<Listener> listeners, At at,
            MultiDataSet batch) {
        copyFeeds(feeds);
        int iteration = at.iteration();
        int epoch = at.epoch();
        double lr = config.getUpdater().hasLearningRate() ? config.getUpdater().getLearningRate(iteration, epoch) : 1.0;
        for (Step s : steps) {
            StepRecorder.Executed e = s.recorded;
            if (s.recomputed) {
                execute(s);
                continue;
            }
            for (Listener l : listeners) {
                l.preOpExecution(parent, at, s.sameDiffOp, s.context);
            }
            execute(s);
            for (Listener l : listeners) {
                l.opExecution(parent, at, batch, s.sameDiffOp, s.context, s.outputs);
                for (int o = 0; o < s.outputs.length; o++) {
                    l.activationAvailable(parent, at, batch, s.sameDiffOp, e.outputs()[o], s.outputs[o]);
                }
            }
            for (int o = 0; o < s.updates.length; o++) {
                if (s.updates[o] != null) {
                    applyUpdate(s.updates[o], s.outputs[o], config, parent, listeners, at, lr);
                }
            }
        }
    }

    private void copyFeeds(Map<String, INDArray> feeds) {
        for (Map.Entry<String, INDArray> p : placeholders.entrySet()) {
            p.getValue().assign(feeds.get(p.getKey()));
        }
    }

    private void execute(Step s) {
        StepRecorder.Executed e = s.recorded;
        if (e.kind() == StepRecorder.Kind.ONES) {
            s.outputs[0].assign(1.0);
        } else if (!s.view) {
            if (s.zeroOutputs) {
                for (INDArray o : s.outputs) {
                    o.assign(0);
                }
            }
            if (s.scalar != null) {
                ((ScalarOp) e.op()).setScalar(s.scalar);
            }
            if (!ExactKernels.tryExecute(e.op(), s.context, counter)) {
                if (e.op() instanceof CustomOp c) {
                    Nd4j.exec(c, s.context);
                } else {
                    Nd4j.exec((Op) e.op(), s.context);
                }
            }
        }
    }

    /**
     * Checks every planned output shape against the shape the op's own shape function computes from the planned
     * inputs, in op order, without running the step: no kernel over a large array runs and nothing is updated. Ops
     * whose outputs are all small (shape arithmetic, per-channel statistics) are executed, so that a later op whose
     * output shape depends on such values (a reshape to a computed shape) is checked against real values. Used for a
     * plan whose shapes were extrapolated rather than recorded at this batch size.
     *
     * @throws UnsupportedStepException naming the first op whose planned shape differs from its kernel's, or whose
     *                                  shape cannot be computed
     */
    void verifyShapes(Map<String, INDArray> feeds) throws UnsupportedStepException {
        copyFeeds(feeds);
        for (Step s : steps) {
            if (s.context == null) {
                continue; // the loss seed (a scalar) or a reshape view (its length was checked when planned)
            }
            StepRecorder.Executed e = s.recorded;
            if (s.scalar != null) {
                ((ScalarOp) e.op()).setScalar(s.scalar);
            }
            List<long[]> computed = kernelShapes(e.op(), s.context);
            if (computed.size() < s.outputs.length) {
                throw new UnsupportedStepException("op " + e.op().getOwnName() + " (" + e.op().opName() + ") computes "
                        + computed.size() + " output shapes for " + s.outputs.length + " planned outputs");
            }
            boolean small = true;
            for (int o = 0; o < s.outputs.length; o++) {
                if (!Arrays.equals(computed.get(o), s.outputs[o].shape())) {
                    throw new UnsupportedStepException("op " + e.op().getOwnName() + " (" + e.op().opName()
                            + ") output " + e.outputs()[o] + ": planned " + Arrays.toString(s.outputs[o].shape())
                            + ", its kernel makes " + Arrays.toString(computed.get(o)));
                }
                small &= s.outputs[o].length() < POOLED_MIN_LENGTH;
            }
            if (small) {
                execute(s);
            }
        }
    }

    /** The output shapes the op's shape function gives for the context's inputs. */
    private static List<long[]> kernelShapes(org.nd4j.autodiff.functions.DifferentialFunction op, OpContext ctx)
            throws UnsupportedStepException {
        List<long[]> shapes = new ArrayList<>();
        try {
            List<org.nd4j.linalg.api.shape.LongShapeDescriptor> d = op instanceof CustomOp c
                    ? Nd4j.getExecutioner().calculateOutputShape(c, ctx)
                    : op.calculateOutputShape(ctx);
            for (org.nd4j.linalg.api.shape.LongShapeDescriptor x : d) {
                shapes.add(x.getShape());
            }
        } catch (RuntimeException ex) {
            // legacy element-wise ops without a context shape function: their output has their first input's shape
            if ((op instanceof org.nd4j.linalg.api.ops.TransformOp || op instanceof ScalarOp)
                    && !ctx.getInputArrays().isEmpty()) {
                shapes.add(ctx.getInputArrays().get(0).shape());
            } else {
                throw new UnsupportedStepException("the output shape of op " + op.getOwnName() + " (" + op.opName()
                        + ") cannot be computed: " + ex);
            }
        }
        return shapes;
    }

    /** SameDiff's update rule for one trained variable (see {@code TrainingSession.getOutputs}). */
    private static void applyUpdate(Update u, INDArray gradient, TrainingConfig config, SameDiff parent,
            List<Listener> listeners, At at, double lr) {
        List<Regularization> regs = config.getRegularization();
        if (regs != null) {
            for (Regularization r : regs) {
                if (r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER) {
                    r.apply(u.parameter(), gradient, lr, at.iteration(), at.epoch());
                }
            }
        }
        u.updater().applyUpdater(gradient, at.iteration(), at.epoch());
        if (regs != null) {
            for (Regularization r : regs) {
                if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) {
                    r.apply(u.parameter(), gradient, lr, at.iteration(), at.epoch());
                }
            }
        }
        if (!listeners.isEmpty()) {
            Variable v = parent.getVariables().get(u.variable());
            for (Listener l : listeners) {
                l.preUpdate(parent, at, v, gradient);
            }
        }
        if (config.isMinimize()) {
            u.parameter().subi(gradient);
        } else {
            u.parameter().addi(gradient);
        }
    }

    /**
     * Greedy placement by size (largest first): each intermediate goes to the lowest offset, aligned to 64 bytes, that
     * no already placed intermediate of the same type with an overlapping lifetime occupies. The arena then holds
     * close to the peak of live bytes; slots that grow to their largest tenant (the earlier scheme) held 1.6× that
     * at the paper configuration (20.8 GiB for a 12.9 GiB live peak).
     *
     * @return the arena length (elements) per data type; {@code offsetOf} receives each intermediate's offset
     */
    private static Map<DataType, Long> placeBySize(Map<String, int[]> lifetime, Map<String, long[]> shapes,
            Map<String, DataType> types, Map<String, Long> offsetOf) {
        Map<DataType, List<String>> byType = new EnumMap<>(DataType.class);
        for (String name : lifetime.keySet()) {
            byType.computeIfAbsent(types.get(name), t -> new ArrayList<>()).add(name);
        }
        Map<DataType, Long> arenaLength = new EnumMap<>(DataType.class);
        for (Map.Entry<DataType, List<String>> t : byType.entrySet()) {
            long align = Math.max(1, 64 / t.getKey().width());
            List<String> order = new ArrayList<>(t.getValue());
            order.sort((a, b) -> {
                int c = Long.compare(lengthOf(shapes.get(b)), lengthOf(shapes.get(a)));
                return c != 0 ? c : Integer.compare(lifetime.get(a)[0], lifetime.get(b)[0]);
            });
            List<String> placed = new ArrayList<>();
            long arena = 0;
            for (String name : order) {
                int[] life = lifetime.get(name);
                long length = lengthOf(shapes.get(name));
                List<long[]> busy = new ArrayList<>();
                for (String p : placed) {
                    int[] other = lifetime.get(p);
                    if (other[0] <= life[1] && life[0] <= other[1]) {
                        long at = offsetOf.get(p);
                        busy.add(new long[] {at, at + lengthOf(shapes.get(p))});
                    }
                }
                busy.sort((a, b) -> Long.compare(a[0], b[0]));
                long offset = 0;
                for (long[] b : busy) {
                    if (offset + length <= b[0]) {
                        break;
                    }
                    offset = Math.max(offset, (b[1] + align - 1) / align * align);
                }
                offsetOf.put(name, offset);
                placed.add(name);
                arena = Math.max(arena, offset + length);
            }
            arenaLength.put(t.getKey(), arena);
        }
        return arenaLength;
    }

    @Override
    public void close() {
        for (Step s : steps) {
            if (s.context != null) {
                try {
                    s.context.close();
                } catch (Exception e) {
                    // a context that cannot be closed is left to the garbage collector
                }
            }
        }
        steps.clear();
        for (INDArray b : buffers) {
            if (b.closeable()) {
                b.close();
            }
        }
        buffers.clear();
        pool.release(this);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "ReplayPlan[%s: %d ops, %.1f MiB planned + %.1f MiB small, "
                + "recomputing %s]", key, steps.size(), plannedBytes / 1048576.0, unplannedBytes / 1048576.0,
                policy.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** What this plan computes again in the backward pass instead of keeping. */
    Recomputation.Policy policy() {
        return policy;
    }
}
