package dev.coin.core.model.classifier;

import dev.coin.core.nn.internal.ConvNormActivation;
import dev.coin.core.nn.internal.FusedMBConv;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Init;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.internal.MBConv;
import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * torchvision's {@code efficientnet_v2_s} with a 1-channel stem and one logit (reference §3.1, TUH experiments).
 * {@code features.0}: conv 3×3 s2 1→24 + BN + SiLU; {@code features.1…6}: FusedMBConv(1, s1, 24→24, ×2),
 * FusedMBConv(4, s2, 24→48, ×4), FusedMBConv(4, s2, 48→64, ×4), MBConv(4, s2, 64→128, ×6, SE),
 * MBConv(6, s1, 128→160, ×9, SE), MBConv(6, s2, 160→256, ×15, SE); {@code features.7}: conv 1×1 256→1280 + BN +
 * SiLU; global average pool ({@link #features}, 1280-d); {@code classifier.1}: Linear(1280→1) after a dropout
 * (identity in eval). Batch-norm epsilon 1e-3 as torchvision. CAM target layer {@code features.7}.
 *
 * <p>Width and depth multipliers (torchvision's {@code _make_divisible(c·w, 8)} and {@code ceil(n·d)}; the head
 * width 1280 is scaled too when w ≠ 1, which torchvision never does) give small networks for CPU tests. Not
 * modelled: stochastic depth and dropout during training.
 *
 * <pre>{@code
 * EfficientNetV2S net = EfficientNetV2S.create(EfficientNetV2S.Spec.standard(), 1L);   // 20,178,337 parameters
 * INDArray cam = net.activations(x, "features.7");                                      // [B,1280,H/32,W/32]
 * }</pre>
 */
public final class EfficientNetV2S extends GraphClassifier {
    static final String ARCHITECTURE = "efficientnet_v2_s";
    static final double EPS = 1e-3;
    /** Layers whose activations can be requested (torchvision's {@code features[i]}). */
    public static final List<String> LAYERS = List.of("features.1", "features.2", "features.3", "features.4",
            "features.5", "features.6", "features.7");

    /** Stage table of torchvision: fused?, expand ratio, stride, in, out, layers. */
    private static final int[][] STAGES = {
        {1, 1, 1, 24, 24, 2},
        {1, 4, 2, 24, 48, 4},
        {1, 4, 2, 48, 64, 4},
        {0, 4, 2, 64, 128, 6},
        {0, 6, 1, 128, 160, 9},
        {0, 6, 2, 160, 256, 15},
    };

    /**
     * The architecture options.
     *
     * @param widthMultiplier channel multiplier (torchvision: 1.0)
     * @param depthMultiplier block-count multiplier (torchvision: 1.0)
     */
    public record Spec(double widthMultiplier, double depthMultiplier) implements ClassifierSpec {
        public Spec {
            if (!(widthMultiplier > 0) || !(depthMultiplier > 0) || Double.isInfinite(widthMultiplier)
                    || Double.isInfinite(depthMultiplier)) {
                throw new IllegalArgumentException("multipliers must be finite and > 0, got width " + widthMultiplier
                        + ", depth " + depthMultiplier + "; torchvision uses 1.0 and 1.0");
            }
        }

        public static Spec standard() {
            return new Spec(1.0, 1.0);
        }

        @Override
        public String architecture() {
            return ARCHITECTURE;
        }

        @Override
        public long parameterCount() {
            long n = 0;
            for (Layer l : layers(this)) {
                n += l.parameterCount();
            }
            return n + headFeatures(this) + 1;
        }

        @Override
        public Map<String, Object> options() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("widthMultiplier", widthMultiplier);
            m.put("depthMultiplier", depthMultiplier);
            return m;
        }

        /** The head width: 1280 at width multiplier 1 (torchvision), scaled with it otherwise. */
        @Override
        public int featureWidth() {
            return headFeatures(this);
        }

        @Override
        public EfficientNetV2S create(long seed, DataType dataType) {
            return EfficientNetV2S.create(this, seed, dataType);
        }

        @Override
        public String toString() {
            return "EfficientNetV2S.Spec[width×" + widthMultiplier + ", depth×" + depthMultiplier + ", 1 input channel, 1 logit]";
        }
    }

    private final Spec spec;

    private EfficientNetV2S(Spec spec, ParameterStore store) {
        super(store);
        this.spec = spec;
    }

    public static EfficientNetV2S create(Spec spec, long seed) {
        return create(spec, seed, DataType.FLOAT);
    }

    /** torchvision's init: Kaiming-normal fan_out convs (zero bias), BN 1/0, Linear U(±1/√out) with zero bias. */
    public static EfficientNetV2S create(Spec spec, long seed, DataType dataType) {
        ParameterStore store = ParameterStore.create(dataType);
        Random rng = new Random(seed);
        for (Layer l : layers(spec)) {
            l.declare(store, rng);
        }
        int f = headFeatures(spec);
        store.add("classifier.1.weight", ParameterKind.LINEAR_WEIGHT, Init.uniform(rng, dataType, 1.0, f, 1));
        store.add("classifier.1.bias", ParameterKind.PLAIN, Init.constant(dataType, 0.0, 1));
        return new EfficientNetV2S(spec, store);
    }

    /** Reads a folder written by {@link #save}; fails if it holds another architecture. */
    public static EfficientNetV2S load(Path dir) throws IOException {
        GraphClassifier c = Classifiers.load(dir);
        if (!(c instanceof EfficientNetV2S e)) {
            throw new IllegalArgumentException("folder " + dir + " holds a " + c.spec().architecture()
                    + ", not an efficientnet_v2_s; use Classifiers.load");
        }
        return e;
    }

    /** torchvision's {@code _make_divisible(v, 8)}: nearest multiple of 8, at least 8, not below 90 % of v. */
    static int channels(int base, double width) {
        double v = base * width;
        int r = Math.max(8, (int) (v + 4) / 8 * 8);
        return r < 0.9 * v ? r + 8 : r;
    }

    static int headFeatures(Spec spec) {
        return spec.widthMultiplier() == 1.0 ? 1280 : channels(1280, spec.widthMultiplier());
    }

    /** features.0 … features.7 as layers; stages 1–6 are flattened into their blocks. */
    static List<Layer> layers(Spec spec) {
        List<Layer> l = new ArrayList<>();
        double w = spec.widthMultiplier();
        l.add(new ConvNormActivation("features.0", 1, channels(24, w), 3, 2, false, true, EPS));
        for (List<Layer> stage : stages(spec)) {
            l.addAll(stage);
        }
        l.add(new ConvNormActivation("features.7", channels(256, w), headFeatures(spec), 1, 1, false, true, EPS));
        return l;
    }

    static List<List<Layer>> stages(Spec spec) {
        double w = spec.widthMultiplier();
        List<List<Layer>> stages = new ArrayList<>();
        for (int s = 0; s < STAGES.length; s++) {
            int[] c = STAGES[s];
            int in = channels(c[3], w);
            int out = channels(c[4], w);
            int repeats = (int) Math.ceil(c[5] * spec.depthMultiplier());
            List<Layer> blocks = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                String name = "features." + (s + 1) + "." + i;
                int blockIn = i == 0 ? in : out;
                int stride = i == 0 ? c[2] : 1;
                int expanded = channels(blockIn, c[1]);   // adjust_channels(in, ratio) with width 1 on the block input
                if (c[0] == 1) {
                    blocks.add(new FusedMBConv(name, blockIn, out, expanded, 3, stride, EPS));
                } else {
                    blocks.add(new MBConv(name, blockIn, out, expanded, 3, stride, EPS));
                }
            }
            stages.add(blocks);
        }
        return stages;
    }

    @Override
    protected Forward forward(GraphScope s, SDVariable x) {
        List<Layer> all = layers(spec);
        SDVariable h = ((ConvNormActivation) all.get(0)).apply(s, x);
        Map<String, SDVariable> named = new LinkedHashMap<>();
        List<List<Layer>> stages = stages(spec);
        for (int i = 0; i < stages.size(); i++) {
            for (Layer b : stages.get(i)) {
                h = b instanceof FusedMBConv f ? f.apply(s, h) : ((MBConv) b).apply(s, h);
            }
            named.put(LAYERS.get(i), h);
        }
        h = ((ConvNormActivation) all.get(all.size() - 1)).apply(s, h);
        named.put("features.7", h);
        SDVariable features = s.sd().mean(s.opName("avgpool"), h, 2, 3);
        // classifier.0 is Dropout(0.2): identity in eval mode (training-time dropout is not modelled yet)
        SDVariable logits = s.sd().nn().linear(s.opName("classifier.1"), features, s.param("classifier.1.weight"),
                s.param("classifier.1.bias"));
        return new Forward(logits, features, named);
    }

    @Override
    protected int minimumInputSize() {
        return 32;
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public List<String> layerNames() {
        return LAYERS;
    }
}
