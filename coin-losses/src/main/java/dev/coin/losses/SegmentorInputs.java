package dev.coin.losses;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two loss inputs a frozen segmentor provides: its probability map on the real batch, S(x), and on the
 * counterfactual, S(x_cf), as {@linkplain LossInput#derived derived} keys ({@code <name>_x} from {@link LossInput#X},
 * {@code <name>_xcf} from {@link LossInput#X_CF}; default name {@value #DEFAULT_NAME}). {@link LossSet#build} adds
 * each once per graph as {@code input/seg_x} and {@code input/seg_xcf}, with the segmentor's ops under the call
 * prefixes {@code seg_x} and {@code seg_xcf}; the gradient flows from S(x_cf) back to x_cf, the segmentor's
 * weights stay constants (see {@link SegmentorNetwork}).
 *
 * <p>Your own term can read the same maps: make one {@code SegmentorInputs} (a constant, like any custom key), hand
 * it to {@link SegmentorGuidance#of(SegmentorInputs)} and list {@link #onX()} / {@link #onCounterfactual()} in your
 * term's {@code requires()}. The graph then computes each map once for both terms. Two {@code SegmentorInputs} of
 * one name are different keys ({@link LossSet} refuses them together): share the instance, or name the second one
 * apart ({@link #named}).
 *
 * <pre>{@code
 * static final SegmentorInputs SEG = SegmentorInputs.of(segmentor);      // keys seg_x, seg_xcf
 * record KidneyKept(double weight) implements LossTerm {                  // mean S(x) − S(x_cf), kidney lost
 *     public String name() { return "kidney_kept"; }
 *     public Player player() { return Player.GENERATOR; }
 *     public Set<LossInput> requires() { return Set.of(SEG.onX(), SEG.onCounterfactual()); }
 *     public SDVariable build(LossContext c) {
 *         return c.sd().mean(c.get(SEG.onX()).sub(c.get(SEG.onCounterfactual())));
 *     }
 * }
 * Pipeline p = Presets.coin(clf).toBuilder().loss(SegmentorGuidance.of(SEG)).loss(new KidneyKept(0.1)).build();
 * }</pre>
 *
 * <p>The inputs record the network's {@link SegmentorNetwork#identity() identity} when they are made (for the
 * library's segmentor: spec and a fingerprint of its weights), and checkpoints and provenance record that: make
 * them after the segmentor is trained, so that a run resumed with another segmentor is refused.
 *
 * <p>When the graph knows the size of x (the trainer's x is a placeholder {@code [-1, 1, H, W]}), the first
 * derivation runs the network once on a 2-image probe of that size in a scratch graph and checks that it returns
 * {@code [2, 1, H, W]} probabilities in [0, 1], so a wrong network fails while the graph is built, naming the
 * shape, rather than inside a training step. A network that adds trainable variables to the graph (weights not
 * frozen as constants) is refused too.
 */
public final class SegmentorInputs {
    /** The default key prefix: inputs {@code seg_x} and {@code seg_xcf}. */
    public static final String DEFAULT_NAME = "seg";

    private final String name;
    /** The network's {@link SegmentorNetwork#identity()} when these inputs were made (what checkpoints record). */
    private final String network;
    private final transient SegmentorNetwork net;
    private final transient LossInput onX;
    private final transient LossInput onCounterfactual;
    /** Sizes already probed ("HxW DTYPE"). */
    private final transient Set<String> probed = ConcurrentHashMap.newKeySet();

    private SegmentorInputs(String name, SegmentorNetwork net) {
        this.name = name;
        this.net = net;
        String id = net.identity();
        this.network = id == null ? net.getClass().getName() : id;
        String xName = name + "_x";
        String cfName = name + "_xcf";
        this.onX = LossInput.derived(xName, Set.of(LossInput.X), (sd, in) -> derive(sd, in.get(LossInput.X), xName,
                LossInput.X));
        this.onCounterfactual = LossInput.derived(cfName, Set.of(LossInput.X_CF), (sd, in) -> derive(sd,
                in.get(LossInput.X_CF), cfName, LossInput.X_CF));
    }

    /** The inputs {@code seg_x} and {@code seg_xcf} of {@code network}. */
    public static SegmentorInputs of(SegmentorNetwork network) {
        return named(DEFAULT_NAME, network);
    }

    /**
     * The inputs {@code <name>_x} and {@code <name>_xcf} of {@code network} (for a second segmentor in one set).
     *
     * @throws IllegalArgumentException when {@code name} is not letters, digits or '_'
     */
    public static SegmentorInputs named(String name, SegmentorNetwork network) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(network, "network");
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("name of the segmentor inputs must be letters, digits or '_' (it "
                    + "becomes the inputs <name>_x and <name>_xcf), got '" + name + "'; use e.g. \"seg2\"");
        }
        return new SegmentorInputs(name, network);
    }

    /** S(x): the segmentor's probability map on the real batch, {@code [B, 1, H, W]} (no gradient path). */
    public LossInput onX() {
        return onX;
    }

    /** S(x_cf): the map on the counterfactual, {@code [B, 1, H, W]}, differentiable with respect to x_cf. */
    public LossInput onCounterfactual() {
        return onCounterfactual;
    }

    /** The key prefix ({@value #DEFAULT_NAME} by default). */
    public String name() {
        return name;
    }

    /** The network. */
    public SegmentorNetwork network() {
        return net;
    }

    private SDVariable derive(SameDiff sd, SDVariable x, String call, LossInput source) {
        long[] shape = knownShape(x);
        if (shape != null && (shape.length != 4 || shape[1] != 1)) {
            throw new IllegalArgumentException("Segmentor input '" + call + "': " + source + " has shape "
                    + Arrays.toString(shape) + " but the segmentor takes single-channel images [B, 1, H, W]; feed "
                    + "one-channel slices");
        }
        if (shape != null && shape[2] > 0 && shape[3] > 0 && x.dataType() != null && x.dataType().isFPType()) {
            probe(shape[2], shape[3], x.dataType());
        }
        Set<String> trainable = trainableVariables(sd);
        SDVariable s = net.segment(sd, x, call);
        if (s == null || s.getSameDiff() != sd) {
            throw new IllegalArgumentException("Segmentor network " + network + " returned " + (s == null ? "null"
                    : "a variable of another SameDiff graph") + " for '" + call + "'; segment(sd, x, call) must add "
                    + "its forward to sd and return the probability map");
        }
        Set<String> added = trainableVariables(sd);
        added.removeAll(trainable);
        if (!added.isEmpty()) {
            throw new IllegalArgumentException("Segmentor network " + network + " added trainable variable(s) "
                    + new java.util.TreeSet<>(added) + " to the graph for '" + call + "'; a frozen segmentor's weights "
                    + "must be constants (sd.constant, or GraphScope.withTrainable(false)), or the generator's "
                    + "optimiser would train them");
        }
        return s;
    }

    private static Set<String> trainableVariables(SameDiff sd) {
        Set<String> out = new java.util.HashSet<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                out.add(v.name());
            }
        }
        return out;
    }

    private static long[] knownShape(SDVariable v) {
        try {
            return v.getShape();
        } catch (RuntimeException e) {
            return null; // op outputs have no static shape on SameDiff M2.1
        }
    }

    /** Runs the network once on a [2, 1, h, w] ramp in a scratch graph and checks shape and value range. */
    private void probe(long h, long w, DataType dt) {
        if (!probed.add(h + "x" + w + " " + dt)) {
            return;
        }
        SameDiff p = SameDiff.create();
        SingleThreadArrayHolder holder = new SingleThreadArrayHolder();
        p.setArrayHolders(holder, holder, false);
        SDVariable px = p.placeHolder("x", dt, 2, 1, h, w);
        SDVariable out = net.segment(p, px, "probe");
        if (out == null || out.getSameDiff() != p) {
            probed.remove(h + "x" + w + " " + dt);
            throw new IllegalArgumentException("Segmentor network " + network + " returned " + (out == null ? "null"
                    : "a variable of another SameDiff graph") + "; segment(sd, x, call) must add its forward to sd "
                    + "and return the probability map");
        }
        INDArray ramp = Nd4j.linspace(-1.0, 1.0, 2 * h * w, DataType.DOUBLE).castTo(dt).reshape(2, 1, h, w);
        INDArray o = p.output(Map.of("x", ramp), out.name()).get(out.name());
        long[] expected = {2, 1, h, w};
        if (!Arrays.equals(o.shape(), expected)) {
            probed.remove(h + "x" + w + " " + dt);
            throw new IllegalArgumentException("Segmentor network " + network + " returned shape "
                    + Arrays.toString(o.shape()) + " for input shape " + Arrays.toString(expected) + "; it must "
                    + "return one probability per pixel, [B, 1, H, W] (one output channel, upsampled back to the "
                    + "input size)");
        }
        double min = o.minNumber().doubleValue();
        double max = o.maxNumber().doubleValue();
        if (!(min >= 0 && max <= 1)) {
            probed.remove(h + "x" + w + " " + dt);
            throw new IllegalArgumentException("Segmentor network " + network + " returned values in [" + min + ", "
                    + max + "]; it must return probabilities in [0, 1]: apply a sigmoid to its logits");
        }
    }

    @Override
    public String toString() {
        return "SegmentorInputs[" + onX.name() + ", " + onCounterfactual.name() + " of " + network + "]";
    }
}
