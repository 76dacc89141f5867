package dev.coin.core.eval;

import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.SummaryTable;
import dev.coin.core.report.CounterfactualPanel;

import dev.coin.data.image.FloatImage;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference's {@code evaluate_counterfactual} (§7.1) without the networks: the caller runs the classifier and
 * the generator per batch and passes the results; this accumulates, streaming,
 * <ul>
 *   <li>over all slices: flip accuracy ({@code counter_acc}) and CV(τ), and (if features are given) the
 *       {@link ClassifierFeatureFid};</li>
 *   <li>over slices whose GT label is 1: the difference map |x − x_cf| in unit space, thresholded and
 *       post-processed, scored by {@link ExplanationEvaluation} (aggregated and per-image IoU, PER, sweep);</li>
 *   <li>optionally one 2×3 {@link CounterfactualPanel} per batch (first sample), named
 *       {@code batch-00012_label-1_desired-0_pred-0.png}.</li>
 * </ul>
 *
 * <pre>{@code
 * CounterfactualEvaluation ev = CounterfactualEvaluation.builder().method("COIN").panels(dir.resolve("panels")).build();
 * for (Batch b : loader) {
 *     INDArray xCf = generator.counterfactual(b.images());
 *     ev.add(b.images(), xCf, probs(clf, b.images()), probs(clf, xCf), labels, tumourMasks, 0);
 *     ev.addFeatures(clf.features(b.images()), clf.features(xCf));
 * }
 * table.add(ev.summaryRow("default"));
 * }</pre>
 */
public final class CounterfactualEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(CounterfactualEvaluation.class);
    private final ExplanationEvaluation masks;
    private final CounterfactualValidity validity;
    private final FlipAccuracy flip = new FlipAccuracy();
    private final ClassifierFeatureFid fid = new ClassifierFeatureFid();
    private final Path panelDir;
    private long batches;

    private CounterfactualEvaluation(Builder b) {
        masks = ExplanationEvaluation.builder().method(b.method).threshold(b.threshold).postProcessing(b.postProcessing)
                .sweep(b.sweepCount).build();
        validity = new CounterfactualValidity(b.tau);
        panelDir = b.panelDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one batch.
     *
     * @param x          the images the counterfactuals are compared with [B, 1, H, W] in [−1, 1]: the inputs, or
     *                   {@link dev.coin.core.TrainedPipeline.Counterfactual#reference()} (tanh(x) for a tanh-aligned
     *                   pipeline)
     * @param xCf        counterfactuals, same shape
     * @param p          p(x) per slice
     * @param q          p(x_cf) per slice
     * @param labels     GT image labels (0/1)
     * @param truth      GT tumour masks per slice; required (0/1, H×W) where labels[i] == 1, ignored otherwise
     * @param desiredBin the bin the counterfactuals should reach (0 for COIN v1)
     */
    public void add(INDArray x, INDArray xCf, double[] p, double[] q, int[] labels, FloatImage[] truth, int desiredBin) {
        if (x.rank() != 4 || x.size(1) != 1 || !java.util.Arrays.equals(x.shape(), xCf.shape())) {
            throw new IllegalArgumentException("x and xCf must both be [B, 1, H, W], got " + java.util.Arrays.toString(x.shape())
                    + " and " + java.util.Arrays.toString(xCf.shape()));
        }
        int n = (int) x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        if (p.length != n || q.length != n || labels.length != n || truth.length != n) {
            throw new IllegalArgumentException("p, q, labels and truth must have one entry per slice (" + n + "), got "
                    + p.length + ", " + q.length + ", " + labels.length + ", " + truth.length);
        }
        flip.add(q, desiredBin);
        validity.add(p, q);
        float[] xs = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] cs = xCf.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int pixels = h * w;
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + "; labels must be 0 or 1");
            }
            FloatImage xi = FloatImage.wrap(h, w, java.util.Arrays.copyOfRange(xs, i * pixels, (i + 1) * pixels));
            FloatImage ci = FloatImage.wrap(h, w, java.util.Arrays.copyOfRange(cs, i * pixels, (i + 1) * pixels));
            FloatImage diff = Masks.differenceMap(xi, ci);
            if (labels[i] == 1 && truth[i] == null) {
                throw new IllegalArgumentException("truth[" + i + "] is null but slice " + i
                        + " is labelled 1; pass its tumour mask");
            }
            FloatImage gt = labels[i] == 1 ? truth[i] : FloatImage.zeros(h, w);
            FloatImage mask = labels[i] == 1 ? masks.add(diff, gt)
                    : masks.fixed().postProcessing().apply(Masks.threshold(diff, masks.fixed().threshold()));
            if (i == 0 && panelDir != null) {
                String name = String.format(Locale.ROOT, "batch-%05d_label-%d_desired-%d_pred-%d.png", batches, labels[0],
                        desiredBin, FlipAccuracy.bin(q[0]));
                CounterfactualPanel.write(xi, ci, diff, mask, gt, panelDir.resolve(name));
            }
        }
        batches++;
        LOG.debug("evaluated batch {} ({} slices)", batches, n);
    }

    /** Adds classifier features of the inputs (real) and counterfactuals (fake) for the FID. */
    public void addFeatures(INDArray realFeatures, INDArray fakeFeatures) {
        fid.addReal(realFeatures);
        fid.addFake(fakeFeatures);
    }

    public ExplanationEvaluation masks() {
        return masks;
    }

    public CounterfactualValidity validity() {
        return validity;
    }

    public FlipAccuracy flipAccuracy() {
        return flip;
    }

    public ClassifierFeatureFid fid() {
        return fid;
    }

    /** The fixed-threshold row plus CV, flip accuracy and (if features were added) the classifier-feature FID. */
    public SummaryTable.Row summaryRow(String policy) {
        SummaryTable.Row row = masks.fixedThresholdRow(policy)
                .metric(String.format(Locale.ROOT, "CV_%s", validity.tau()), validity.value())
                .metric("flip_acc", flip.value());
        if (fid.real().count() >= 2 && fid.fake().count() >= 2) {
            row.metric("FID_classifier", fid.value());
        }
        return row;
    }

    @Override
    public String toString() {
        return "CounterfactualEvaluation[" + batches + " batches, " + masks + ", " + validity + ", " + flip + "]";
    }

    /** Defaults: COIN threshold 0.25, no post-processing, τ = 0.8, 101-threshold sweep, no panels. */
    public static final class Builder {
        private String method = "COIN";
        private double threshold = Masks.DEFAULT_DIFFERENCE_THRESHOLD;
        private PostProcessing postProcessing = PostProcessing.none();
        private double tau = CounterfactualValidity.DEFAULT_TAU;
        private int sweepCount = 101;
        private Path panelDir;

        public Builder method(String m) {
            this.method = m;
            return this;
        }

        public Builder threshold(double t) {
            this.threshold = t;
            return this;
        }

        public Builder postProcessing(PostProcessing p) {
            this.postProcessing = p;
            return this;
        }

        public Builder tau(double t) {
            this.tau = t;
            return this;
        }

        public Builder sweep(int count) {
            this.sweepCount = count;
            return this;
        }

        /** Folder for one panel per batch; {@code null} (default) writes none. */
        public Builder panels(Path dir) {
            this.panelDir = dir;
            return this;
        }

        public CounterfactualEvaluation build() {
            return new CounterfactualEvaluation(this);
        }
    }
}
