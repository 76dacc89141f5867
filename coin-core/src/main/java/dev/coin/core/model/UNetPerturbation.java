package dev.coin.core.model;

import dev.coin.core.nn.BatchNorm2d;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.internal.EncoderResBlock;
import dev.coin.core.nn.internal.GeneratorResBlock;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.nn.WeightInit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * COIN's generator: the residual encoder ({@code enc.…}, reference §1.1) and the residual decoder with conditional
 * batch norm and skip connections ({@code gen.…}, §1.2), fused with the input image (§1.3). An immutable spec:
 * it counts its parameters without allocating them, declares them into a {@link ParameterStore}, and adds its ops
 * to a graph through a {@link GraphScope}.
 *
 * <pre>{@code
 * UNetPerturbation spec = UNetPerturbation.withSkips(4).upsample(UpsampleKind.BILINEAR).build();
 * spec.parameterCount();                                   // 53_106_945
 * ParameterStore store = spec.initialise(DataType.FLOAT, 777L);
 * SameDiff sd = GraphScope.newSameDiff(holder);
 * SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 256, 256);
 * SDVariable y = sd.placeHolder("labels", DataType.INT32, -1);
 * GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withCallPrefix("g");
 * GeneratorOutputs out = spec.build(scope, x, y, 256, 256);
 * Map<String, INDArray> r = scope.hooks().output(feeds, out.counterfactual().name());
 * }</pre>
 */
public final class UNetPerturbation {
    /** Encoder/decoder depth of the reference. */
    public static final int LEVELS = 5;

    private final int stemChannels;
    private final int[] encoderChannels;
    private final int[] decoderChannels;
    private final SortedSet<Integer> skips;
    private final UpsampleKind upsample;
    private final boolean spectralNorm;
    private final FusionKind fusion;
    private final Conditioning conditioning;
    private final double outputGain;

    private UNetPerturbation(Builder b) {
        this.stemChannels = b.stemChannels;
        this.encoderChannels = b.encoderChannels.clone();
        this.decoderChannels = b.decoderChannels == null ? reversed(b.encoderChannels) : b.decoderChannels.clone();
        this.skips = Collections.unmodifiableSortedSet(new TreeSet<>(b.skips));
        this.upsample = b.upsample;
        this.spectralNorm = b.spectralNorm;
        this.fusion = b.fusion;
        this.conditioning = b.conditioning;
        this.outputGain = b.outputGain;
    }

    /** A builder with the COIN defaults (TUH configuration): skips {1,2,3,4}, 64…1024, bilinear, no SN, tanh(x+g). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults with skip connections at levels 1..k ({@code k = 0} for none): {@code withSkips(3)} is {1, 2, 3}, as
     * the paper's ablation rows read (sc1, sc12, sc123, sc1234). Explicit levels: {@link #withSkipLevels}.
     */
    public static Builder withSkips(int k) {
        return builder().skipsUpTo(k);
    }

    /**
     * Defaults with skip connections at exactly these levels, each in 1..4: {@code withSkipLevels(3)} is {3},
     * {@code withSkipLevels(1, 3)} is {1, 3}; none for no skips.
     */
    public static Builder withSkipLevels(int... levels) {
        return builder().skipLevels(levels);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.stemChannels = stemChannels;
        b.encoderChannels = encoderChannels.clone();
        // the decoder stays "the reverse of the encoder" unless it was set otherwise, so channels(...) moves both
        b.decoderChannels = Arrays.equals(decoderChannels, reversed(encoderChannels)) ? null : decoderChannels.clone();
        b.skips = new TreeSet<>(skips);
        b.upsample = upsample;
        b.spectralNorm = spectralNorm;
        b.fusion = fusion;
        b.conditioning = conditioning;
        b.outputGain = outputGain;
        return b;
    }

    public int stemChannels() {
        return stemChannels;
    }

    public int[] encoderChannels() {
        return encoderChannels.clone();
    }

    public int[] decoderChannels() {
        return decoderChannels.clone();
    }

    public SortedSet<Integer> skips() {
        return skips;
    }

    public UpsampleKind upsample() {
        return upsample;
    }

    public boolean spectralNorm() {
        return spectralNorm;
    }

    public FusionKind fusion() {
        return fusion;
    }

    public Conditioning conditioning() {
        return conditioning;
    }

    /** Xavier-uniform gain of the output conv's weight (1 in the reference). */
    public double outputGain() {
        return outputGain;
    }

    // ---- structure ------------------------------------------------------------------------------------------

    private Conv2d stemConv() {
        return Conv2d.of("enc.first_block.0", 1, stemChannels, 3).withInit(WeightInit.xavierNormal(1.0));
    }

    private BatchNorm2d stemBn() {
        return new BatchNorm2d("enc.first_block.2", stemChannels, true);
    }

    private List<EncoderResBlock> encoderBlocks() {
        List<EncoderResBlock> blocks = new ArrayList<>();
        int in = stemChannels;
        for (int i = 0; i < LEVELS; i++) {
            blocks.add(new EncoderResBlock("enc.blocks." + i, in, encoderChannels[i], spectralNorm));
            in = encoderChannels[i];
        }
        return blocks;
    }

    /** Input channels of decoder block {@code i} (decoder features first, then the skip feature). */
    public int decoderInputChannels(int i) {
        if (i == 0) {
            return encoderChannels[LEVELS - 1];
        }
        return decoderChannels[i - 1] + (skips.contains(i) ? encoderChannels[LEVELS - 1 - i] : 0);
    }

    private List<GeneratorResBlock> decoderBlocks() {
        List<GeneratorResBlock> blocks = new ArrayList<>();
        for (int i = 0; i < LEVELS; i++) {
            blocks.add(new GeneratorResBlock("gen.blocks." + i, decoderInputChannels(i), decoderChannels[i], upsample,
                    spectralNorm, conditioning));
        }
        return blocks;
    }

    private BatchNorm2d lastBn() {
        return new BatchNorm2d("gen.last_block.0", decoderChannels[LEVELS - 1], true);
    }

    private Conv2d lastConv() {
        return Conv2d.of("gen.last_block.2", decoderChannels[LEVELS - 1], 1, 3).withBias(true)
                .withInit(WeightInit.xavierUniform(outputGain));
    }

    private List<Layer> encoderLayers() {
        List<Layer> l = new ArrayList<>();
        l.add(stemConv());
        l.add(stemBn());
        l.addAll(encoderBlocks());
        return l;
    }

    private List<Layer> decoderLayers() {
        List<Layer> l = new ArrayList<>(decoderBlocks());
        l.add(lastBn());
        l.add(lastConv());
        return l;
    }

    // ---- counting and parameters ---------------------------------------------------------------------------

    /** Trainable parameters of the encoder ({@code enc.…}). */
    public long encoderParameterCount() {
        return encoderLayers().stream().mapToLong(Layer::parameterCount).sum();
    }

    /** Trainable parameters of the decoder ({@code gen.…}). */
    public long decoderParameterCount() {
        return decoderLayers().stream().mapToLong(Layer::parameterCount).sum();
    }

    /** Trainable parameters of encoder + decoder (BN γ/β included; running stats and SN vectors excluded). */
    public long parameterCount() {
        return encoderParameterCount() + decoderParameterCount();
    }

    /** Allocates and initialises all parameters and state into {@code store} (reference module order). */
    public void declare(ParameterStore store, long seed) {
        Random rng = new Random(seed);
        for (Layer l : encoderLayers()) {
            l.declare(store, rng);
        }
        for (Layer l : decoderLayers()) {
            l.declare(store, rng);
        }
    }

    /** A new store holding this generator's initial parameters. */
    public ParameterStore initialise(DataType dataType, long seed) {
        ParameterStore store = ParameterStore.create(dataType);
        declare(store, seed);
        return store;
    }

    // ---- graph ---------------------------------------------------------------------------------------------

    /**
     * Adds one generator application to the scope's graph.
     *
     * @param x         input images (N, 1, height, width), values in [−1, 1]
     * @param condition INT labels (N) for label conditioning, features (N, featureDim) for feature conditioning,
     *                  ignored (may be null) without conditioning
     * @param height    image height (divisible by 32)
     * @param width     image width (divisible by 32)
     */
    public GeneratorOutputs build(GraphScope scope, SDVariable x, SDVariable condition, int height, int width) {
        int div = 1 << LEVELS;
        if (height <= 0 || width <= 0 || height % div != 0 || width % div != 0) {
            throw new IllegalArgumentException("image size " + height + "×" + width + " is not a positive multiple of "
                    + div + " (the encoder halves it " + LEVELS + " times); resize or pad the input");
        }
        SameDiff sd = scope.sd();
        SDVariable h = sd.nn().relu(stemConv().apply(scope, x), 0);
        h = stemBn().apply(scope, h);
        List<SDVariable> features = new ArrayList<>();
        for (EncoderResBlock b : encoderBlocks()) {
            h = b.apply(scope, h);
            features.add(h);
        }
        int hh = height >> LEVELS;
        int ww = width >> LEVELS;
        SDVariable d = features.get(LEVELS - 1);
        List<GeneratorResBlock> blocks = decoderBlocks();
        for (int i = 0; i < LEVELS; i++) {
            if (i > 0 && skips.contains(i)) {
                d = sd.concat(scope.opName("gen.blocks." + i + ".skip_concat"), 1, d, features.get(LEVELS - 1 - i));
            }
            d = blocks.get(i).apply(scope, d, condition, hh, ww);
            hh *= 2;
            ww *= 2;
        }
        d = sd.nn().relu(lastBn().apply(scope, d), 0);
        SDVariable g = sd.identity(scope.opName("g"), lastConv().apply(scope, d));
        return new GeneratorOutputs(fuse(scope, x, g), g, features);
    }

    private SDVariable fuse(GraphScope scope, SDVariable x, SDVariable g) {
        SameDiff sd = scope.sd();
        String name = scope.opName("x_cf");
        switch (fusion) {
            case SKIP_ADD_TANH:
                return sd.math().tanh(name, x.add(g));
            case NONE:
                return sd.math().tanh(name, g);
            case SHIFTED_TANH:
                return sd.math().tanh(name, x.add(sd.math().tanh(g).sub(0.6).mul(1.0 / 0.8)));
            case L2_TANH: {
                SDVariable norm = sd.math().sqrt(g.mul(g).sum(true, 2, 3));
                SDVariable scale = sd.math().reciprocal(sd.math().max(norm, sd.onesLike(norm)));
                return sd.math().tanh(name, x.add(g.mul(scale)));
            }
            case TANH_AVG:
                return x.add(sd.math().tanh(g)).mul(name, 0.5);
            case TANH_CLAMP:
                return sd.math().clipByValue(name, x.add(sd.math().tanh(g)), -1.0, 1.0);
            default:
                throw new UnsupportedOperationException("fusion " + fusion + " is not implemented");
        }
    }

    // ---- value object --------------------------------------------------------------------------------------

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UNetPerturbation)) {
            return false;
        }
        UNetPerturbation u = (UNetPerturbation) o;
        return stemChannels == u.stemChannels && Arrays.equals(encoderChannels, u.encoderChannels)
                && Arrays.equals(decoderChannels, u.decoderChannels) && skips.equals(u.skips)
                && upsample == u.upsample && spectralNorm == u.spectralNorm && fusion == u.fusion
                && conditioning.equals(u.conditioning) && outputGain == u.outputGain;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stemChannels, Arrays.hashCode(encoderChannels), Arrays.hashCode(decoderChannels), skips,
                upsample, spectralNorm, fusion, conditioning, outputGain);
    }

    @Override
    public String toString() {
        return "UNetPerturbation[stem " + stemChannels + ", encoder " + Arrays.toString(encoderChannels) + ", decoder "
                + Arrays.toString(decoderChannels) + ", skips " + skips + ", " + upsample + ", SN " + (spectralNorm ? "on" : "off")
                + ", fusion " + fusion + ", conditioning " + conditioning
                + (outputGain == 1.0 ? "" : ", output gain " + outputGain) + ", " + String.format("%,d", parameterCount())
                + " parameters]";
    }

    private static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private int stemChannels = 64;
        private int[] encoderChannels = {64, 128, 256, 512, 1024};
        private int[] decoderChannels;
        private SortedSet<Integer> skips = new TreeSet<>(List.of(1, 2, 3, 4));
        private UpsampleKind upsample = UpsampleKind.BILINEAR;
        private boolean spectralNorm;
        private FusionKind fusion = FusionKind.SKIP_ADD_TANH;
        private Conditioning conditioning = Conditioning.labels(2);
        private double outputGain = 1.0;

        private Builder() {
        }

        /** Encoder widths (5 values); the decoder defaults to the reverse. */
        public Builder channels(int... encoder) {
            this.encoderChannels = checkWidths("encoder channels", encoder);
            return this;
        }

        /** Decoder widths (5 values), when they are not the reverse of the encoder's. */
        public Builder decoderChannels(int... decoder) {
            this.decoderChannels = checkWidths("decoder channels", decoder);
            return this;
        }

        /** Stem width (64 in the reference, independent of the block widths). */
        public Builder stemChannels(int c) {
            if (c <= 0) {
                throw new IllegalArgumentException("stemChannels must be > 0, got " + c);
            }
            this.stemChannels = c;
            return this;
        }

        /** Skip levels, each in 1..4 (level i concatenates encoder feature f(5−i) into decoder block i). */
        public Builder skips(SortedSet<Integer> levels) {
            for (Integer l : levels) {
                if (l == null || l < 1 || l > LEVELS - 1) {
                    throw new IllegalArgumentException("skip level " + l + " is outside 1..4; level 0 is ignored by the "
                            + "reference, so leave it out");
                }
            }
            this.skips = new TreeSet<>(levels);
            return this;
        }

        /** Skip connections at exactly these levels, each in 1..4 ({@code skipLevels(3)} is {3}); none for none. */
        public Builder skipLevels(int... levels) {
            TreeSet<Integer> s = new TreeSet<>();
            for (int l : levels) {
                s.add(l);
            }
            return skips(s);
        }

        /** Skip connections at levels 1..k ({@code skipsUpTo(3)} is {1, 2, 3}; 0 for none). */
        public Builder skipsUpTo(int k) {
            if (k < 0 || k > LEVELS - 1) {
                throw new IllegalArgumentException("skipsUpTo(" + k + "): k must be in 0..4 (skip levels {1..k}); for "
                        + "explicit levels use skipLevels(...)");
            }
            TreeSet<Integer> s = new TreeSet<>();
            for (int i = 1; i <= k; i++) {
                s.add(i);
            }
            return skips(s);
        }

        public Builder upsample(UpsampleKind kind) {
            this.upsample = Objects.requireNonNull(kind, "upsample");
            return this;
        }

        /** Spectral normalisation of the 1×1 shortcut convs (synthetic configs: on; TUH: off). */
        public Builder spectralNorm(boolean on) {
            this.spectralNorm = on;
            return this;
        }

        public Builder fusion(FusionKind kind) {
            this.fusion = Objects.requireNonNull(kind, "fusion");
            return this;
        }

        public Builder conditioning(Conditioning c) {
            this.conditioning = Objects.requireNonNull(c, "conditioning");
            return this;
        }

        /**
         * Xavier-uniform gain of the output conv (reference: 1). A small gain (e.g. 0.01) starts training near
         * x_cf = tanh(x), so short CPU runs do not first have to unlearn a random full-image perturbation; this is
         * not in the reference and is off by default.
         */
        public Builder outputGain(double gain) {
            if (!(gain > 0) || Double.isInfinite(gain)) {
                throw new IllegalArgumentException("outputGain must be finite and > 0, got " + gain
                        + "; use 1.0 for the reference initialisation");
            }
            this.outputGain = gain;
            return this;
        }

        public UNetPerturbation build() {
            if (decoderChannels != null && decoderChannels.length != LEVELS) {
                throw new IllegalArgumentException("decoder channels need " + LEVELS + " values");
            }
            if (fusion == FusionKind.STACK_3X3_CONV_TANH) {
                throw new IllegalArgumentException("fusion " + fusion + " (reference 'skip_stack_3x3conv_tanh') is not "
                        + "implemented; use SKIP_ADD_TANH (COIN), SHIFTED_TANH (COIN-Aligned), L2_TANH, TANH_AVG, "
                        + "TANH_CLAMP or NONE");
            }
            return new UNetPerturbation(this);
        }

        private static int[] checkWidths(String what, int[] w) {
            if (w == null || w.length != LEVELS) {
                throw new IllegalArgumentException(what + " need exactly " + LEVELS + " values, got "
                        + (w == null ? "null" : Arrays.toString(w)));
            }
            for (int c : w) {
                if (c <= 0) {
                    throw new IllegalArgumentException(what + " must all be > 0, got " + Arrays.toString(w));
                }
            }
            return w.clone();
        }
    }
}
