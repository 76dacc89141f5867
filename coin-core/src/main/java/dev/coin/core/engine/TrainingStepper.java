package dev.coin.core.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training steps (forward, backward, optimiser update) of one SameDiff graph, keeping the execution state
 * between steps.
 *
 * <p>{@code SameDiff.fit(batch)} builds a new training session for every call: every activation and gradient buffer
 * is allocated and zero-filled again, and the op contexts are rebuilt (measured: 9–30 % of a COIN generator step
 * and most of its memory churn). A stepper makes its session once, and its session replaces the slow M2.1 kernels
 * with exact formulations ({@link ExactKernels}). Under {@link Engine#FAST} (the default) every step of a batch
 * shape replays an op list on prepared contexts and planned buffers ({@link ReplayPlan}), without SameDiff's
 * per-op bookkeeping: the list is recorded from the step probed at batch 2 and 3 and extrapolated (batches of four
 * or more), or from the first step at that shape, run in SameDiff's session (smaller batches, or where the
 * extrapolation does not hold). {@link Engine#FIT} keeps
 * {@code sd.fit(batch)} as the reference the faster paths are tested against.
 *
 * <p>Each step counts as one of SameDiff's epochs as well as one iteration, exactly as {@code fit(batch)} counts it,
 * so that listeners and the optimiser see the same {@link At} under every engine.
 *
 * <p>Not thread-safe: one stepper per graph, called from the training thread. {@link #close()} frees the plans'
 * buffers (the trainers close their steppers when {@code fit} ends).
 */
public final class TrainingStepper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingStepper.class);
    /** System property that selects the engine for every stepper made by {@link #of(SameDiff)}. */
    public static final String ENGINE_PROPERTY = "coin.engine";
    /**
     * System property choosing what a replayed step computes again in its backward pass instead of keeping:
     * {@code auto} (the default: cheap element-wise values always, convolutions too when the step's memory would not
     * fit under {@code -Dorg.bytedeco.javacpp.maxphysicalbytes} otherwise), {@code cheap} or {@code convolutions}.
     */
    public static final String RECOMPUTE_PROPERTY = "coin.engine.recompute";
    /** Plans kept per graph: the full batch shape and a smaller last batch. */
    private static final int MAX_PLANS = 2;
    /** Batch sizes at which a step is probed for a plan at a larger batch (see {@link #planFromProbes}). */
    private static final long PROBE_SMALL = 2;
    private static final long PROBE_LARGER = 3;

    /** How a step is executed. */
    public enum Engine {
        /** {@code SameDiff.fit(batch)} per step: the stock path, a new session each call. */
        FIT,
        /** One persistent SameDiff session per graph with {@link ExactKernels}; no replay. */
        SESSION,
        /** A {@link ReplayPlan} per batch shape (probed, or recorded by a first {@link #SESSION} step). The default. */
        FAST;

        /** The engine named by the {@value #ENGINE_PROPERTY} system property ({@code fast} when unset). */
        public static Engine fromSystemProperty() {
            String v = System.getProperty(ENGINE_PROPERTY, "fast").trim().toUpperCase(Locale.ROOT);
            try {
                return valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + ENGINE_PROPERTY + "='" + v
                        + "' is not an engine; use one of " + Arrays.toString(values()), e);
            }
        }
    }

    private final SameDiff sd;
    private final Engine engine;
    private final ExactKernels.Counter counter = new ExactKernels.Counter();
    private final LinkedHashMap<String, ReplayPlan> plans = new LinkedHashMap<>();
    private final Set<String> unreplayable = new HashSet<>();
    private final Set<String> unprobeable = new HashSet<>();
    private BufferPool pool = new BufferPool();
    private FastOpSession session;
    private Set<String> trainable;
    private long replayedSteps;
    private long sessionSteps;
    private long probedPlans;

    private TrainingStepper(SameDiff sd, Engine engine) {
        if (sd.getTrainingConfig() == null) {
            throw new IllegalArgumentException("graph has no TrainingConfig; call sd.setTrainingConfig(...) before "
                    + "making a TrainingStepper");
        }
        this.sd = sd;
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** A stepper with the engine the {@value #ENGINE_PROPERTY} property selects ({@link Engine#FAST} by default). */
    public static TrainingStepper of(SameDiff sd) {
        return of(sd, Engine.fromSystemProperty());
    }

    public static TrainingStepper of(SameDiff sd, Engine engine) {
        return new TrainingStepper(sd, engine);
    }

    public Engine engine() {
        return engine;
    }

    /** The graph this stepper trains. */
    public SameDiff sameDiff() {
        return sd;
    }

    /**
     * Replaced pairwise backward ops ({@code multiply_bp}, {@code add_bp}, {@code subtract_bp}) and relu backward ops
     * run so far (0 under {@link Engine#FIT}).
     */
    public long[] replacementCounts() {
        return new long[] {counter.pairwiseBackward, counter.reluBackward};
    }

    /** Steps run by SameDiff's session and steps replayed from a plan. */
    public long[] stepCounts() {
        return new long[] {sessionSteps, replayedSteps};
    }

    /** What each kept plan computes again in its backward pass, in the order the plans were made. */
    List<Recomputation.Policy> recomputePolicies() {
        List<Recomputation.Policy> p = new ArrayList<>();
        for (ReplayPlan plan : plans.values()) {
            p.add(plan.policy());
        }
        return p;
    }

    /** Plans made from steps probed at a small batch (without a full-size recorded step). */
    public long probedPlanCount() {
        return probedPlans;
    }

    /**
     * Makes this stepper's plans take their buffers from {@code other}'s pool: for steppers whose steps never run at
     * the same time (a trainer's generator and discriminator), so that the process holds about the larger step's
     * intermediates rather than both. Listeners must copy activations they keep beyond the step (the trainers'
     * do). Call before the first step.
     *
     * @return this stepper
     */
    public TrainingStepper shareBuffersWith(TrainingStepper other) {
        Objects.requireNonNull(other, "other");
        if (!plans.isEmpty()) {
            throw new IllegalStateException("this stepper already has replay plans; call shareBuffersWith(...) "
                    + "before its first step");
        }
        this.pool = other.pool;
        return this;
    }

    /** Bytes the replay plans need for their buffers (0 before the first plan or under other engines). */
    public long plannedBytes() {
        long n = 0;
        for (ReplayPlan p : plans.values()) {
            long[] b = p.bytes();
            n += b[0] + b[1];
        }
        return n;
    }

    /**
     * One training step on {@code batch} (features in the order of the config's feature mapping), with
     * {@code extra} listeners for this step only besides the graph's own.
     */
    public void step(MultiDataSet batch, Listener... extra) {
        if (engine == Engine.FIT) {
            sd.fit(batch, extra);
            return;
        }
        TrainingConfig config = sd.getTrainingConfig();
        List<Listener> listeners = activeListeners(extra);
        At at = At.builder().epoch(config.getEpochCount()).iteration(config.getIterationCount())
                .trainingThreadNum(0).javaThreadNum(Thread.currentThread().getId()).operation(Operation.TRAINING)
                .build();
        Map<String, INDArray> feeds = placeholders(config, batch);
        String key = shapeKey(feeds);
        ReplayPlan plan = engine == Engine.FAST ? plans.get(key) : null;
        if (plan != null && !plan.stillBound()) { // the key already fixes the feeds' shapes and types
            LOG.debug("replay plan {} no longer matches the graph's arrays; recording again", plan);
            plans.remove(key).close();
            plan = null;
        }
        if (plan == null && engine == Engine.FAST && !unreplayable.contains(key) && !unprobeable.contains(key)) {
            plan = planFromProbes(config, feeds, key, batch, at, listeners);
        }
        for (Listener l : listeners) {
            l.epochStart(sd, at);
        }
        for (Listener l : listeners) {
            l.iterationStart(sd, at, batch, 0);
        }
        if (plan != null) {
            plan.run(feeds, config, sd, listeners, at, batch);
            // as SameDiff's session under fit does not compute the loss variables' values, neither does the replay:
            // listeners read losses as activations (zeros here, as the session reports them)
            org.nd4j.autodiff.listeners.Loss loss = new org.nd4j.autodiff.listeners.Loss(sd.getLossVariables(),
                    new double[sd.getLossVariables().size()]);
            for (Listener l : listeners) {
                l.iterationDone(sd, at, batch, loss);
            }
            replayedSteps++;
        } else {
            sessionStep(config, feeds, key, listeners, at, batch);
        }
        config.incrementIterationCount();
        config.incrementEpochCount();
    }

    private void sessionStep(TrainingConfig config, Map<String, INDArray> feeds, String key, List<Listener> listeners,
            At at, MultiDataSet batch) {
        if (session == null) {
            start(listeners);
        }
        boolean record = engine == Engine.FAST && !unreplayable.contains(key);
        StepRecorder recorder = record ? new StepRecorder(sd.getFunction("grad")) : null;
        session.record(recorder);
        try {
            session.trainingIteration(config, feeds, trainable, sd.getUpdaterMap(), batch, sd.getLossVariables(),
                    listeners, at);
        } finally {
            session.record(null);
            if (recorder != null) {
                recorder.finish();
            }
        }
        sessionSteps++;
        if (recorder != null) {
            try {
                ReplayPlan plan = ReplayPlan.build(key, recorder, sd.getFunction("grad"), sd, feeds,
                        Map.copyOf(session.gradientToVariable()), counter, pool);
                keep(key, plan);
                LOG.debug("{}; {}", plan, plan.peakReport());
                session = null; // the plan replaces it
                releaseNativeMemory();
            } catch (ReplayPlan.UnsupportedStepException | StepMemoryException e) {
                unreplayable.add(key);
                LOG.warn("training steps of this graph cannot be replayed ({}); they run in SameDiff's session, "
                        + "which is slower", e.getMessage());
            }
        }
    }

    /**
     * A plan for this batch size made without running a full-size step in SameDiff's session, or null when this
     * batch size has to be recorded the ordinary way.
     *
     * <p>Why: SameDiff's session keeps more alive than the plan does (backward ops hold forward values they only
     * read shapes from, released arrays wait for the garbage collector), so a recorded full-size step peaks far above
     * the replayed ones: at the paper configuration it does not fit 16 GB where the plan would. Here the step is
     * recorded at batch {@value #PROBE_SMALL} and {@value #PROBE_LARGER} with nothing updated
     * ({@link FastOpSession#probe}), the shapes are extrapolated to this batch size
     * ({@link StepRecorder#extrapolate}) and checked against every kernel's own shape function
     * ({@link ReplayPlan#verifyShapes}); the first step at this size is then already a replay. Anything the probes
     * cannot settle (a feed without the batch as its leading dimension, arguments that depend on the batch size,
     * a shape that is not linear in it) falls back to recording, with the reason in the debug log.
     */
    private ReplayPlan planFromProbes(TrainingConfig config, Map<String, INDArray> feeds, String key,
            MultiDataSet batch, At at, List<Listener> listeners) {
        long n = leadingDimension(feeds);
        if (n <= PROBE_LARGER) {
            return null;
        }
        prepare(listeners);
        SameDiff grad = sd.getFunction("grad");
        Map<String, String> gradientToVariable = new LinkedHashMap<>();
        for (String v : trainable) {
            org.nd4j.autodiff.samediff.SDVariable g = grad.hasVariable(v) ? grad.getVariable(v).getGradient() : null;
            if (g == null) {
                return null; // the session reports this graph's problem with its own message
            }
            gradientToVariable.put(g.name(), v);
        }
        Set<String> required = new LinkedHashSet<>(gradientToVariable.keySet());
        if (config.getTrainEvaluations() != null) {
            required.addAll(config.getTrainEvaluations().keySet());
        }
        try {
            StepRecorder small = probe(config, feeds, PROBE_SMALL, gradientToVariable, required, batch, at);
            releaseNativeMemory(); // the first probe's session, before the second one allocates
            StepRecorder larger = probe(config, feeds, PROBE_LARGER, gradientToVariable, required, batch, at);
            StepRecorder full = StepRecorder.extrapolate(small, PROBE_SMALL, larger, PROBE_LARGER, n);
            releaseNativeMemory(); // the probes' sessions
            ReplayPlan plan = ReplayPlan.build(key, full, grad, sd, feeds, Map.copyOf(gradientToVariable), counter, pool);
            try {
                plan.verifyShapes(feeds);
            } catch (ReplayPlan.UnsupportedStepException e) {
                plan.close();
                throw e;
            }
            keep(key, plan);
            probedPlans++;
            LOG.debug("{} (probed at batch {} and {}); {}", plan, PROBE_SMALL, PROBE_LARGER, plan.peakReport());
            return plan;
        } catch (StepMemoryException e) {
            throw e; // recording the full step would need more still
        } catch (ReplayPlan.UnsupportedStepException | RuntimeException e) {
            unprobeable.add(key);
            LOG.debug("no plan from probes for {} ({}); recording a full step", key, e.toString(), e);
            return null;
        }
    }

    /** Keeps {@code plan} for its batch shape, closing the oldest plan beyond {@value #MAX_PLANS}. */
    private void keep(String key, ReplayPlan plan) {
        plans.put(key, plan);
        while (plans.size() > MAX_PLANS) {
            String oldest = plans.keySet().iterator().next();
            plans.remove(oldest).close();
        }
    }

    private StepRecorder probe(TrainingConfig config, Map<String, INDArray> feeds, long size,
            Map<String, String> gradientToVariable, Set<String> required, MultiDataSet batch, At at) {
        Map<String, INDArray> small = new HashMap<>();
        for (Map.Entry<String, INDArray> f : feeds.entrySet()) {
            small.put(f.getKey(), f.getValue().get(NDArrayIndex.interval(0, size)).dup('c'));
        }
        SameDiff grad = sd.getFunction("grad");
        StepRecorder recorder = new StepRecorder(grad);
        FastOpSession probeSession = new FastOpSession(grad, counter);
        probeSession.record(recorder);
        try {
            probeSession.probe(config, small, new ArrayList<>(gradientToVariable.keySet()), required, batch, at);
        } finally {
            probeSession.record(null);
            recorder.finish();
        }
        return recorder;
    }

    /** The batch size every feed shares as its leading dimension, or -1. */
    private static long leadingDimension(Map<String, INDArray> feeds) {
        long n = -1;
        for (INDArray f : feeds.values()) {
            if (f.rank() == 0 || (n != -1 && f.size(0) != n)) {
                return -1;
            }
            n = f.size(0);
        }
        return n;
    }

    private void start(List<Listener> listeners) {
        prepare(listeners);
        session = new FastOpSession(sd.getFunction("grad"), counter);
        LOG.debug("training session for a graph of {} ops, {} trainable arrays", sd.getOps().size(),
                trainable.size());
    }

    /** Gradient function, optimiser state and the trained variables: once per stepper. */
    private void prepare(List<Listener> listeners) {
        if (sd.getFunction("grad") == null) {
            sd.createGradFunction();
        }
        initializeTraining(sd);
        if (trainable == null) {
            trainable = new LinkedHashSet<>();
            for (Variable v : sd.getVariables().values()) {
                if (v.getVariable().getVariableType() == VariableType.VARIABLE) {
                    trainable.add(v.getName());
                }
            }
            for (Listener l : listeners) {
                l.operationStart(sd, Operation.TRAINING);
            }
        }
    }

    /** Frees the replay plans and the session; the stepper starts afresh if it is used again. */
    @Override
    public void close() {
        for (ReplayPlan p : plans.values()) {
            p.close();
        }
        plans.clear();
        session = null;
        releaseNativeMemory();
    }

    /**
     * Arrays SameDiff's session left unreleased (and the Java objects of closed ones) are freed only when the garbage
     * collector runs, which JavaCPP asks for only near {@code maxbytes}: until then a dropped session's activations
     * stay resident. One collection when a session is dropped (once per batch shape) or the plans are closed frees
     * them (COIN step at base 16 × 4, 256²: resident 10.9–11.9 → 9.4–9.9 GB; with glibc's mmap threshold at 1 MiB,
     * as the main job sets it, 6.1–6.9 GB between steps).
     */
    private static void releaseNativeMemory() {
        System.gc();
        try {
            Thread.sleep(50); // the reference handler enqueues the collected arrays' deallocators
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.bytedeco.javacpp.Pointer.deallocateReferences(); // now, not when JavaCPP's own thread gets to them
    }

    private static String shapeKey(Map<String, INDArray> feeds) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, INDArray> e : new TreeMap<>(feeds).entrySet()) {
            b.append(e.getKey()).append(Arrays.toString(e.getValue().shape())).append(e.getValue().dataType())
                    .append(';');
        }
        return b.toString();
    }

    /** Creates the optimiser state now (SameDiff otherwise does it lazily in the first fit). */
    public static void initializeTraining(SameDiff sd) {
        if (sd.isInitializedTraining()) {
            return;
        }
        try {
            Method m = SameDiff.class.getDeclaredMethod("initializeTraining");
            m.setAccessible(true);
            m.invoke(sd);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("cannot initialise SameDiff's optimiser state on this ND4J version", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("SameDiff failed to initialise its optimiser state", e.getCause());
        }
    }

    private List<Listener> activeListeners(Listener[] extra) {
        List<Listener> all = new ArrayList<>();
        for (Listener l : sd.getListeners()) {
            if (l.isActive(Operation.TRAINING)) {
                all.add(l);
            }
        }
        for (Listener l : extra) {
            if (l.isActive(Operation.TRAINING) && !all.contains(l)) {
                all.add(l);
            }
        }
        return all;
    }

    private static Map<String, INDArray> placeholders(TrainingConfig config, MultiDataSet batch) {
        Map<String, INDArray> ph = new HashMap<>();
        put(ph, config.getDataSetFeatureMapping(), batch.getFeatures(), "feature");
        put(ph, config.getDataSetLabelMapping(), batch.getLabels(), "label");
        return ph;
    }

    private static void put(Map<String, INDArray> ph, List<String> names, INDArray[] arrays, String what) {
        if (names == null) {
            return;
        }
        int have = arrays == null ? 0 : arrays.length;
        if (have < names.size()) {
            throw new IllegalArgumentException("batch has " + have + " " + what + " arrays but the training config "
                    + "maps " + names.size() + " (" + names + "); give one array per mapped placeholder");
        }
        for (int i = 0; i < names.size(); i++) {
            ph.put(names.get(i), arrays[i]);
        }
    }
}
