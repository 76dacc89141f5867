package dev.coin.core.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training steps (forward, backward, optimiser update) of one SameDiff graph, keeping the execution state
 * between steps.
 *
 * <p>{@code SameDiff.fit(batch)} builds a new training session for every call: every activation and gradient buffer
 * is allocated and zero-filled again, and the op contexts are rebuilt (measured: 9–30 % of a COIN generator step
 * and most of its memory churn). A stepper makes its session once and calls it step after step, as
 * {@code fit(iterator)} does within one epoch, and its session replaces the slow M2.1 kernels with exact
 * formulations ({@link Engine#FAST}; see {@code FastOpSession}). {@link Engine#FIT} keeps {@code sd.fit(batch)} as
 * the reference the faster path is tested against.
 *
 * <p>Each step counts as one of SameDiff's epochs as well as one iteration, exactly as {@code fit(batch)} counts it,
 * so that listeners and the optimiser see the same {@link At} under both engines.
 *
 * <p>Not thread-safe: one stepper per graph, called from the training thread.
 */
public final class TrainingStepper {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingStepper.class);
    /** System property that selects the engine for every stepper made by {@link #of(SameDiff)}. */
    public static final String ENGINE_PROPERTY = "coin.engine";

    /** How a step is executed. */
    public enum Engine {
        /** {@code SameDiff.fit(batch)} per step: the stock path, a new session each call. */
        FIT,
        /** One persistent session per graph, with exact replacements for slow kernels. The default. */
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
    private final FastOpSession.OpCounter counter = new FastOpSession.OpCounter();
    private FastOpSession session;
    private Set<String> trainable;

    private TrainingStepper(SameDiff sd, Engine engine) {
        if (sd.getTrainingConfig() == null) {
            throw new IllegalArgumentException("graph has no TrainingConfig; call sd.setTrainingConfig(...) before "
                    + "making a TrainingStepper");
        }
        this.sd = sd;
        this.engine = engine;
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

    /** Replaced broadcast backward ops and relu backward ops run so far (0 under {@link Engine#FIT}). */
    public long[] replacementCounts() {
        return new long[] {counter.broadcastBp, counter.reluBp};
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
        if (session == null) {
            start(listeners);
        }
        At at = At.builder().epoch(config.getEpochCount()).iteration(config.getIterationCount())
                .trainingThreadNum(0).javaThreadNum(Thread.currentThread().getId()).operation(Operation.TRAINING)
                .build();
        for (Listener l : listeners) {
            l.epochStart(sd, at);
        }
        for (Listener l : listeners) {
            l.iterationStart(sd, at, batch, 0);
        }
        session.trainingIteration(config, placeholders(config, batch), trainable, sd.getUpdaterMap(), batch,
                sd.getLossVariables(), listeners, at);
        config.incrementIterationCount();
        config.incrementEpochCount();
    }

    private void start(List<Listener> listeners) {
        if (sd.getFunction("grad") == null) {
            sd.createGradFunction();
        }
        initializeTraining(sd);
        trainable = new LinkedHashSet<>();
        for (Variable v : sd.getVariables().values()) {
            if (v.getVariable().getVariableType() == VariableType.VARIABLE) {
                trainable.add(v.getName());
            }
        }
        session = new FastOpSession(sd.getFunction("grad"), counter);
        for (Listener l : listeners) {
            l.operationStart(sd, Operation.TRAINING);
        }
        LOG.debug("persistent training session for a graph of {} ops, {} trainable arrays", sd.getOps().size(),
                trainable.size());
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
