package dev.coin.core.model;

import dev.coin.core.nn.internal.DiscriminatorResBlock;
import dev.coin.core.nn.Embedding;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.Linear;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.Pooling;
import dev.coin.core.nn.ReluMask;
import dev.coin.core.nn.WeightInit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * COIN's residual projection discriminator ({@code disc.…}, reference §2): spectrally normalised residual blocks,
 * ReLU, global sum pooling, an SNLinear head ({@code disc.sn_dense}) plus, when projecting, the inner product of
 * the pooled features with a label embedding ({@code disc.embd}). The embedding exists (and is counted) also when
 * unconditional, as in COIN-Aligned; it is then unused.
 *
 * <pre>{@code
 * ResNetDiscriminator d = ResNetDiscriminator.fiveBlocks().build();   // TUH: 64…1024, all downsample 2
 * d.parameterCount();                                                 // 19_543_489
 * DiscriminatorOutputs out = d.build(scope, x, labels, 256, 256);
 * }</pre>
 */
public final class ResNetDiscriminator {
    private final int[] channels;
    private final int[] downsample;
    private final boolean projection;
    private final int numClasses;

    private ResNetDiscriminator(Builder b) {
        this.channels = b.channels.clone();
        this.downsample = b.downsample.clone();
        this.projection = b.projection;
        this.numClasses = b.numClasses;
    }

    /**
     * The default schedule, named once here and used by {@link #builder()} and by {@code Pipeline.builder()}: the
     * five-block discriminator of the paper's COIN on TUH (reference §2 and §4.5, {@code tuh/cf_inpainting}: widths
     * 64…1024, every block downsampling by 2), the configuration whose defaults {@link UNetPerturbation#builder()}
     * also has.
     */
    private static final int[] DEFAULT_WIDTHS = {64, 128, 256, 512, 1024};
    private static final int[] DEFAULT_DOWNSAMPLE = {2, 2, 2, 2, 2};

    /**
     * The default: the reference's five-block TUH discriminator (64…1024, all downsample 2), projection, 2 classes;
     * the same as {@link #fiveBlocks()} and as a {@code Pipeline}'s discriminator when none is given. The synthetic
     * configurations' six-block one is {@link #sixBlocks()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The TUH five-block schedule 64…1024, all downsample 2; projection (the default, {@link #builder()}). */
    public static Builder fiveBlocks() {
        return builder().blocks(DEFAULT_WIDTHS, DEFAULT_DOWNSAMPLE);
    }

    /**
     * The synthetic configurations' six-block schedule (reference §2, code default {@code disc_params}): widths
     * 64, 128, 256, 512, 1024, 1024 with downsample 2, 2, 2, 2, 2, 1; projection; 2 classes.
     */
    public static Builder sixBlocks() {
        return builder().blocks(new int[] {64, 128, 256, 512, 1024, 1024}, new int[] {2, 2, 2, 2, 2, 1});
    }

    public Builder toBuilder() {
        return builder().blocks(channels, downsample).projection(projection).numClasses(numClasses);
    }

    public int[] channels() {
        return channels.clone();
    }

    public int[] downsample() {
        return downsample.clone();
    }

    public boolean projection() {
        return projection;
    }

    public int numClasses() {
        return numClasses;
    }

    private List<DiscriminatorResBlock> blocks() {
        List<DiscriminatorResBlock> l = new ArrayList<>();
        int in = 1;
        for (int i = 0; i < channels.length; i++) {
            l.add(new DiscriminatorResBlock("disc.blocks." + i, in, channels[i], downsample[i], i == 0));
            in = channels[i];
        }
        return l;
    }

    private Linear head() {
        return new Linear("disc.sn_dense", channels[channels.length - 1], 1, true, WeightInit.xavierUniform(1.0), true);
    }

    private Embedding embedding() {
        return new Embedding("disc.embd", numClasses, channels[channels.length - 1], WeightInit.xavierUniform(1.0));
    }

    private List<Layer> layers() {
        List<Layer> l = new ArrayList<>(blocks());
        l.add(head());
        l.add(embedding());
        return l;
    }

    /** Trainable parameters (embedding included; SN vectors excluded). */
    public long parameterCount() {
        return layers().stream().mapToLong(Layer::parameterCount).sum();
    }

    /** Allocates and initialises all parameters and SN vectors into {@code store} (reference order). */
    public void declare(ParameterStore store, long seed) {
        Random rng = new Random(seed);
        for (Layer l : layers()) {
            l.declare(store, rng);
        }
    }

    /** A new store holding this discriminator's initial parameters. */
    public ParameterStore initialise(DataType dataType, long seed) {
        ParameterStore s = ParameterStore.create(dataType);
        declare(s, seed);
        return s;
    }

    /**
     * Adds one discriminator application (each application advances every SN vector once per forward).
     *
     * @param x      images (N, 1, height, width)
     * @param labels INT class labels (N); ignored (may be null) when not projecting
     */
    public DiscriminatorOutputs build(GraphScope scope, SDVariable x, SDVariable labels, int height, int width) {
        return build(scope, x, labels, null, height, width);
    }

    /**
     * One application plus, per sample, the directional derivative of its logit along {@code direction}:
     * slope_i = ∇ₓD(x_i) · direction_i, computed forward (a tangent pass: every layer's linear part with the primal
     * pass's ReLU masks and the same σ), not by finite differences. D is piecewise linear in x, so the slope is exact,
     * and because the masks carry no gradient, its gradient with respect to the weights is the exact second-order
     * derivative. With direction_i = ∇ₓD(x_i)/‖∇ₓD(x_i)‖ the slope is ‖∇ₓD(x_i)‖: COIN-Aligned's R1/R2 penalties
     * without double backprop (see {@code GradientPenalty}). The tangent ops live under the call prefix
     * {@code <prefix>_slope}.
     *
     * @param direction (N, 1, height, width), a graph input (placeholder or constant); no gradient is taken through it
     */
    public DiscriminatorOutputs buildWithSlope(GraphScope scope, SDVariable x, SDVariable labels,
            SDVariable direction, int height, int width) {
        java.util.Objects.requireNonNull(direction, "direction");
        return build(scope, x, labels, direction, height, width);
    }

    private DiscriminatorOutputs build(GraphScope scope, SDVariable x, SDVariable labels, SDVariable direction,
            int height, int width) {
        int div = 1;
        for (int d : downsample) {
            div *= d;
        }
        if (height <= 0 || width <= 0 || height % div != 0 || width % div != 0) {
            throw new IllegalArgumentException("image size " + height + "×" + width + " is not a positive multiple of "
                    + div + " (the product of the downsample factors); resize or pad the input");
        }
        if (projection && labels == null) {
            throw new IllegalArgumentException("a projection discriminator needs the labels variable; pass it or "
                    + "build with projection(false)");
        }
        SameDiff sd = scope.sd();
        GraphScope ts = direction == null ? null
                : scope.withCallPrefix(scope.callPrefix() + "_slope").withSpectralNormOf(scope.callPrefix());
        SDVariable h = x;
        SDVariable t = direction;
        for (DiscriminatorResBlock b : blocks()) {
            SDVariable[] ht = b.applyWithTangent(scope, ts, h, t);
            h = ht[0];
            t = ht[1];
        }
        SDVariable pooled = Pooling.sumPool(scope, sd.nn().relu(h, 0), "disc.sum_pool");
        SDVariable logits = head().apply(scope, pooled);
        SDVariable slope = null;
        SDVariable tPooled = null;
        if (ts != null) {
            tPooled = Pooling.sumPool(ts, t.mul(ReluMask.of(ts, h, "disc.relu.mask")), "disc.sum_pool");
            slope = head().applyLinearPart(ts, tPooled);
        }
        if (projection) {
            SDVariable embedded = embedding().apply(scope, labels);
            logits = logits.add(embedded.mul(pooled).sum(true, 1));
            if (slope != null) {
                slope = slope.add(embedded.mul(tPooled).sum(true, 1));
            }
        }
        return new DiscriminatorOutputs(sd.identity(scope.opName("disc.logits"), logits), pooled,
                slope == null ? null : sd.identity(ts.opName("disc.slope"), slope));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResNetDiscriminator)) {
            return false;
        }
        ResNetDiscriminator d = (ResNetDiscriminator) o;
        return Arrays.equals(channels, d.channels) && Arrays.equals(downsample, d.downsample)
                && projection == d.projection && numClasses == d.numClasses;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(channels), Arrays.hashCode(downsample), projection, numClasses);
    }

    @Override
    public String toString() {
        return "ResNetDiscriminator[" + channels.length + " blocks " + Arrays.toString(channels) + ", downsample "
                + Arrays.toString(downsample) + ", " + (projection ? "projection (" + numClasses + " classes)" : "unconditional")
                + ", " + String.format("%,d", parameterCount()) + " parameters]";
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private int[] channels = DEFAULT_WIDTHS.clone();
        private int[] downsample = DEFAULT_DOWNSAMPLE.clone();
        private boolean projection = true;
        private int numClasses = 2;

        private Builder() {
        }

        /** Block widths and per-block downsample factors (1 or 2), same length ≥ 1. */
        public Builder blocks(int[] widths, int[] downsampleFactors) {
            if (widths == null || downsampleFactors == null || widths.length == 0 || widths.length != downsampleFactors.length) {
                throw new IllegalArgumentException("widths and downsample factors must be non-empty and of equal length, got "
                        + Arrays.toString(widths) + " and " + Arrays.toString(downsampleFactors));
            }
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] <= 0 || (downsampleFactors[i] != 1 && downsampleFactors[i] != 2)) {
                    throw new IllegalArgumentException("block " + i + ": width must be > 0 and downsample 1 or 2, got "
                            + widths[i] + " / " + downsampleFactors[i]);
                }
            }
            this.channels = widths.clone();
            this.downsample = downsampleFactors.clone();
            return this;
        }

        /** True: projection discriminator (label embedding); false: unconditional. */
        public Builder projection(boolean on) {
            this.projection = on;
            return this;
        }

        public Builder numClasses(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("numClasses must be > 0, got " + n);
            }
            this.numClasses = n;
            return this;
        }

        public ResNetDiscriminator build() {
            return new ResNetDiscriminator(this);
        }
    }
}
