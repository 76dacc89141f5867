package dev.coin.losses;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Reconstruction terms (reference §4.3, §9.7): λ · Σ over image pairs (a, b) of a distance d(a, b).
 *
 * <table>
 *   <caption>factories</caption>
 *   <tr><th>factory</th><th>name</th><th>value (before λ)</th><th>used by</th></tr>
 *   <tr><td>{@link #l1()}</td><td>rec</td><td>L1(x, x_cf)</td><td>forward term only (ALIGNED
 *       {@code only_forward_term})</td></tr>
 *   <tr><td>{@link #cyclicL1()}</td><td>rec</td><td>L1(x, x_cf) + L1(x, x_cc)</td><td>COIN v1</td></tr>
 *   <tr><td>{@link #cyclicV2()}</td><td>rec</td><td>L1(x, x_cf) + L1(x_cf, x_cc)</td><td>COIN v2</td></tr>
 *   <tr><td>{@link #onlyCyclic()}</td><td>rec</td><td>L1(x_cf, x_cc)</td><td>ALIGNED {@code only_cyclic_rec}</td></tr>
 *   <tr><td>{@link #minc(double)}</td><td>minc</td><td>L1(x, x_cf), a separate term with λ_minc</td><td>COIN v1
 *       (λ_minc defaults to 1 in the reference when absent: the synthetic COIN has 2× the forward L1)</td></tr>
 *   <tr><td>{@link #singlaL1()}</td><td>rec</td><td>L1(x, x_rec) + L1(x, x_cc)</td><td>Singla* ({@code rec_kind:
 *       L1})</td></tr>
 *   <tr><td>{@link #carl()}</td><td>rec</td><td>CARL(x, x_rec) + CARL(x, x_cc)</td><td>Singla ({@code rec_kind:
 *       carl})</td></tr>
 *   <tr><td>{@link #dilation(int)}</td><td>rec</td><td>Σ dilate_k(|x − x_cf|/2) / (B·H·W)</td><td>ALIGNED
 *       {@code reconstruction_dilation}</td></tr>
 * </table>
 * L1(a, b) = mean |a − b| over all elements. x_cc = {@link LossInput#X_CYCLIC}, x_rec = {@link LossInput#X_REC}.
 *
 * <p><b>CARL</b> (masked L1): for each mask channel m (default channels 0 = background and 1 = kidney of
 * {@link LossInput#MASKS}): per sample Σ(m·|a − b|) / (Σm + 1e-8), averaged over the batch; summed over the channels.
 * The mask channel is broadcast over the image channels (the reference only works for one image channel, where this
 * is the same).
 *
 * <p><b>Dilation</b>: diff = |(x+1)/2 − (x_cf+1)/2| (unit space), grey dilation = k×k max pooling, stride 1,
 * <em>no padding</em> (output (H−k+1)×(W−k+1)), L = Σ dilated / (B·H·W). The divisor is the <em>undilated</em> pixel
 * count — a quirk of the reference kept on purpose (the loss is slightly smaller than a mean over the dilated map).
 * It replaces forward + cyclic L1 (no second generator pass).
 *
 * <pre>{@code
 * Reconstruction rec = Reconstruction.cyclicL1().weight(1.0);
 * // Reconstruction.cyclicL1[λ=1.0: L1(X, X_CF) + L1(X, X_CYCLIC)]
 * }</pre>
 */
public final class Reconstruction extends AbstractLossTerm {
    /** Name of every reconstruction kind except minc. */
    public static final String NAME = "rec";
    /** Name of the minimum-change term. */
    public static final String MINC_NAME = "minc";
    /** CARL's denominator guard. */
    public static final double CARL_EPS = 1e-8;

    private enum Distance { L1, CARL, DILATED_L1 }

    /** One compared pair of images. */
    private record Pair(LossInput a, LossInput b) {
        @Override
        public String toString() {
            return a + ", " + b;
        }
    }

    private static final Pair FORWARD = new Pair(LossInput.X, LossInput.X_CF);
    private static final Pair CYCLIC = new Pair(LossInput.X, LossInput.X_CYCLIC);
    private static final Pair CYCLIC_V2 = new Pair(LossInput.X_CF, LossInput.X_CYCLIC);
    private static final Pair SELF = new Pair(LossInput.X, LossInput.X_REC);

    private final String kind;
    private final List<Pair> pairs;
    private final Distance distance;
    private final int kernel;
    private final int[] maskChannels;

    private Reconstruction(String kind, String name, double weight, List<Pair> pairs, Distance distance, int kernel,
            int[] maskChannels) {
        super(name, weight);
        this.kind = kind;
        this.pairs = List.copyOf(pairs);
        this.distance = distance;
        this.kernel = kernel;
        this.maskChannels = maskChannels.clone();
    }

    private static Reconstruction l1Pairs(String kind, Pair... pairs) {
        return new Reconstruction(kind, NAME, 1.0, List.of(pairs), Distance.L1, 0, new int[0]);
    }

    /** L1(x, x_cf), λ = 1. */
    public static Reconstruction l1() {
        return l1Pairs("l1", FORWARD);
    }

    /** COIN v1: L1(x, x_cf) + L1(x, x_cc), λ = 1. */
    public static Reconstruction cyclicL1() {
        return l1Pairs("cyclicL1", FORWARD, CYCLIC);
    }

    /** COIN v2: L1(x, x_cf) + L1(x_cf, x_cc), λ = 1. */
    public static Reconstruction cyclicV2() {
        return l1Pairs("cyclicV2", FORWARD, CYCLIC_V2);
    }

    /** COIN-Aligned {@code only_cyclic_rec}: L1(x_cf, x_cc), λ = 1. */
    public static Reconstruction onlyCyclic() {
        return l1Pairs("onlyCyclic", CYCLIC_V2);
    }

    /** Singla* with {@code rec_kind: L1}: L1(x, x_rec) + L1(x, x_cc), λ = 1. */
    public static Reconstruction singlaL1() {
        return l1Pairs("singlaL1", SELF, CYCLIC);
    }

    /** The minimum-change term λ_minc · L1(x, x_cf), named "minc" so it sits beside a "rec" term. */
    public static Reconstruction minc(double lambda) {
        return new Reconstruction("minc", MINC_NAME, lambda, List.of(FORWARD), Distance.L1, 0, new int[0]);
    }

    /** Singla's CARL over mask channels 0 (background) and 1 (kidney): CARL(x, x_rec) + CARL(x, x_cc), λ = 1. */
    public static Reconstruction carl() {
        return carl(0, 1);
    }

    /**
     * CARL over the given mask channels.
     *
     * @throws IllegalArgumentException when no channel, a negative one or a repeated one is given
     */
    public static Reconstruction carl(int... maskChannels) {
        Objects.requireNonNull(maskChannels, "maskChannels");
        if (maskChannels.length == 0 || Arrays.stream(maskChannels).anyMatch(c -> c < 0)
                || Arrays.stream(maskChannels).distinct().count() != maskChannels.length) {
            throw new IllegalArgumentException("Reconstruction.carl mask channels must be distinct and >= 0, got "
                    + Arrays.toString(maskChannels) + "; the reference uses carl(0, 1) (background, kidney)");
        }
        return new Reconstruction("carl", NAME, 1.0, List.of(SELF, CYCLIC), Distance.CARL, 0, maskChannels);
    }

    /**
     * COIN-Aligned's dilation loss with a k×k structuring element (the reference's default k is 2; thesis runs use
     * 3 and 7), λ = 1.
     *
     * @throws IllegalArgumentException when k &lt; 1
     */
    public static Reconstruction dilation(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Reconstruction.dilation kernel size k must be >= 1, got " + k
                    + "; the reference default is 2 (thesis runs use 3 and 7)");
        }
        return new Reconstruction("dilation", NAME, 1.0, List.of(FORWARD), Distance.DILATED_L1, k, new int[0]);
    }

    @Override
    public Reconstruction weight(double lambda) {
        return new Reconstruction(kind, name(), lambda, pairs, distance, kernel, maskChannels);
    }

    /** The dilation kernel size (0 for the other kinds). */
    public int kernel() {
        return kernel;
    }

    @Override
    public Player player() {
        return Player.GENERATOR;
    }

    @Override
    public Set<LossInput> requires() {
        Set<LossInput> s = new LinkedHashSet<>();
        for (Pair p : pairs) {
            s.add(p.a());
            s.add(p.b());
        }
        if (distance == Distance.CARL) {
            s.add(LossInput.MASKS);
        }
        return Collections.unmodifiableSet(s);
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable total = null;
        for (Pair p : pairs) {
            SDVariable d = distance(sd, c.get(p.a()), c.get(p.b()), c);
            total = total == null ? d : total.add(d);
        }
        return total;
    }

    private SDVariable distance(SameDiff sd, SDVariable a, SDVariable b, LossContext c) {
        switch (distance) {
            case L1:
                return Graph.l1(sd, a, b);
            case CARL:
                return carl(sd, a, b, c.get(LossInput.MASKS));
            case DILATED_L1:
                // |(a+1)/2 − (b+1)/2| = |a − b|/2; Σ dilated / (B·C·H·W) is the batch mean of each sample's sum over
                // its undilated element count (counted with onesLike, so the batch and image sizes may be unknown).
                // No constant array: the trainer's graphs share one array holder, where an auto-named constant
                // ("sd_var") of a graph built later replaces this one's (the zero-padding this used to do crashed
                // the generator's gradient with a FLOAT pads array).
                SDVariable diff = sd.math.abs(a.sub(b)).mul(0.5);
                SDVariable dilated = Graph.maxPoolValid(sd, diff, kernel);
                SDVariable count = sd.sum(sd.onesLike(diff), 1, 2, 3);
                return sd.mean(sd.sum(dilated, 1, 2, 3).div(count));
            default:
                throw new AssertionError(distance);
        }
    }

    private SDVariable carl(SameDiff sd, SDVariable a, SDVariable b, SDVariable masks) {
        long[] shape = masks.getShape();
        if (shape != null && shape.length == 4 && shape[1] > 0) {
            for (int c : maskChannels) {
                if (c >= shape[1]) {
                    throw new IllegalArgumentException("Loss term '" + name() + "' (" + this + ") uses mask channel "
                            + c + " but MASKS has " + shape[1] + " channel(s) (shape " + Arrays.toString(shape)
                            + "); pass masks with background and kidney channels or choose carl(channels…)");
                }
            }
        }
        SDVariable absDiff = sd.math.abs(a.sub(b));
        SDVariable total = null;
        for (int c : maskChannels) {
            SDVariable m = Graph.channel(sd, masks, c);
            SDVariable num = sd.sum(m.mul(absDiff), 1, 2, 3);
            SDVariable den = sd.sum(m, 1, 2, 3).add(CARL_EPS);
            SDVariable perMask = sd.mean(num.mul(sd.math.reciprocal(den)));
            total = total == null ? perMask : total.add(perMask);
        }
        return total;
    }

    @Override
    public String toString() {
        String fn = switch (distance) {
            case L1 -> "L1";
            case CARL -> "CARL" + Arrays.toString(maskChannels);
            case DILATED_L1 -> "DilatedL1[k=" + kernel + "]";
        };
        return "Reconstruction." + kind + "[" + lambda() + ": "
                + pairs.stream().map(p -> fn + "(" + p + ")").collect(Collectors.joining(" + ")) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reconstruction r && r.kind.equals(kind) && r.weight() == weight() && r.kernel == kernel
                && Arrays.equals(r.maskChannels, maskChannels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, weight(), kernel, Arrays.hashCode(maskChannels));
    }
}
