package dev.coin.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The Java-side state updates of one SameDiff graph: spectral-norm power iterations before each forward and
 * batch-norm running-statistic updates after each train-mode forward, in the order the modules were built
 * (so a network applied twice in one graph — e.g. COIN's cyclic pass — updates twice, as in PyTorch).
 *
 * <p>Use {@link #output} for inference-style calls (it does before → {@code sd.output} → after). For
 * {@code sd.fit(...)} call {@link #install()} once: its listener advances spectral norm at each iteration start,
 * captures the batch statistics while the forward runs and commits them when the iteration is done.
 * For anything else (e.g. {@code calculateGradients}) call {@link #beforeForward()} and {@link #afterForward()}
 * around it after {@link #install()}.
 *
 * <pre>{@code
 * ForwardHooks hooks = scope.hooks();
 * Map<String, INDArray> out = hooks.output(Map.of("x", x, "labels", labels), "gen/x_cf");
 * }</pre>
 */
public final class ForwardHooks {
    /** One spectral-norm application: which weight/u, and the graph constant holding 1/σ for this call. */
    record SpectralNormHook(String layer, INDArray weight, ParameterKind kind, INDArray u, INDArray inverseSigma) {
    }

    /** One train-mode batch-norm application and the graph variables that carry its batch statistics. */
    record BatchNormHook(BatchNormState state, String meanVar, String varVar, String centeredVar) {
    }

    private final SameDiff sd;
    private final List<SpectralNormHook> spectral = new ArrayList<>();
    private final List<BatchNormHook> batchNorms = new ArrayList<>();
    private final Map<String, INDArray> captured = new HashMap<>();
    private final Map<String, Long> capturedCounts = new HashMap<>();
    private final Map<String, BatchNormHook> byVariable = new HashMap<>();
    private final Map<String, Integer> labelRanges = new HashMap<>();
    private boolean installed;
    /** When set, {@link #beforeForward()} copies this graph's σ values instead of iterating (see {@link #followSpectralNorm}). */
    private ForwardHooks spectralLeader;

    ForwardHooks(SameDiff sd) {
        this.sd = sd;
    }

    void addSpectralNorm(SpectralNormHook hook) {
        spectral.add(hook);
    }

    void addBatchNorm(BatchNormHook hook) {
        batchNorms.add(hook);
        byVariable.put(hook.meanVar(), hook);
        byVariable.put(hook.varVar(), hook);
        byVariable.put(hook.centeredVar(), hook);
    }

    void addLabelCheck(String variable, int count) {
        labelRanges.merge(variable, count, Math::min);
    }

    /**
     * Checks that every fed label array used for an embedding lookup holds integers in {@code [0, count)}: an
     * out-of-range label would silently select a zero row.
     */
    public void checkLabels(Map<String, INDArray> feeds) {
        for (Map.Entry<String, Integer> r : labelRanges.entrySet()) {
            INDArray labels = feeds.get(r.getKey());
            if (labels == null || labels.isEmpty()) {
                continue;
            }
            long min = labels.minNumber().longValue();
            long max = labels.maxNumber().longValue();
            if (min < 0 || max >= r.getValue()) {
                throw new IllegalArgumentException("feed '" + r.getKey() + "' has labels in [" + min + ", " + max
                        + "] but the embedding has " + r.getValue() + " rows; labels must be in [0, " + (r.getValue() - 1) + "]");
            }
        }
    }

    /** The graph these hooks belong to. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** Number of spectral-norm applications in the graph. */
    public int spectralNormCount() {
        return spectral.size();
    }

    /** Number of train-mode batch-norm applications in the graph. */
    public int batchNormCount() {
        return batchNorms.size();
    }

    /**
     * Makes {@link #beforeForward()} take every 1/σ from {@code leader}'s most recent forward instead of running power
     * iterations: the i-th spectral-norm application here gets the value of the i-th one there, which must be the
     * same layer. COIN-Aligned's discriminator step uses it: a probe graph computes D's input gradients with the step's
     * σ values (advancing each {@code u} once per call, as the reference does), and the training graph then uses
     * exactly those σ, so the input gradients and the penalised forward see the same network.
     *
     * @throws IllegalArgumentException when the two graphs' spectral-norm applications differ in number or layer
     */
    public void followSpectralNorm(ForwardHooks leader) {
        java.util.Objects.requireNonNull(leader, "leader");
        if (leader == this) {
            throw new IllegalArgumentException("a graph's hooks cannot follow themselves");
        }
        if (!leader.spectralNormLayers().equals(spectralNormLayers())) {
            throw new IllegalArgumentException("cannot follow the spectral norm of a graph with other applications: "
                    + "here " + spectralNormLayers() + ", leader " + leader.spectralNormLayers()
                    + "; build the same calls in the same order in both graphs");
        }
        this.spectralLeader = leader;
    }

    /**
     * Advances every spectral-norm {@code u} by one power iteration and writes 1/σ into the graph constants; in a
     * graph that {@linkplain #followSpectralNorm follows} another, copies the leader's current 1/σ values instead.
     */
    public void beforeForward() {
        if (spectralLeader != null) {
            for (int i = 0; i < spectral.size(); i++) {
                spectral.get(i).inverseSigma().assign(spectralLeader.spectral.get(i).inverseSigma());
            }
            return;
        }
        for (SpectralNormHook h : spectral) {
            double sigma = SpectralNorm.powerIterate(h.weight(), h.kind(), h.u());
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalStateException("spectral norm of '" + h.layer() + "' is " + sigma
                        + "; the weight is zero or not finite");
            }
            h.inverseSigma().assign(1.0 / sigma);
        }
    }

    /** Adds the capturing listener to the graph (idempotent). Needed for {@code fit} and for {@link #afterForward()}. */
    public ForwardHooks install() {
        if (!installed) {
            sd.addListeners(new CaptureListener());
            installed = true;
        }
        return this;
    }

    /**
     * Commits the batch statistics captured during the last forward to the running statistics (in build order),
     * then forgets them. Batch norms whose forward did not run (outputs not requested) are left unchanged.
     */
    public void afterForward() {
        for (BatchNormHook h : batchNorms) {
            INDArray mean = captured.get(h.meanVar());
            INDArray var = captured.get(h.varVar());
            Long n = capturedCounts.get(h.centeredVar());
            if (mean != null && var != null && n != null) {
                h.state().update(mean, var, n / mean.length());
            }
        }
        captured.clear();
        capturedCounts.clear();
    }

    /**
     * One forward as PyTorch would do it: spectral-norm step, {@code sd.output(feeds, outputs)}, running-statistic
     * update. Returns the requested outputs.
     */
    public Map<String, INDArray> output(Map<String, INDArray> feeds, String... outputs) {
        install();
        checkLabels(feeds);
        captured.clear();
        capturedCounts.clear();
        beforeForward();
        dev.coin.core.engine.SessionMemory.bound(sd);
        Map<String, INDArray> out = new LinkedHashMap<>(sd.output(feeds, outputs));
        afterForward();
        return out;
    }

    private final class CaptureListener extends BaseListener {
        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void iterationStart(SameDiff s, At at, MultiDataSet data, long etlMs) {
            captured.clear();
            capturedCounts.clear();
            beforeForward();
        }

        @Override
        public void iterationDone(SameDiff s, At at, MultiDataSet dataSet, Loss loss) {
            afterForward();
        }

        @Override
        public void activationAvailable(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, String varName,
                INDArray activation) {
            BatchNormHook h = byVariable.get(varName);
            if (h == null) {
                return;
            }
            if (varName.equals(h.centeredVar())) {
                capturedCounts.put(varName, activation.length());
            } else {
                captured.put(varName, activation.dup());
            }
        }
    }

    @Override
    public String toString() {
        return "ForwardHooks[" + spectral.size() + " spectral-norm steps, " + batchNorms.size()
                + " batch-norm updates, installed=" + installed + "]";
    }

    /** Names of the layers with spectral norm, in call order (diagnostics). */
    public List<String> spectralNormLayers() {
        List<String> names = new ArrayList<>();
        for (SpectralNormHook h : spectral) {
            names.add(h.layer());
        }
        return names;
    }

    /** Names of the batch-norm layers updated per forward, in call order (diagnostics). */
    public List<String> batchNormLayers() {
        return Arrays.asList(batchNorms.stream().map(h -> h.state().name()).toArray(String[]::new));
    }
}
