package dev.coin.core.model.segmentor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.internal.Json;
import dev.coin.core.nn.BatchNorm2d;
import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.MaxPooling;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.WeightInit;
import dev.coin.core.nn.io.StateDict;
import dev.coin.losses.SegmentorNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small U-Net that maps a slice {@code [B, 1, H, W]} in [−1, 1] to one logit per pixel, whose sigmoid is the
 * probability of the segmented structure (the kidney, tumour included, for {@link dev.coin.losses.SegmentorGuidance}).
 *
 * <p>Architecture, widths w₀ … w_L (L = levels): encoder level i = [max-pool 2×2 (i &gt; 0)] → conv 3×3 → BN →
 * ReLU → conv 3×3 → BN → ReLU to w_i channels; decoder level i (L−1 … 0) = nearest ×2 upsampling of level i+1,
 * concatenated with the encoder's level-i output (skip), → the same double conv to w_i; head = conv 1×1 (bias) to
 * one logit. Convs before a batch norm have no bias. H and W must be divisible by 2^L. Parameters are named like a
 * PyTorch {@code nn.Sequential} state_dict under the spec's prefix ({@code seg.enc0.0.weight},
 * {@code seg.enc0.1.running_mean}, {@code seg.dec0.3.weight}, {@code seg.head.bias}), so the segmentor's weights
 * never clash with the generator ({@code enc.}/{@code gen.}), the discriminator ({@code disc.}) or the classifier
 * in one graph. Initialisation is PyTorch's default from a seed: conv weights and the head bias U(±1/√fan_in)
 * (kaiming-uniform with a = √5), BN γ = 1, β = 0.
 *
 * <p>As a {@link SegmentorNetwork} ({@link #segment}) it adds its eval-mode forward with its weights as graph
 * constants, so a pipeline's generator graph runs it frozen while the gradient reaches x_cf. It refuses a graph
 * that already holds another array under one of its parameter names (another segmentor with the same prefix: give
 * one {@code builder().prefix("seg2")}).
 *
 * <pre>{@code
 * UNetSegmentor seg = UNetSegmentor.builder().widths(8, 16, 32).build().create(7L);
 * INDArray p = seg.probabilities(x);           // x [B,1,H,W], H and W divisible by 4
 * seg.save(dir);  UNetSegmentor same = UNetSegmentor.load(dir);
 * }</pre>
 */
public final class UNetSegmentor implements SegmentorNetwork {
    static {
        // Select the fast oneDNN natives before this class can be the first to load ND4J.
        dev.coin.data.runtime.NativeBackend.configure();
    }

    /** File holding the spec inside a saved segmentor folder. */
    public static final String SPEC_FILE = "segmentor.json";
    /** File holding the weights inside a saved segmentor folder. */
    public static final String WEIGHTS_FILE = "weights.npz";
    static final String ARCHITECTURE = "unet_segmentor";
    private static final int MAX_LEVELS = 6;

    /**
     * The architecture.
     *
     * @param widths channels per level, w₀ (full resolution) … w_L (the bottleneck); L = size − 1 levels of pooling
     * @param prefix the parameter-name prefix (default {@code seg}): parameters are {@code <prefix>.enc0.0.weight}, …
     */
    public record Spec(List<Integer> widths, String prefix) {
        public Spec {
            Objects.requireNonNull(widths, "widths");
            Objects.requireNonNull(prefix, "prefix");
            widths = List.copyOf(widths);
            if (widths.size() < 2 || widths.size() > MAX_LEVELS + 1) {
                throw new IllegalArgumentException("widths must list 2 to " + (MAX_LEVELS + 1) + " channel counts (one "
                        + "per level, bottleneck last), got " + widths + "; e.g. widths(8, 16, 32)");
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("widths must all be >= 1, got " + widths);
                }
            }
            if (!prefix.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("prefix must be a letter followed by letters, digits or '_' (the "
                        + "parameters are <prefix>.enc0.0.weight, …), got '" + prefix + "'; e.g. \"seg\"");
            }
        }

        /** Pooling levels L (= widths − 1). */
        public int levels() {
            return widths.size() - 1;
        }

        /** H and W must be multiples of this (2^L). */
        public int sizeMultiple() {
            return 1 << levels();
        }

        /** Trainable parameters, computed from the layer shapes without allocating. */
        public long parameterCount() {
            long n = 0;
            for (Layer l : layers(this)) {
                n += l.parameterCount();
            }
            return n;
        }

        /** A freshly initialised single-precision network. */
        public UNetSegmentor create(long seed) {
            return create(seed, DataType.FLOAT);
        }

        /** A freshly initialised network with weights of {@code dataType} (DOUBLE for gradient checks). */
        public UNetSegmentor create(long seed, DataType dataType) {
            ParameterStore store = ParameterStore.create(dataType);
            Random rng = new Random(seed);
            for (Layer l : layers(this)) {
                l.declare(store, rng);
            }
            return new UNetSegmentor(this, store);
        }

        @Override
        public String toString() {
            return "UNetSegmentor.Spec[widths=" + widths + ", " + levels() + " levels, prefix '" + prefix + "', "
                    + parameterCount() + " parameters]";
        }
    }

    /** A builder of {@link Spec}s; defaults: widths 8, 16, 32 (2 levels), prefix {@code seg}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link Spec}. */
    public static final class Builder {
        private List<Integer> widths = List.of(8, 16, 32);
        private Integer baseWidth;
        private Integer levels;
        private String prefix = "seg";

        private Builder() {
        }

        /** The channels of every level, full resolution first (sets levels = count − 1). */
        public Builder widths(int... w) {
            Objects.requireNonNull(w, "widths");
            List<Integer> l = new ArrayList<>();
            for (int v : w) {
                l.add(v);
            }
            this.widths = l;
            this.baseWidth = null;
            this.levels = null;
            return this;
        }

        /** Doubling widths from {@code w}: base, 2·base, 4·base, … (with {@link #levels}). */
        public Builder baseWidth(int w) {
            if (w < 1) {
                throw new IllegalArgumentException("baseWidth must be >= 1, got " + w + "; e.g. 8");
            }
            this.baseWidth = w;
            return this;
        }

        /** Pooling levels L (1 … 6): with {@link #baseWidth} the widths are base·2^i, i = 0 … L. */
        public Builder levels(int l) {
            if (l < 1 || l > MAX_LEVELS) {
                throw new IllegalArgumentException("levels must be in 1.." + MAX_LEVELS + ", got " + l + "; e.g. 2 "
                        + "(inputs divisible by 4)");
            }
            this.levels = l;
            return this;
        }

        /** The parameter-name prefix (default {@code seg}). */
        public Builder prefix(String p) {
            this.prefix = Objects.requireNonNull(p, "prefix");
            return this;
        }

        public Spec build() {
            List<Integer> w = widths;
            if (baseWidth != null || levels != null) {
                int base = baseWidth != null ? baseWidth : widths.get(0);
                int l = levels != null ? levels : widths.size() - 1;
                w = new ArrayList<>();
                for (int i = 0; i <= l; i++) {
                    w.add(base << i);
                }
            }
            return new Spec(w, prefix);
        }
    }

    private final Spec spec;
    private final ParameterStore store;
    private SameDiff inference;
    private String inferenceLogits;

    private UNetSegmentor(Spec spec, ParameterStore store) {
        this.spec = spec;
        this.store = store;
    }

    /** A freshly initialised float network of {@code spec}. */
    public static UNetSegmentor create(Spec spec, long seed) {
        return Objects.requireNonNull(spec, "spec").create(seed);
    }

    public Spec spec() {
        return spec;
    }

    /** The weights and batch-norm statistics ({@code <prefix>.…}), live: graphs built on them see updates. */
    public ParameterStore parameters() {
        return store;
    }

    /** Trainable parameter count. */
    public long parameterCount() {
        return store.trainableParameterCount();
    }

    // ---- layers ----------------------------------------------------------------------------------------------

    private record DoubleConv(Conv2d conv1, BatchNorm2d bn1, Conv2d conv2, BatchNorm2d bn2) {
        static DoubleConv of(String name, int in, int out) {
            WeightInit init = WeightInit.pytorchDefault();
            return new DoubleConv(Conv2d.of(name + ".0", in, out, 3).withInit(init), new BatchNorm2d(name + ".1", out,
                    true), Conv2d.of(name + ".3", out, out, 3).withInit(init), new BatchNorm2d(name + ".4", out, true));
        }

        List<Layer> layers() {
            return List.of(conv1, bn1, conv2, bn2);
        }

        SDVariable apply(GraphScope s, SDVariable x, String name) {
            SDVariable h = s.sd().nn().relu(s.opName(name + ".2"), bn1.apply(s, conv1.apply(s, x)), 0);
            return s.sd().nn().relu(s.opName(name + ".5"), bn2.apply(s, conv2.apply(s, h)), 0);
        }
    }

    private static DoubleConv encoder(Spec spec, int i) {
        return DoubleConv.of(spec.prefix() + ".enc" + i, i == 0 ? 1 : spec.widths().get(i - 1), spec.widths().get(i));
    }

    private static DoubleConv decoder(Spec spec, int i) {
        return DoubleConv.of(spec.prefix() + ".dec" + i, spec.widths().get(i + 1) + spec.widths().get(i),
                spec.widths().get(i));
    }

    private static Conv2d head(Spec spec) {
        return Conv2d.of(spec.prefix() + ".head", spec.widths().get(0), 1, 1).withBias(true)
                .withInit(WeightInit.pytorchDefault());
    }

    /** Declaration order: enc0 … encL, decL−1 … dec0, head. */
    static List<Layer> layers(Spec spec) {
        List<Layer> l = new ArrayList<>();
        for (int i = 0; i <= spec.levels(); i++) {
            l.addAll(encoder(spec, i).layers());
        }
        for (int i = spec.levels() - 1; i >= 0; i--) {
            l.addAll(decoder(spec, i).layers());
        }
        l.add(head(spec));
        return l;
    }

    /** The forward in {@code s}'s mode (TRAIN: batch statistics, running statistics updated by the hooks). */
    private SDVariable forward(GraphScope s, SDVariable x) {
        String p = spec.prefix();
        List<SDVariable> skips = new ArrayList<>();
        SDVariable h = x;
        for (int i = 0; i <= spec.levels(); i++) {
            if (i > 0) {
                h = MaxPooling.maxPool(s, h, p + ".pool" + i, 2, 2, 0);
            }
            h = encoder(spec, i).apply(s, h, p + ".enc" + i);
            skips.add(h);
        }
        for (int i = spec.levels() - 1; i >= 0; i--) {
            // nearest ×2, as Upsample's NEAREST (which needs the spatial size only for its bilinear form)
            SDVariable up = s.sd().cnn().upsampling2d(s.opName(p + ".up" + i), h, 2, 2, true);
            h = s.sd().concat(s.opName(p + ".cat" + i), 1, up, skips.get(i));
            h = decoder(spec, i).apply(s, h, p + ".dec" + i);
        }
        return head(spec).apply(s, h);
    }

    /**
     * Adds the forward in {@code scope}'s own mode and returns the logits {@code [B, 1, H, W]}: TRAIN mode uses
     * batch statistics and registers the running-statistic updates with the scope's hooks (for training the
     * segmentor itself).
     */
    public SDVariable applyInMode(GraphScope scope, SDVariable x) {
        checkInputShape(knownShape(x), "x");
        return forward(scope, x);
    }

    /** The eval-mode forward's logits {@code [B, 1, H, W]} (running statistics as constants), whatever the scope's mode. */
    public SDVariable apply(GraphScope scope, SDVariable x) {
        return applyInMode(scope.withMode(Mode.EVAL), x);
    }

    // ---- SegmentorNetwork --------------------------------------------------------------------------------------

    /**
     * The frozen eval-mode forward as a probability map: weights as constants of {@code sd}, op names under
     * {@code call}, the sigmoid of the logits named {@code <call>/<prefix>.prob}. {@code sd} must keep arrays by
     * reference ({@link GraphScope#newSameDiff}, as the trainers' graphs do); an input of another floating type is
     * cast to the weights' type and the map back to the input's.
     *
     * @throws IllegalStateException    when {@code sd} holds another array under one of this network's parameter
     *                                  names (e.g. a second segmentor with the same prefix)
     * @throws IllegalArgumentException when the input's known shape is not {@code [B, 1, H, W]} with H and W
     *                                  divisible by 2^levels
     */
    @Override
    public SDVariable segment(SameDiff sd, SDVariable x, String call) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(call, "call");
        checkNoClash(sd);
        GraphScope s = GraphScope.create(sd, store).withTrainable(false).withMode(Mode.EVAL).withCallPrefix(call);
        boolean cast = x.dataType() != null && x.dataType() != store.dataType();
        SDVariable in = cast ? x.castTo(store.dataType()) : x;
        SDVariable p = sd.nn().sigmoid(s.opName(spec.prefix() + ".prob"), applyInMode(s, in));
        return cast ? p.castTo(x.dataType()) : p;
    }

    /** The spec and a SHA-256 fingerprint of the current weights and statistics. */
    @Override
    public String identity() {
        return "UNetSegmentor[widths=" + spec.widths() + ", prefix=" + spec.prefix() + ", weights " + fingerprint()
                + "]";
    }

    /** SHA-256 (first 12 bytes, hex) over every array's name and values, in declaration order. */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (ParameterStore.Entry e : store.entries()) {
                md.update(e.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(e.array().dup('c').data().asBytes());
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private void checkNoClash(SameDiff sd) {
        for (ParameterStore.Entry e : store.entries()) {
            if (sd.hasVariable(e.name()) && sd.getArrForVarName(e.name()) != e.array()) {
                throw new IllegalStateException("the graph already has a variable '" + e.name() + "' that is not this "
                        + "segmentor's array (another network's parameter, or a second segmentor with prefix '"
                        + spec.prefix() + "'); build this segmentor with another prefix, e.g. "
                        + "UNetSegmentor.builder().prefix(\"" + spec.prefix() + "2\")");
            }
        }
    }

    private static long[] knownShape(SDVariable v) {
        try {
            return v.getShape();
        } catch (RuntimeException e) {
            return null; // op outputs have no static shape on SameDiff M2.1
        }
    }

    private void checkInputShape(long[] shape, String what) {
        if (shape == null) {
            return;
        }
        int m = spec.sizeMultiple();
        if (shape.length != 4 || shape[1] != 1) {
            throw new IllegalArgumentException(what + " must be [B, 1, H, W], got " + Arrays.toString(shape)
                    + "; add the channel axis with reshape(B, 1, H, W)");
        }
        if ((shape[2] > 0 && shape[2] % m != 0) || (shape[3] > 0 && shape[3] % m != 0)) {
            throw new IllegalArgumentException(what + " is " + shape[2] + "x" + shape[3] + " but a UNetSegmentor with "
                    + spec.levels() + " levels needs H and W divisible by " + m + "; resize the slices or use fewer "
                    + "levels");
        }
    }

    // ---- host inference ----------------------------------------------------------------------------------------

    /** Eval-mode logits {@code [B, 1, H, W]}. */
    public synchronized INDArray logits(INDArray x) {
        Objects.requireNonNull(x, "x");
        checkInputShape(x.shape(), "x");
        if (x.shape()[0] < 1) {
            throw new IllegalArgumentException("x must hold at least one image, got " + Arrays.toString(x.shape()));
        }
        if (inference == null) {
            inference = GraphScope.newSameDiff(new SingleThreadArrayHolder());
            SDVariable in = inference.placeHolder("x", store.dataType(), -1, 1, -1, -1);
            GraphScope scope = GraphScope.create(inference, store).withMode(Mode.EVAL).withTrainable(false)
                    .withCallPrefix("inference");
            inferenceLogits = forward(scope, in).name();
        }
        INDArray feed = x.dataType() == store.dataType() ? x : x.castTo(store.dataType());
        dev.coin.core.engine.SessionMemory.bound(inference);
        // a copy: the session may hand the same output buffer to the next call
        return inference.output(Map.of("x", feed), inferenceLogits).get(inferenceLogits).dup();
    }

    /** Eval-mode probabilities {@code [B, 1, H, W]} = sigmoid(logits). */
    public INDArray probabilities(INDArray x) {
        return org.nd4j.linalg.ops.transforms.Transforms.sigmoid(logits(x), false); // logits(x) is a fresh copy
    }

    // ---- files -------------------------------------------------------------------------------------------------

    /**
     * Writes {@value #SPEC_FILE} and {@value #WEIGHTS_FILE} (reference-layout state_dict) into folder {@code dir},
     * each to a temporary name moved into place. Read back with {@link #load}.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architecture", ARCHITECTURE);
        json.put("widths", spec.widths());
        json.put("prefix", spec.prefix());
        byte[] specBytes = Json.MAPPER.writeValueAsBytes(json);
        Path specTmp = Files.createTempFile(dir, SPEC_FILE, ".tmp");
        Path weightsTmp = Files.createTempFile(dir, WEIGHTS_FILE, ".tmp");
        try {
            Files.write(specTmp, specBytes);
            StateDict.save(store, weightsTmp);
            move(weightsTmp, dir.resolve(WEIGHTS_FILE));
            move(specTmp, dir.resolve(SPEC_FILE));
        } finally {
            Files.deleteIfExists(specTmp);
            Files.deleteIfExists(weightsTmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Rebuilds the network of {@code dir/segmentor.json} and loads {@code dir/weights.npz}; {@code dir} may also be
     * a segmentor trainer's run folder (its {@code model/} is read).
     *
     * @throws IllegalArgumentException when the folder lacks the files, holds another architecture, or the weights
     *                                  do not match the spec
     */
    public static UNetSegmentor load(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isRegularFile(dir.resolve(SPEC_FILE)) && Files.isRegularFile(dir.resolve("model").resolve(SPEC_FILE))) {
            dir = dir.resolve("model");
        }
        Path specFile = dir.resolve(SPEC_FILE);
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(specFile) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("dir " + dir + " must hold " + SPEC_FILE + " and " + WEIGHTS_FILE
                    + "; write it with UNetSegmentor.save (or train one with SegmentorTrainer and a run folder)");
        }
        JsonNode node = Json.MAPPER.readTree(specFile.toFile());
        String arch = node.path("architecture").asText("");
        if (!ARCHITECTURE.equals(arch)) {
            throw new IllegalArgumentException(specFile + ": architecture '" + arch + "' is not '" + ARCHITECTURE
                    + "'; load it with the loader of its own kind");
        }
        List<Integer> widths = new ArrayList<>();
        if (!node.path("widths").isArray()) {
            throw new IllegalArgumentException(specFile + ": field 'widths' must be a list of integers, got "
                    + node.path("widths"));
        }
        for (JsonNode w : node.get("widths")) {
            if (!w.isInt()) {
                throw new IllegalArgumentException(specFile + ": widths must be integers, got " + w);
            }
            widths.add(w.asInt());
        }
        Spec spec = new Spec(widths, node.path("prefix").asText("seg"));
        UNetSegmentor s = spec.create(0L);
        StateDict.load(s.store, weights);
        return s;
    }

    @Override
    public String toString() {
        return "UNetSegmentor[widths=" + spec.widths() + ", prefix '" + spec.prefix() + "', " + parameterCount()
                + " parameters]";
    }
}
