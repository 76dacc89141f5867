package dev.coin.core.nn;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a module adds its ops: a SameDiff graph, the {@link ParameterStore} its weights come from, the forward
 * {@link Mode}, whether the weights are trainable graph variables or frozen constants, and a call prefix that
 * keeps the op names of repeated applications apart.
 *
 * <p>Parameters become graph variables/constants named exactly like their store entry (the reference state_dict
 * name) and reference the store's arrays, so every graph built on one store (and on one
 * {@link SingleThreadArrayHolder}, see {@link #newSameDiff}) shares each weight as a single array. A second
 * application of a module in the same graph (another call prefix) reuses the same parameter variables.
 * Scopes derived with the {@code with…} methods share the graph's {@link ForwardHooks}.
 *
 * <pre>{@code
 * SameDiff sd = GraphScope.newSameDiff(holder);
 * GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("g1");
 * SDVariable y = conv.apply(scope, x);
 * }</pre>
 */
public final class GraphScope {
    static {
        // Select the fast oneDNN natives before this class can be the first to load ND4J.
        dev.coin.data.runtime.NativeBackend.configure();
    }

    private final SameDiff sd;
    private final ParameterStore store;
    private final Mode mode;
    private final boolean trainable;
    private final String callPrefix;
    private final ForwardHooks hooks;
    /** When set, spectral-norm layers reuse the 1/σ constants of this earlier call prefix (no power iteration). */
    private final String spectralNormOf;

    private GraphScope(SameDiff sd, ParameterStore store, Mode mode, boolean trainable, String callPrefix,
            ForwardHooks hooks, String spectralNormOf) {
        this.sd = sd;
        this.store = store;
        this.mode = mode;
        this.trainable = trainable;
        this.callPrefix = callPrefix;
        this.hooks = hooks;
        this.spectralNormOf = spectralNormOf;
    }

    /**
     * A new SameDiff whose variables and constants live in {@code holder}. Use one holder for all graphs that share
     * weights (the default holder copies arrays, which silently breaks sharing).
     */
    public static SameDiff newSameDiff(SingleThreadArrayHolder holder) {
        SameDiff sd = SameDiff.create();
        sd.setArrayHolders(holder, holder, false);
        return sd;
    }

    /** A scope on {@code sd} with fresh hooks: TRAIN mode, trainable weights, empty call prefix. */
    public static GraphScope create(SameDiff sd, ParameterStore store) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(store, "store");
        return new GraphScope(sd, store, Mode.TRAIN, true, "", new ForwardHooks(sd), null);
    }

    /** Same graph and hooks, another mode. */
    public GraphScope withMode(Mode newMode) {
        return new GraphScope(sd, store, Objects.requireNonNull(newMode, "mode"), trainable, callPrefix, hooks,
                spectralNormOf);
    }

    /** Same graph and hooks; {@code false} adds the weights as constants (gradients still flow through them). */
    public GraphScope withTrainable(boolean newTrainable) {
        return new GraphScope(sd, store, mode, newTrainable, callPrefix, hooks, spectralNormOf);
    }

    /**
     * Same graph and hooks; op names get {@code prefix + "/"} in front. Use a new prefix per application. The new
     * scope runs its own spectral-norm power iterations (a {@link #withSpectralNormOf} setting is not carried over).
     */
    public GraphScope withCallPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.contains(" ")) {
            throw new IllegalArgumentException("call prefix '" + prefix + "' contains a space; use letters, digits, '_' or '/'");
        }
        // a new application runs its own power iteration unless withSpectralNormOf says otherwise again
        return new GraphScope(sd, store, mode, trainable, prefix, hooks, null);
    }

    /**
     * Same graph and hooks; spectral-norm layers applied in this scope divide by the σ of the application under call
     * prefix {@code earlierPrefix} in the same graph instead of running a power iteration of their own: the network
     * is evaluated with exactly the weights of that earlier call, and the buffers {@code u} advance once, not twice.
     * COIN-Aligned's gradient penalty needs this: D(x + ε·u) must be the same function as D(x). Build the earlier
     * call first.
     */
    public GraphScope withSpectralNormOf(String earlierPrefix) {
        Objects.requireNonNull(earlierPrefix, "earlierPrefix");
        return new GraphScope(sd, store, mode, trainable, callPrefix, hooks, earlierPrefix);
    }

    public SameDiff sd() {
        return sd;
    }

    public ParameterStore store() {
        return store;
    }

    public Mode mode() {
        return mode;
    }

    public boolean trainable() {
        return trainable;
    }

    public String callPrefix() {
        return callPrefix;
    }

    /** The graph's state-update hooks (shared by all scopes derived from one {@link #create}). */
    public ForwardHooks hooks() {
        return hooks;
    }

    /** The op/variable name for a local name under this call prefix. */
    public String opName(String local) {
        return callPrefix.isEmpty() ? local : callPrefix + "/" + local;
    }

    /**
     * The graph variable for store entry {@code name}, created on first use: a trainable variable when this scope is
     * trainable and the entry is a weight, otherwise a constant. The graph references the store's array.
     */
    public SDVariable param(String name) {
        if (sd.hasVariable(name)) {
            return sd.getVariable(name);
        }
        ParameterStore.Entry e = store.entry(name);
        // Registered by hand: sd.var(name, arr) duplicates an array another graph on the same holder already uses.
        VariableType type = trainable && e.kind().trainable() ? VariableType.VARIABLE : VariableType.CONSTANT;
        SDVariable v = new SDVariable(name, type, sd, e.array().shape(), e.array().dataType());
        sd.addVariable(v);
        sd.associateArrayWithVariable(e.array(), v);
        if (sd.getArrForVarName(name) != e.array()) {
            throw new IllegalStateException("the SameDiff copied the array of '" + name
                    + "', so it would not share weights with the store; create it with GraphScope.newSameDiff(holder)");
        }
        return v;
    }

    /**
     * A scalar constant holding 1/σ for one spectral-norm application of {@code layer}'s weight
     * {@code layer + ".weight"} with buffer {@code layer + ".u"}; {@link ForwardHooks#beforeForward()} fills it.
     */
    SDVariable inverseSigma(String layer, ParameterKind kind) {
        if (spectralNormOf != null) {
            String shared = (spectralNormOf.isEmpty() ? "" : spectralNormOf + "/") + layer + ".inv_sigma";
            if (!sd.hasVariable(shared)) {
                throw new IllegalStateException("spectral-norm layer '" + layer + "' should reuse the 1/σ of call prefix '"
                        + spectralNormOf + "', but that call has not been built in this graph (no '" + shared
                        + "'); build the network under that prefix first");
            }
            return sd.getVariable(shared);
        }
        String constName = opName(layer + ".inv_sigma");
        INDArray arr = Nd4j.scalar(store.dataType(), 1.0);
        SDVariable c = sd.constant(constName, arr);
        INDArray held = sd.getArrForVarName(constName);
        hooks.addSpectralNorm(new ForwardHooks.SpectralNormHook(layer, store.array(layer + ".weight"), kind,
                store.array(layer + ".u"), held));
        return c;
    }

    void registerBatchNorm(String layer, SDVariable mean, SDVariable var, SDVariable centered) {
        hooks.addBatchNorm(new ForwardHooks.BatchNormHook(BatchNormState.of(store, layer), mean.name(), var.name(),
                centered.name()));
    }

    @Override
    public String toString() {
        return "GraphScope[mode=" + mode + ", trainable=" + trainable + ", prefix='" + callPrefix + "'"
                + (spectralNormOf == null ? "" : ", spectral norm of '" + spectralNormOf + "'") + ", " + store + "]";
    }
}
