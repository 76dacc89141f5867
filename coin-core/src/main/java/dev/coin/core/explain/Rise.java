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
 * RISE (Randomized Input Sampling for Explanation) as in the reference (§8): saliency =
 * Σ_i sigmoid(f(x ⊙ M_i))·M_i / N / p1, then per-image min–max to [0, 1]. Masking multiplies the [−1, 1] image,
 * so masked pixels become 0 (mid-grey). Masks come from {@link RiseMasks} (seeded), regenerated per input size.
 * Forwards run in batches of {@link Builder#batchSize} masks; each mask batch is materialised once and applied to
 * every image of the input. Progress is logged at DEBUG per mask batch and INFO per call.
 *
 * <pre>{@code
 * Rise rise = Rise.builder().classifier(clf).masks(6000).gridSize(8).keepProbability(0.1).seed(42).build();
 * FloatImage[] maps = rise.saliency(x);   // x [B, 1, 256, 256]
 * }</pre>
 */
public final class Rise implements SaliencyMethod {
    private static final Logger LOG = LoggerFactory.getLogger(Rise.class);
    private final Classifier classifier;
    private final int maskCount;
    private final int gridSize;
    private final double keepProbability;
    private final long seed;
    private final int batchSize;
    private RiseMasks masks;

    private Rise(Builder b) {
        this.classifier = Objects.requireNonNull(b.classifier, "classifier (set it with builder().classifier(...))");
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + b.batchSize);
        }
        this.maskCount = b.maskCount;
        this.gridSize = b.gridSize;
        this.keepProbability = b.keepProbability;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        RiseMasks.generate(maskCount, gridSize, keepProbability, gridSize, gridSize, seed); // validates the options
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.classifier = classifier;
        b.maskCount = maskCount;
        b.gridSize = gridSize;
        b.keepProbability = keepProbability;
        b.seed = seed;
        b.batchSize = batchSize;
        return b;
    }

    @Override
    public String name() {
        return "RISE";
    }

    /** The masks for {@code height × width} inputs (generated on first use for that size). */
    public synchronized RiseMasks masks(int height, int width) {
        if (masks == null || masks.height() != height || masks.width() != width) {
            masks = RiseMasks.generate(maskCount, gridSize, keepProbability, height, width, seed);
        }
        return masks;
    }

    @Override
    public FloatImage[] saliency(INDArray x) {
        int[] hw = SaliencyMethod.checkInput(x);
        int h = hw[0];
        int w = hw[1];
        int pixels = h * w;
        RiseMasks m = masks(h, w);
        float[] all = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int images = (int) x.size(0);
        double[][] acc = new double[images][pixels];
        float[] maskBuf = new float[batchSize * pixels];
        float[] inputBuf = new float[batchSize * pixels];
        // masks are materialised once per mask batch and applied to every image of x
        for (int start = 0; start < maskCount; start += batchSize) {
            int n = Math.min(batchSize, maskCount - start);
            for (int i = 0; i < n; i++) {
                m.fill(start + i, maskBuf, i * pixels);
            }
            for (int s = 0; s < images; s++) {
                int base = s * pixels;
                for (int i = 0; i < n; i++) {
                    int o = i * pixels;
                    for (int p = 0; p < pixels; p++) {
                        inputBuf[o + p] = all[base + p] * maskBuf[o + p];
                    }
                }
                INDArray batch = Nd4j.create(n * pixels == inputBuf.length ? inputBuf : java.util.Arrays.copyOf(inputBuf, n * pixels),
                        new long[] {n, 1, h, w});
                INDArray logits = classifier.logits(batch.castTo(classifier.parameters().dataType()));
                double[] a = acc[s];
                for (int i = 0; i < n; i++) {
                    double score = MapNormalisation.sigmoid(logits.getDouble(i, 0));
                    int o = i * pixels;
                    for (int p = 0; p < pixels; p++) {
                        a[p] += score * maskBuf[o + p];
                    }
                }
            }
            LOG.debug("RISE: {}/{} masks for {} images", start + n, maskCount, images);
        }
        FloatImage[] out = new FloatImage[images];
        double scale = 1.0 / maskCount / keepProbability;
        for (int s = 0; s < images; s++) {
            float[] map = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                map[p] = (float) (acc[s][p] * scale);
            }
            MapNormalisation.minMax(map, 0);
            out[s] = FloatImage.wrap(h, w, map);
        }
        LOG.debug("RISE: {} images explained with {} masks", images, maskCount);
        return out;
    }

    @Override
    public String toString() {
        return "Rise[N=" + maskCount + ", s=" + gridSize + ", p1=" + keepProbability + ", seed=" + seed + ", batch="
                + batchSize + "]";
    }

    /** Options; defaults are the reference's (N = 6000, s = 8, p1 = 0.1), seed 0, batch 128. */
    public static final class Builder {
        private Classifier classifier;
        private int maskCount = 6000;
        private int gridSize = 8;
        private double keepProbability = 0.1;
        private long seed = 0L;
        private int batchSize = 128;

        public Builder classifier(Classifier c) {
            this.classifier = c;
            return this;
        }

        public Builder masks(int n) {
            this.maskCount = n;
            return this;
        }

        public Builder gridSize(int s) {
            this.gridSize = s;
            return this;
        }

        public Builder keepProbability(double p1) {
            this.keepProbability = p1;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder batchSize(int b) {
            this.batchSize = b;
            return this;
        }

        public Rise build() {
            return new Rise(this);
        }
    }
}
