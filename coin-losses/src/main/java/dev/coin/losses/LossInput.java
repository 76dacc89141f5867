package dev.coin.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The key of a tensor a loss term may need. A pipeline asks its {@link LossSet} which inputs the active terms
 * {@linkplain LossSet#requires(Player) require} and builds only those graph parts (for example the second, cyclic
 * generator pass only when some term requires {@link #X_CYCLIC}); it then hands them over in a {@link LossInputs}.
 *
 * <p>Three kinds of key, so that a term can ask for inputs the library did not anticipate:
 * <ul>
 *   <li><b>built-in</b> — the constants below; the trainer builds them (they need the networks).</li>
 *   <li><b>{@linkplain #derived derived}</b> — computed in the graph from other inputs by a {@link Derivation};
 *       {@link LossSet#build} computes it once per graph as {@code input/<name>}.</li>
 *   <li><b>{@linkplain #fed fed}</b> — a host-side array a {@link Feed} computes every step from the step's arrays;
 *       the trainer creates a placeholder named {@link LossSet#inputName(LossInput)} for it and feeds it.</li>
 * </ul>
 * Keys compare by name and kind; declare a custom key once (a {@code static final} constant) and share it between
 * terms: a {@link LossSet} rejects two <em>different</em> keys of the same name.
 *
 * <p>Images are NCHW in image space [−1, 1] (after the tanh alignment of COIN-Aligned when that is on); logits and
 * probabilities are {@code [B, 1]} (or {@code [B]}) per-sample values. The batch dimension may be unknown at build
 * time ({@code -1}); no built-in term needs it.
 *
 * <pre>{@code
 * static final LossInput XCF_MEAN = LossInput.derived("xcf_mean", Set.of(LossInput.X_CF),
 *         (sd, in) -> sd.mean(in.get(LossInput.X_CF)));
 * static final LossInput PIXEL_WEIGHT = LossInput.fed("pixel_weight", DataType.FLOAT, new long[] {-1, 1, 256, 256},
 *         step -> Transforms.abs(step.get(LossInput.X)));
 * }</pre>
 */
public final class LossInput {

    /** What provides the tensor behind a key. */
    public enum Kind {
        /** One of the library's constants, built by the trainer. */
        BUILT_IN,
        /** Computed in the graph from other inputs ({@link LossInput#derived}). */
        DERIVED,
        /** A host-side array fed every step ({@link LossInput#fed}). */
        FED
    }

    /** Computes a derived input in the graph. */
    @FunctionalInterface
    public interface Derivation {
        /**
         * The derived tensor, a variable of {@code sd}.
         *
         * @param available exactly the inputs the key derives {@linkplain LossInput#from() from}
         */
        SDVariable derive(SameDiff sd, LossInputs available);
    }

    /** Computes a fed input on the host, once per step. */
    @FunctionalInterface
    public interface Feed {
        /** The array for this step; its data type is cast to the declared one, its shape checked. */
        INDArray compute(StepArrays step);
    }

    /**
     * The host arrays of one training step that a trainer offers to {@link Feed}s: {@link #X}, {@link #MASKS},
     * {@link #TARGET_PROB} and {@link #CLASSIFIER_PROB_X} (as far as the pipeline has them).
     */
    @FunctionalInterface
    public interface StepArrays {
        /**
         * The step's array for a built-in input.
         *
         * @throws IllegalArgumentException when the trainer does not offer it
         */
        INDArray get(LossInput builtIn);

        /** Step arrays from a map (order kept); asking for a key it lacks fails naming the key and what it has. */
        static StepArrays of(java.util.Map<LossInput, INDArray> arrays) {
            java.util.Map<LossInput, INDArray> copy = new java.util.LinkedHashMap<>(arrays);
            return key -> {
                INDArray a = copy.get(key);
                if (a == null) {
                    throw new IllegalArgumentException("Step array " + key + " is not offered this step (offered: "
                            + copy.keySet() + "); a feed can read " + X + ", " + MASKS + ", " + TARGET_PROB + " and "
                            + CLASSIFIER_PROB_X + " when the pipeline has them");
                }
                return a;
            };
        }
    }

    private static final List<LossInput> BUILT_INS = new ArrayList<>();

    /** The real input batch x, {@code [B, C, H, W]}. */
    public static final LossInput X = builtIn("X");
    /** The counterfactual x_cf = generator(x, desired condition), {@code [B, C, H, W]}. */
    public static final LossInput X_CF = builtIn("X_CF");
    /** The cyclic reconstruction x_cc: the generator applied again to x_cf (its condition is the pipeline's choice). */
    public static final LossInput X_CYCLIC = builtIn("X_CYCLIC");
    /**
     * The self-reconstruction of x: the generator applied to x under x's own class (Singla et al.'s identity pass,
     * G(E(x), bin p(x)) with perturbation base x).
     */
    public static final LossInput X_REC = builtIn("X_REC");
    /** Discriminator logits on the real batch (x in ORIG COIN, the paired healthy slices in COIN-Aligned). */
    public static final LossInput D_REAL_LOGITS = builtIn("D_REAL_LOGITS");
    /** Discriminator logits on x_cf (detached from the generator in the discriminator step). */
    public static final LossInput D_FAKE_LOGITS = builtIn("D_FAKE_LOGITS");
    /**
     * The slope of the discriminator at each real sample along its own unit input gradient, ∇ₓD(x_i)·u_i with
     * u_i = ∇ₓD(x_i)/‖∇ₓD(x_i)‖ a constant, i.e. ‖∇ₓD(x_i)‖, {@code [B, 1]}; differentiable with respect to the
     * discriminator's weights exactly as ‖∇ₓD‖ is (see {@link GradientPenalty}).
     */
    public static final LossInput D_REAL_SLOPE = builtIn("D_REAL_SLOPE");
    /** Like {@link #D_REAL_SLOPE} for the detached fakes x̂: ‖∇ₓD(x̂_i)‖. */
    public static final LossInput D_FAKE_SLOPE = builtIn("D_FAKE_SLOPE");
    /** The frozen classifier's probability on x_cf, p(x_cf), with the gradient flowing back to x_cf. */
    public static final LossInput CLASSIFIER_PROB_CF = builtIn("CLASSIFIER_PROB_CF");
    /** The desired probability for x_cf (host-side, see {@link TargetRule}), fed as a placeholder or constant. */
    public static final LossInput TARGET_PROB = builtIn("TARGET_PROB");
    /** Segmentation masks {@code [B, M, H, W]}: channel 0 background, channel 1 kidney (Singla's CARL). */
    public static final LossInput MASKS = builtIn("MASKS");
    /**
     * The frozen classifier's probability on the real batch, p(x), {@code [B, 1]}: host-side (no gradient), the
     * value {@link TargetRule} turns into {@link #TARGET_PROB} and the condition; fed as a placeholder or constant.
     */
    public static final LossInput CLASSIFIER_PROB_X = builtIn("CLASSIFIER_PROB_X");

    private static final List<LossInput> BUILT_IN_LIST = Collections.unmodifiableList(BUILT_INS);

    private final String name;
    private final Kind kind;
    private final int ordinal;
    private final Set<LossInput> from;
    private final Derivation derivation;
    private final DataType dataType;
    private final long[] shape;
    private final Feed feed;

    private LossInput(String name, Kind kind, int ordinal, Set<LossInput> from, Derivation derivation,
            DataType dataType, long[] shape, Feed feed) {
        this.name = name;
        this.kind = kind;
        this.ordinal = ordinal;
        this.from = from;
        this.derivation = derivation;
        this.dataType = dataType;
        this.shape = shape;
        this.feed = feed;
    }

    private static LossInput builtIn(String name) {
        LossInput k = new LossInput(name, Kind.BUILT_IN, BUILT_INS.size(), Set.of(), null, null, null, null);
        BUILT_INS.add(k);
        return k;
    }

    /**
     * A key for a tensor computed in the graph from other inputs, e.g. the mean of x_cf. {@link LossSet#build}
     * computes it (after its sources, once per graph) unless the pipeline provides it itself.
     *
     * @param name letters, digits or '_', not a built-in's name; the graph variable is {@code input/<name>}
     * @param from the inputs {@code d} reads (built-in, derived or fed); a trainer is asked to provide them
     * @throws IllegalArgumentException for a bad name or an empty {@code from}
     */
    public static LossInput derived(String name, Set<LossInput> from, Derivation d) {
        checkCustomName(name, "derived");
        Objects.requireNonNull(from, () -> "from of derived input '" + name + "'");
        Objects.requireNonNull(d, () -> "derivation of derived input '" + name + "'");
        if (from.isEmpty()) {
            throw new IllegalArgumentException("Derived input '" + name + "' derives from nothing; list the inputs "
                    + "its derivation reads (a constant needs no input key: create it inside the loss term)");
        }
        Set<LossInput> f = new LinkedHashSet<>();
        for (LossInput i : from) {
            f.add(Objects.requireNonNull(i, () -> "null in from of derived input '" + name + "'"));
        }
        return new LossInput(name, Kind.DERIVED, -1, Collections.unmodifiableSet(f), d, null, null, null);
    }

    /**
     * A key for a host-side array computed every step by {@code f}, e.g. a per-pixel weight map from x. The
     * trainer creates a placeholder {@code input/<name>} of this type and shape and feeds {@link #computeFeed}.
     *
     * @param shape the placeholder's shape, {@code -1} for dimensions unknown at build time (usually the batch)
     * @throws IllegalArgumentException for a bad name or a dimension that is neither −1 nor positive
     */
    public static LossInput fed(String name, DataType type, long[] shape, Feed f) {
        checkCustomName(name, "fed");
        Objects.requireNonNull(type, () -> "data type of fed input '" + name + "'");
        Objects.requireNonNull(shape, () -> "shape of fed input '" + name + "'");
        Objects.requireNonNull(f, () -> "feed of fed input '" + name + "'");
        for (long dim : shape) {
            if (dim != -1 && dim < 1) {
                throw new IllegalArgumentException("Fed input '" + name + "' has shape " + Arrays.toString(shape)
                        + "; each dimension must be > 0, or -1 when unknown at build time (e.g. the batch)");
            }
        }
        return new LossInput(name, Kind.FED, -1, Set.of(), null, type, shape.clone(), f);
    }

    private static void checkCustomName(String name, String kind) {
        Objects.requireNonNull(name, () -> "name of a " + kind + " input");
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("The name of a " + kind + " input must be non-empty letters, digits or "
                    + "'_' (it becomes the graph variable input/<name>), got '" + name + "'");
        }
        for (LossInput b : BUILT_INS) {
            if (b.name.equals(name)) {
                throw new IllegalArgumentException("'" + name + "' is the name of the built-in input LossInput." + name
                        + "; use the constant, or give your " + kind + " input another name");
            }
        }
    }

    /** The built-in keys in declaration order (the replacement of the former enum's {@code values()}). */
    public static List<LossInput> builtIns() {
        return BUILT_IN_LIST;
    }

    /** The key's name, e.g. {@code X_CF} or a custom key's own name. */
    public String name() {
        return name;
    }

    /** What provides the tensor. */
    public Kind kind() {
        return kind;
    }

    /** True for the library's constants. */
    public boolean isBuiltIn() {
        return kind == Kind.BUILT_IN;
    }

    /** The inputs a derived key reads; empty for the other kinds. */
    public Set<LossInput> from() {
        return from;
    }

    /** The derivation of a derived key. */
    public Optional<Derivation> derivation() {
        return Optional.ofNullable(derivation);
    }

    /** The feed of a fed key. */
    public Optional<Feed> feed() {
        return Optional.ofNullable(feed);
    }

    /**
     * The placeholder data type of a fed key.
     *
     * @throws IllegalStateException for another kind
     */
    public DataType dataType() {
        requireFed("dataType()");
        return dataType;
    }

    /**
     * The placeholder shape of a fed key ({@code -1} = unknown), a copy.
     *
     * @throws IllegalStateException for another kind
     */
    public long[] shape() {
        requireFed("shape()");
        return shape.clone();
    }

    /**
     * Runs a fed key's feed for one step and checks the result: cast to {@link #dataType()}, rank and known
     * dimensions as declared.
     *
     * @throws IllegalStateException    for another kind
     * @throws IllegalArgumentException when the feed returns null or an array of the wrong shape
     */
    public INDArray computeFeed(StepArrays step) {
        requireFed("computeFeed(step)");
        Objects.requireNonNull(step, "step");
        INDArray a = feed.compute(step);
        if (a == null) {
            throw new IllegalArgumentException("The feed of fed input '" + name + "' returned null; return an array of "
                    + "shape " + Arrays.toString(shape));
        }
        long[] s = a.shape();
        boolean ok = s.length == shape.length;
        for (int i = 0; ok && i < s.length; i++) {
            ok = shape[i] == -1 || shape[i] == s[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("The feed of fed input '" + name + "' returned shape "
                    + Arrays.toString(s) + " but the input declares " + Arrays.toString(shape) + " (-1 = any)");
        }
        return a.dataType() == dataType ? a : a.castTo(dataType);
    }

    private void requireFed(String what) {
        if (kind != Kind.FED) {
            throw new IllegalStateException(what + " is defined for fed inputs only; " + name + " is " + kind);
        }
    }

    /** Declaration order of built-ins (−1 for custom keys), for a stable order in {@link LossSet#requires}. */
    int ordinal() {
        return ordinal;
    }

    /** True when {@code o} is the same key with the same definition (same derivation/feed, sources, type, shape). */
    boolean sameDefinition(LossInput o) {
        return equals(o) && from.equals(o.from) && derivation == o.derivation && feed == o.feed
                && dataType == o.dataType && Arrays.equals(shape, o.shape);
    }

    /** Name, kind and definition, for error messages. */
    String describe() {
        return switch (kind) {
            case BUILT_IN -> "built-in " + name;
            case DERIVED -> "derived input '" + name + "' from " + from + " (derivation " + derivation + ")";
            case FED -> "fed input '" + name + "' " + dataType + Arrays.toString(shape) + " (feed " + feed + ")";
        };
    }

    /** Deterministically ordered unmodifiable set, for the built-in terms' {@code requires()}. */
    static Set<LossInput> setOf(LossInput... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(keys)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossInput k && k.kind == kind && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + kind.hashCode();
    }

    /** The name (built-ins print as before, e.g. {@code X_CF}). */
    @Override
    public String toString() {
        return name;
    }
}
