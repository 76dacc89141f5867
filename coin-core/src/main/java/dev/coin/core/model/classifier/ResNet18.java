package dev.coin.core.model.classifier;

import dev.coin.core.nn.internal.BasicBlock;
import dev.coin.core.nn.BatchNorm2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Layer;
import dev.coin.core.nn.Linear;
import dev.coin.core.nn.MaxPooling;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.internal.StridedConv2d;
import dev.coin.core.nn.WeightInit;
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
 * torchvision's {@code resnet18} with a 1-channel stem and one logit (reference §3.1, synthetic experiments):
 * conv1 7×7 s2 p3 → bn1 → ReLU → max-pool 3×3 s2 p1 → layer1…layer4 (BasicBlocks [2,2,2,2], widths
 * w, 2w, 4w, 8w; the first block of layers 2–4 has stride 2 and a 1×1 conv + BN downsample) → global average pool
 * ({@link #features}, 8w-d) → {@code fc} (8w → 1). State-dict names are torchvision's ({@code conv1.weight},
 * {@code layer2.0.downsample.1.running_var}, {@code fc.bias}, …), so converted reference checkpoints load with
 * {@link dev.coin.core.nn.io.StateDict}. CAM target layer: {@code layer4} ([B, 8w, H/32, W/32]).
 *
 * <pre>{@code
 * ResNet18 net = ResNet18.create(ResNet18.Spec.standard(), 42L);   // 11,170,753 parameters
 * INDArray p = net.probabilities(x);                                 // x: [B,1,256,256] in [-1,1]
 * net.save(Path.of("runs/cls"));  ResNet18 again = ResNet18.load(Path.of("runs/cls"));
 * }</pre>
 */
public final class ResNet18 extends GraphClassifier {
    /** Layers whose activations can be requested. */
    public static final List<String> LAYERS = List.of("layer1", "layer2", "layer3", "layer4");
    static final String ARCHITECTURE = "resnet18";

    /**
     * The architecture options.
     *
     * @param baseWidth channels of the stem and layer1 (torchvision: 64); layers 2–4 use 2×, 4×, 8×
     */
    public record Spec(int baseWidth) implements ClassifierSpec {
        public Spec {
            if (baseWidth < 1) {
                throw new IllegalArgumentException("baseWidth must be >= 1, got " + baseWidth + "; torchvision uses 64");
            }
        }

        /** torchvision's widths (64 … 512). */
        public static Spec standard() {
            return new Spec(64);
        }

        /** A narrower network for CPU experiments and tests. */
        public static Spec ofWidth(int baseWidth) {
            return new Spec(baseWidth);
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
            return n;
        }

        @Override
        public Map<String, Object> options() {
            return Map.of("baseWidth", baseWidth);
        }

        /** 8 × baseWidth (torchvision: 512), layer4's width. */
        @Override
        public int featureWidth() {
            return 8 * baseWidth;
        }

        @Override
        public ResNet18 create(long seed, DataType dataType) {
            return ResNet18.create(this, seed, dataType);
        }

        @Override
        public String toString() {
            return "ResNet18.Spec[baseWidth=" + baseWidth + ", 1 input channel, 1 logit]";
        }
    }

    private final Spec spec;

    private ResNet18(Spec spec, ParameterStore store) {
        super(store);
        this.spec = spec;
    }

    /** A freshly initialised float network (torchvision's init: Kaiming-normal fan_out convs, BN 1/0, default fc). */
    public static ResNet18 create(Spec spec, long seed) {
        return create(spec, seed, DataType.FLOAT);
    }

    /** A freshly initialised network with weights of {@code dataType}. */
    public static ResNet18 create(Spec spec, long seed, DataType dataType) {
        ParameterStore store = ParameterStore.create(dataType);
        Random rng = new Random(seed);
        for (Layer l : layers(spec)) {
            l.declare(store, rng);
        }
        return new ResNet18(spec, store);
    }

    /** Wraps an existing store (e.g. one loaded from a checkpoint) that holds exactly this spec's parameters. */
    static ResNet18 wrap(Spec spec, ParameterStore store) {
        return new ResNet18(spec, store);
    }

    /** Reads a folder written by {@link #save}; fails if it holds another architecture. */
    public static ResNet18 load(Path dir) throws IOException {
        GraphClassifier c = Classifiers.load(dir);
        if (!(c instanceof ResNet18 r)) {
            throw new IllegalArgumentException("folder " + dir + " holds a " + c.spec().architecture()
                    + ", not a resnet18; use Classifiers.load");
        }
        return r;
    }

    /** Declaration order = torchvision module order (conv1, bn1, layer1.0 … layer4.1, fc). */
    static List<Layer> layers(Spec spec) {
        int w = spec.baseWidth();
        List<Layer> l = new ArrayList<>();
        l.add(stem(spec));
        l.add(new BatchNorm2d("bn1", w, true));
        l.addAll(blocks(spec));
        l.add(fc(spec));
        return l;
    }

    private static StridedConv2d stem(Spec spec) {
        return StridedConv2d.of("conv1", 1, spec.baseWidth(), 7, 2, 3);
    }

    private static Linear fc(Spec spec) {
        return new Linear("fc", 8 * spec.baseWidth(), 1, true, WeightInit.pytorchDefault(), false);
    }

    static List<BasicBlock> blocks(Spec spec) {
        List<BasicBlock> b = new ArrayList<>();
        int in = spec.baseWidth();
        for (int stage = 0; stage < 4; stage++) {
            int out = spec.baseWidth() << stage;
            for (int i = 0; i < 2; i++) {
                b.add(new BasicBlock("layer" + (stage + 1) + "." + i, in, out, stage > 0 && i == 0 ? 2 : 1));
                in = out;
            }
        }
        return b;
    }

    @Override
    protected Forward forward(GraphScope s, SDVariable x) {
        SDVariable h = new BatchNorm2d("bn1", spec.baseWidth(), true).apply(s, stem(spec).apply(s, x));
        h = s.sd().nn().relu(h, 0);
        h = MaxPooling.maxPool(s, h, "maxpool", 3, 2, 1);
        Map<String, SDVariable> named = new LinkedHashMap<>();
        List<BasicBlock> blocks = blocks(spec);
        for (int i = 0; i < blocks.size(); i++) {
            h = blocks.get(i).apply(s, h);
            if (i % 2 == 1) {
                named.put(LAYERS.get(i / 2), h);
            }
        }
        SDVariable features = s.sd().mean(s.opName("avgpool"), h, 2, 3);
        SDVariable logits = fc(spec).apply(s, features);
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
