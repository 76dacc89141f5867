package dev.coin.core.explain;

import dev.coin.core.model.Classifier;
import dev.coin.data.image.FloatImage;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Score-CAM (Wang et al. 2020) as in the reference (§8): activations A of the target layer (ResNet18
 * {@code layer4}, EfficientNetV2-S last stage); for every channel k, U_k = bilinear upsample of A_k to the input size
 * (half-pixel centres, clamped edges); channels with constant U_k are skipped; score_k = sigmoid(f(x ⊙ norm(U_k)))
 * with norm = min–max to [0, 1]; saliency = min–max(ReLU(Σ_k score_k · U_k)). The channel forwards are batched.
 *
 * <pre>{@code
 * ScoreCam cam = ScoreCam.builder().classifier(resnet).layer("layer4").batchSize(64).build();
 * FloatImage[] maps = cam.saliency(x);
 * }</pre>
 */
public final class ScoreCam implements SaliencyMethod {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreCam.class);
    private final Classifier classifier;
    private final String layer;
    private final int batchSize;

    private ScoreCam(Builder b) {
        this.classifier = Objects.requireNonNull(b.classifier, "classifier (set it with builder().classifier(...))");
        this.layer = Objects.requireNonNull(b.layer, "layer (set it with builder().layer(...), e.g. \"layer4\")");
        if (!classifier.layerNames().contains(layer)) {
            throw new IllegalArgumentException("layer '" + layer + "' is not one of " + classifier.layerNames());
        }
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + b.batchSize);
        }
        this.batchSize = b.batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().classifier(classifier).layer(layer).batchSize(batchSize);
    }

    @Override
    public String name() {
        return "ScoreCAM";
    }

    @Override
    public FloatImage[] saliency(INDArray x) {
        int[] hw = SaliencyMethod.checkInput(x);
        int h = hw[0];
        int w = hw[1];
        int pixels = h * w;
        INDArray act = classifier.activations(x, layer).castTo(DataType.FLOAT).dup('c');
        int channels = (int) act.size(1);
        int ah = (int) act.size(2);
        int aw = (int) act.size(3);
        float[] a = act.data().asFloat();
        float[] xs = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        FloatImage[] out = new FloatImage[(int) x.size(0)];
        float[][] ups = new float[batchSize][];
        float[] inputBuf = new float[batchSize * pixels];
        for (int s = 0; s < out.length; s++) {
            double[] acc = new double[pixels];
            int pending = 0;
            int skipped = 0;
            for (int k = 0; k < channels; k++) {
                float[] small = java.util.Arrays.copyOfRange(a, (s * channels + k) * ah * aw, (s * channels + k + 1) * ah * aw);
                float[] up = BilinearResize.resize(small, ah, aw, h, w, BilinearResize.Edge.CLAMP);
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (float v : up) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                if (!(max > min)) {
                    skipped++;
                    continue;
                }
                float range = max - min;
                int o = pending * pixels;
                for (int p = 0; p < pixels; p++) {
                    inputBuf[o + p] = xs[s * pixels + p] * ((up[p] - min) / range);
                }
                ups[pending++] = up;
                if (pending == batchSize) {
                    score(inputBuf, ups, pending, h, w, acc);
                    pending = 0;
                }
            }
            if (pending > 0) {
                score(inputBuf, ups, pending, h, w, acc);
            }
            float[] map = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                map[p] = (float) acc[p];
            }
            MapNormalisation.relu(map);
            MapNormalisation.minMax(map, 0);
            out[s] = FloatImage.wrap(h, w, map);
            LOG.debug("ScoreCAM image {}/{}: {} channels, {} constant ones skipped", s + 1, out.length, channels, skipped);
        }
        return out;
    }

    private void score(float[] inputBuf, float[][] ups, int n, int h, int w, double[] acc) {
        int pixels = h * w;
        INDArray batch = Nd4j.create(n * pixels == inputBuf.length ? inputBuf : java.util.Arrays.copyOf(inputBuf, n * pixels),
                        new long[] {n, 1, h, w});
        INDArray logits = classifier.logits(batch.castTo(classifier.parameters().dataType()));
        for (int i = 0; i < n; i++) {
            double score = MapNormalisation.sigmoid(logits.getDouble(i, 0));
            float[] up = ups[i];
            for (int p = 0; p < pixels; p++) {
                acc[p] += score * up[p];
            }
        }
    }

    @Override
    public String toString() {
        return "ScoreCam[layer=" + layer + ", batch=" + batchSize + "]";
    }

    /** Options; batch size default 64. */
    public static final class Builder {
        private Classifier classifier;
        private String layer;
        private int batchSize = 64;

        public Builder classifier(Classifier c) {
            this.classifier = c;
            return this;
        }

        public Builder layer(String l) {
            this.layer = l;
            return this;
        }

        public Builder batchSize(int b) {
            this.batchSize = b;
            return this;
        }

        public ScoreCam build() {
            return new ScoreCam(this);
        }
    }
}
