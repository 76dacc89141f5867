package dev.coin.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Rewrites a recorded training step so that forward values the backward pass reads are computed again just before
 * that read instead of being kept alive from the forward pass.
 *
 * <p>A value written in the forward pass and read again in the backward pass lives through everything in between:
 * most of a step's peak memory. Two policies:
 * <ul>
 *   <li>{@link Policy#CHEAP} (always on): the output of a cheap op (element-wise arithmetic, upsampling) whose
 *       inputs are alive at that backward read in any case — the normalised map {@code centered · rsqrt(var + ε)}
 *       of a batch norm, whose {@code centered} the backward pass reads later; a nearest-upsampled map, whose
 *       smaller input the ReLU backward reads later. The first value dies at its last forward read. Nothing is kept
 *       longer than before, so the peak only goes down; the cost is one element-wise pass per value.</li>
 *   <li>{@link Policy#CONVOLUTIONS} (for a step that would not fit in memory otherwise): also convolutions and
 *       concatenations, in chains of up to {@value #CHAIN_DEPTH} ops. A batch norm's {@code centered} map is then
 *       rebuilt from the convolution that fed it (whose input, the previous layer's ReLU output, the convolution's
 *       own backward reads later anyway), and a decoder's concatenated input from its two halves. This is
 *       activation checkpointing: about one activation map less per layer, for one more forward convolution per
 *       layer. A trained variable may be read by a recomputed op only before the optimiser updates it in place
 *       (the op that writes its gradient comes after the read), which holds for a layer's own weights because the
 *       batch norm's backward runs before the convolution's.</li>
 * </ul>
 * The recomputed values are bitwise the originals: the same kernels on the same inputs. Values read in the backward
 * pass through a reshape view are never recomputed (their twin would need a view of its own).
 */
final class Recomputation {
    /** How much of the forward pass may run a second time. */
    enum Policy {
        CHEAP(Set.of("multiply", "add", "subtract", "upsampling2d"), 0),
        CONVOLUTIONS(Set.of("multiply", "add", "subtract", "upsampling2d", "conv2d", "concat", "biasadd"),
                Recomputation.CHAIN_DEPTH);

        private final Set<String> ops;
        private final int chainDepth;

        Policy(Set<String> ops, int chainDepth) {
            this.ops = ops;
            this.chainDepth = chainDepth;
        }
    }

    /** Longest chain of ops recomputed to rebuild one value (convolution → bias → subtraction). */
    static final int CHAIN_DEPTH = 3;
    /** Marks a forward value computed a second time, just before the backward pass reads it. */
    static final String RECOMPUTED = "\u0000recomputed";

    private final List<StepRecorder.Executed> ops;
    private final Map<String, String> aliases;
    private final Map<String, String> roots;
    private final Map<String, long[]> shapes;
    private final Map<String, DataType> types;
    private final Map<String, Character> orders;
    private final Set<String> trained;
    private final Policy policy;
    private final Map<String, Integer> writerOf = new HashMap<>();
    private final Map<String, List<Integer>> readers = new HashMap<>();
    private final Map<String, Integer> lastRead = new HashMap<>();
    /** Index of the op that writes each trained variable's gradient (the optimiser updates it right after). */
    private final Map<String, Integer> updatedAt = new HashMap<>();
    private final Map<String, String> twinOf = new HashMap<>(); // original value -> its recomputed name
    private final Map<String, Integer> twinAt = new HashMap<>(); // original value -> op index its twin precedes
    private final Set<String> chainValues = new HashSet<>(); // names of chain intermediates already inserted
    private int marker = -1;

    private Recomputation(List<StepRecorder.Executed> ops, Map<String, String> aliases, Map<String, String> roots,
            Map<String, long[]> shapes, Map<String, DataType> types, Map<String, Character> orders,
            Map<String, String> gradientToVariable, Policy policy) {
        this.ops = ops;
        this.aliases = aliases;
        this.roots = roots;
        this.shapes = shapes;
        this.types = types;
        this.orders = orders;
        this.trained = Set.copyOf(gradientToVariable.values());
        this.policy = policy;
        for (int i = 0; i < ops.size(); i++) {
            StepRecorder.Executed e = ops.get(i);
            for (String out : e.outputs()) {
                writerOf.put(out, i);
                String variable = gradientToVariable.get(out);
                if (variable != null) {
                    updatedAt.put(variable, i);
                }
            }
            for (String in : ReplayPlan.inputsOf(e)) {
                readers.computeIfAbsent(ReplayPlan.resolve(in, roots), k -> new ArrayList<>()).add(i);
            }
        }
        readers.forEach((k, v) -> lastRead.put(k, v.get(v.size() - 1)));
        // the backward pass starts with the first gradient op (M2.1 seeds it with a constant, not an op)
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).kind() == StepRecorder.Kind.ONES || ops.get(i).op().opName().endsWith("_bp")) {
                marker = i - 1;
                break;
            }
        }
    }

    /**
     * The step with recomputations inserted and the backward reads moved to them; {@code shapes}, {@code types} and
     * {@code orders} receive the recomputed values' entries.
     */
    static List<StepRecorder.Executed> apply(List<StepRecorder.Executed> ops, Map<String, String> aliases,
            Map<String, String> roots, Map<String, long[]> shapes, Map<String, DataType> types,
            Map<String, Character> orders, Map<String, String> gradientToVariable, Policy policy) {
        List<StepRecorder.Executed> cheap = new Recomputation(ops, aliases, roots, shapes, types, orders,
                gradientToVariable, Policy.CHEAP).rewrite();
        if (policy == Policy.CHEAP) {
            return cheap;
        }
        // chains run on the program the cheap pass made, so that they read what is really alive there: deciding
        // both at once let a chain's twin of a block output end the original that a cheap recomputation relied on
        return new Recomputation(cheap, aliases, roots, shapes, types, orders, gradientToVariable, policy).rewrite();
    }

    /** True for a value the replay computed a second time (no listener sees it). */
    static boolean isRecomputed(String name) {
        return name.contains(RECOMPUTED);
    }

    private List<StepRecorder.Executed> rewrite() {
        if (marker < 0) {
            return ops;
        }
        Map<Integer, List<StepRecorder.Executed>> insertBefore = new HashMap<>();
        for (int i = 0; i < marker; i++) {
            StepRecorder.Executed e = ops.get(i);
            if (!recomputable(e)) {
                continue;
            }
            String out = e.outputs()[0];
            if (roots.containsKey(out) || ReplayPlan.lengthOf(shapes.get(out)) < ReplayPlan.POOLED_MIN_LENGTH) {
                continue;
            }
            List<Integer> reads = readers.getOrDefault(out, List.of());
            int firstLate = -1;
            for (int r : reads) {
                if (r > marker) {
                    firstLate = r;
                    break;
                }
            }
            if (firstLate < 0 || throughView(reads, out)) {
                continue;
            }
            Map<String, String> chainNames = new LinkedHashMap<>(); // chain intermediates -> their names
            List<StepRecorder.Executed> chain = new ArrayList<>();
            if (!inputsReady(e, firstLate, policy.chainDepth, chain, chainNames)) {
                continue;
            }
            // (a value the cheap pass recomputed may have a twin of that name already, read by another twin)
            String again = out + RECOMPUTED + (policy == Policy.CHEAP ? "" : "#" + firstLate);
            chainNames.forEach((original, name) -> register(original, name));
            chainValues.addAll(chainNames.values());
            register(out, again);
            List<StepRecorder.Executed> inserted = insertBefore.computeIfAbsent(firstLate, k -> new ArrayList<>());
            inserted.addAll(chain);
            inserted.add(renamed(e, again, chainNames, firstLate));
            twinOf.put(out, again);
            twinAt.put(out, firstLate);
        }
        if (twinOf.isEmpty()) {
            return ops;
        }
        List<StepRecorder.Executed> result = new ArrayList<>(ops.size() + twinOf.size());
        for (int i = 0; i < ops.size(); i++) {
            result.addAll(insertBefore.getOrDefault(i, List.of()));
            StepRecorder.Executed e = ops.get(i);
            if (i <= marker) {
                result.add(e);
                continue;
            }
            // (a forward op the session ran after the backward pass began reads the recomputed value: the same)
            String[] in = e.inputs().clone();
            boolean changed = false;
            for (int k = 0; k < in.length; k++) {
                String again = twinOf.get(ReplayPlan.resolve(in[k], aliases));
                if (again != null) { // every read after the marker comes at or after the first one
                    in[k] = again;
                    changed = true;
                }
            }
            String scalar = e.scalarInput();
            if (scalar != null && twinOf.containsKey(ReplayPlan.resolve(scalar, aliases))) {
                scalar = twinOf.get(ReplayPlan.resolve(scalar, aliases));
                changed = true;
            }
            result.add(changed ? new StepRecorder.Executed(e.op(), e.kind(), in, e.outputs(), e.outputShapes(),
                    e.outputTypes(), e.outputOrders(), e.iArgs(), e.tArgs(), e.bArgs(), e.dArgs(), scalar) : e);
        }
        return result;
    }

    private boolean recomputable(StepRecorder.Executed e) {
        return e.kind() == StepRecorder.Kind.EXECUTE && e.outputs().length == 1
                && policy.ops.contains(e.op().opName());
    }

    /**
     * True when every input of {@code e} can be read just before op {@code at}: alive then anyway, small (its own
     * buffer, never reused), a weight not yet updated, or (with chains allowed) rebuilt itself by ops appended to
     * {@code chain}.
     */
    private boolean inputsReady(StepRecorder.Executed e, int at, int depth, List<StepRecorder.Executed> chain,
            Map<String, String> chainNames) {
        boolean chains = policy.chainDepth > 0;
        for (String in : ReplayPlan.inputsOf(e)) {
            String r = ReplayPlan.resolve(in, roots);
            boolean direct = ReplayPlan.resolve(in, aliases).equals(r); // not through a reshape view
            if (trained.contains(r)) {
                if (!chains || updatedAt.getOrDefault(r, -1) < at) {
                    return false;
                }
                continue;
            }
            if (!writerOf.containsKey(r) || ReplayPlan.lengthOf(shapes.get(r)) < ReplayPlan.POOLED_MIN_LENGTH) {
                continue;
            }
            if (chainNames.containsKey(r)) {
                if (!direct) {
                    return false; // a view would read the original, which may be gone by then
                }
                continue;
            }
            if (twinAlive(r, direct, at) || (!(chains && twinAt.containsKey(r)) && writerOf.get(r) < at
                    && lastRead.getOrDefault(r, -1) >= at)) {
                continue; // alive when the backward pass reads the value (itself or its twin)
            }
            int w = writerOf.get(r);
            StepRecorder.Executed writer = ops.get(w);
            if (depth == 0 || !direct || w >= marker || !recomputable(writer) || roots.containsKey(r)) {
                return false;
            }
            String name = r + RECOMPUTED + "@" + at;
            if (chainValues.contains(name)) { // another value's chain rebuilt it just before the same op
                chainNames.put(r, name);
                continue;
            }
            if (!inputsReady(writer, at, depth - 1, chain, chainNames)) {
                return false;
            }
            chainNames.put(r, name);
            chain.add(renamed(writer, name, chainNames, at));
        }
        return true;
    }

    /** {@code e} writing {@code output}, reading the chain's and (with chains) earlier twins' values. */
    private StepRecorder.Executed renamed(StepRecorder.Executed e, String output, Map<String, String> chainNames,
            int at) {
        String[] in = e.inputs().clone();
        for (int k = 0; k < in.length; k++) {
            in[k] = source(in[k], chainNames, at);
        }
        String scalar = e.scalarInput() == null ? null : source(e.scalarInput(), chainNames, at);
        return new StepRecorder.Executed(e.op(), e.kind(), in, new String[] {output}, e.outputShapes(),
                e.outputTypes(), e.outputOrders(), e.iArgs(), e.tArgs(), e.bArgs(), e.dArgs(), scalar);
    }

    private String source(String in, Map<String, String> chainNames, int at) {
        String r = ReplayPlan.resolve(in, roots);
        if (!ReplayPlan.resolve(in, aliases).equals(r)) {
            return in;
        }
        if (chainNames.containsKey(r)) {
            return chainNames.get(r);
        }
        if (twinAlive(r, true, at)) {
            return twinOf.get(r);
        }
        return in;
    }

    /**
     * With chains: true when {@code r} has a twin that is alive at op {@code at} anyway (made at or before it, read
     * by the backward pass at or after it). A value with a twin is otherwise rebuilt, never read from the original:
     * the original's backward reads moved to the twin, so reading it would keep it alive after all.
     */
    private boolean twinAlive(String r, boolean direct, int at) {
        return policy.chainDepth > 0 && direct && twinAt.getOrDefault(r, Integer.MAX_VALUE) <= at
                && lastRead.getOrDefault(r, -1) >= at;
    }

    private void register(String original, String name) {
        shapes.put(name, shapes.get(original));
        types.put(name, types.get(original));
        orders.put(name, orders.get(original));
    }

    /** True when a backward read of {@code out} goes through a reshape view (its recomputed twin has no view). */
    private boolean throughView(List<Integer> reads, String out) {
        for (int r : reads) {
            if (r <= marker) {
                continue;
            }
            for (String in : ReplayPlan.inputsOf(ops.get(r))) {
                if (ReplayPlan.resolve(in, roots).equals(out) && !ReplayPlan.resolve(in, aliases).equals(out)) {
                    return true;
                }
            }
        }
        return false;
    }
}
