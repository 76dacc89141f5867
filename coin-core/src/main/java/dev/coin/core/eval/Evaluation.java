package dev.coin.core.eval;

import dev.coin.core.TrainedPipeline;
import dev.coin.core.explain.SaliencyMethod;
import dev.coin.core.mask.Confusion;
import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.SlicePanel;
import dev.coin.core.report.SummaryTable;
import dev.coin.data.dataset.Batch;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The papers' evaluation in one call: counterfactual methods (a {@link TrainedPipeline}) and attribution baselines
 * ({@link SaliencyMethod}) on labelled slices with ground-truth tumour masks, every threshold policy of the report.
 *
 * <ul>
 *   <li>Counterfactuals: IoU, PER, CV and flip accuracy at the reference threshold (0.25), the label-sweep best,
 *       the held-out sweep ({@link #HELD_OUT_POLICY}), 0.25 with opening/closing/largest component, and the
 *       label-free thresholds (healthy-slice p99 with and without post-processing, p99.9); the flip rate on
 *       abnormal-predicted slices; the classifier-feature FID. Evaluated on every slice, 16 at a time; healthy
 *       slices feed the label-free threshold.</li>
 *   <li>Saliency baselines: IoU at the reference threshold (0.975), the label-sweep best and the held-out sweep, on
 *       the abnormal slices, 8 at a time.</li>
 *   <li>On synthetic anomalies, the perfect-counterfactual ceiling ({@link Builder#ceiling}): the IoU of the true
 *       pasted difference at the same threshold, the label-sweep best and the held-out sweep.</li>
 *   <li>The label-sweep best ("best IoU_agg (sweep, uses labels)") picks the threshold with the labels it is scored
 *       on, an optimistic number; the held-out row right after it ({@link HeldOutThreshold}: chosen on one half of
 *       the scans, scored on the other, both ways) is the fair tuned number to report. It keeps each method's
 *       abnormal-slice maps until that method's rows are made (4·H·W bytes a slice).</li>
 *   <li>With {@link Builder#gallery(boolean)} (on by default): a labelled {@link SlicePanel} per slice and method at
 *       the fixed threshold (counterfactuals: every slice; baselines: the abnormal slices, captioned with the first
 *       counterfactual method's p(abnormal) of the input where there is one), for the report's gallery.</li>
 * </ul>
 *
 * <pre>{@code
 * EvaluationReport r = Evaluation.builder().truthMask(AnomalyInsertion.MASK)
 *         .counterfactual("COIN", coin).saliency(rise, scoreCam, layerCam)
 *         .build().on(validationSlices);
 * r.write(report);                   // index.html, summary.csv, summary.md, iou-boxplot.png, panels/
 * }</pre>
 */
public final class Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
    private static final int SALIENCY_BATCH = 8;

    private final String truthMask;
    private final Map<String, TrainedPipeline> counterfactuals;
    private final List<SaliencyMethod> saliency;
    private final boolean gallery;
    private final double differenceThreshold;
    private final double saliencyThreshold;
    private final Consumer<String> progress;
    private final List<Slice> ceiling;

    private Evaluation(Builder b) {
        this.truthMask = b.truthMask;
        this.counterfactuals = new LinkedHashMap<>(b.counterfactuals);
        this.saliency = List.copyOf(b.saliency);
        this.gallery = b.gallery;
        this.differenceThreshold = b.differenceThreshold;
        this.saliencyThreshold = b.saliencyThreshold;
        this.progress = b.progress;
        this.ceiling = b.ceiling;
    }

    /** Name of the ceiling row's method. */
    public static final String CEILING = "perfect counterfactual (ceiling)";

    /**
     * Policy name of the held-out rows ({@link HeldOutThreshold}, grouped by {@link Slice#scanId()}): threshold column
     * the mean of the two fold thresholds, metrics IoU_agg, IoU_mean, PER, n_abnormal, threshold_fold0 (chosen on
     * fold 0, applied to fold 1) and threshold_fold1.
     */
    public static final String HELD_OUT_POLICY = "held-out sweep (2-fold by scan)";

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates every method on {@code slices} (labels 0/1; labelled-1 slices must carry the truth mask).
     *
     * @throws IllegalArgumentException when a labelled-1 slice lacks the truth mask, or there is no method
     */
    public EvaluationReport on(List<Slice> slices) {
        Objects.requireNonNull(slices, "slices");
        List<Slice> abnormal = slices.stream().filter(s -> s.label() == 1).toList();
        for (Slice s : abnormal) {
            if (!s.maskNames().contains(truthMask)) {
                throw new IllegalArgumentException("slice " + s + " is labelled 1 but has no mask '" + truthMask
                        + "' (it has " + s.maskNames() + "); set truthMask(...) to the name of its tumour mask");
            }
        }
        SummaryTable table = new SummaryTable();
        Map<String, double[]> perImage = new LinkedHashMap<>();
        Map<String, FlipRate> flips = new LinkedHashMap<>();
        Map<String, Double> labelFree = new LinkedHashMap<>();
        List<SlicePanel> panels = new ArrayList<>();
        Map<Slice, Double> inputProbability = new java.util.IdentityHashMap<>();
        counterfactuals.forEach((name, model) -> {
            CounterfactualSummary c = counterfactual(name, model, slices, panels, inputProbability);
            c.rows.forEach(table::add);
            perImage.put(name, c.perImage);
            flips.put(name, c.flips);
            labelFree.put(name, c.labelFree);
        });
        if (ceiling != null) {
            ceilingRows(slices).forEach(table::add);
        }
        for (SaliencyMethod m : saliency) {
            ExplanationEvaluation ev = ExplanationEvaluation.builder().method(m.name()).threshold(saliencyThreshold)
                    .build();
            HeldOutThreshold heldOut = HeldOutThreshold.builder().build(); // keeps the abnormal slices' maps
            long started = System.nanoTime();
            for (int from = 0; from < abnormal.size(); from += SALIENCY_BATCH) {
                List<Slice> batch = abnormal.subList(from, Math.min(abnormal.size(), from + SALIENCY_BATCH));
                FloatImage[] maps = m.saliency(Batch.stackImages(batch));
                for (int i = 0; i < maps.length; i++) {
                    Slice slice = batch.get(i);
                    FloatImage truth = slice.mask(truthMask);
                    FloatImage mask = ev.add(maps[i], truth);
                    heldOut.add(slice.scanId(), maps[i], truth);
                    if (gallery) {
                        panels.add(SlicePanel.builder(m.name(), slice.image(), maps[i], mask)
                                .slice(slice.scanId(), slice.sliceIndex()).truth(truth).truthAbnormal(true)
                                .mapName(m.name() + " saliency").threshold(saliencyThreshold)
                                .probabilities(inputProbability.getOrDefault(slice, Double.NaN), Double.NaN)
                                .iou(Confusion.of(mask, truth).iou()).build());
                    }
                }
                progress.accept(String.format(Locale.ROOT, "%s: %d/%d abnormal slices, %.0f s", m.name(),
                        from + batch.size(), abnormal.size(), (System.nanoTime() - started) / 1e9));
            }
            table.add(ev.fixedThresholdRow("fixed " + saliencyThreshold));
            table.add(ev.bestThresholdRow());
            table.add(heldOutRow(m.name(), heldOut));
            perImage.put(m.name(), ev.fixed().meanPerImageIou().perImage());
        }
        return new EvaluationReport(table, perImage, flips, labelFree, panels);
    }

    /**
     * The best any counterfactual method can score on a synthetic set: the difference between each abnormal slice and
     * the same slice before its anomaly was inserted, at the fixed threshold (and the label-sweep best and the
     * held-out sweep).
     */
    private List<SummaryTable.Row> ceilingRows(List<Slice> slices) {
        if (ceiling.size() != slices.size()) {
            throw new IllegalArgumentException("ceiling(...) has " + ceiling.size() + " clean slices but on(...) got "
                    + slices.size() + "; pass the slices before anomaly insertion in the same order");
        }
        ExplanationEvaluation ev = ExplanationEvaluation.builder().method(CEILING).threshold(differenceThreshold)
                .build();
        HeldOutThreshold heldOut = HeldOutThreshold.builder().build();
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            Slice c = ceiling.get(i);
            if (!s.scanId().equals(c.scanId()) || s.sliceIndex() != c.sliceIndex()) {
                throw new IllegalArgumentException("ceiling slice " + i + " is " + c.scanId() + "#" + c.sliceIndex()
                        + " but the evaluated slice is " + s.scanId() + "#" + s.sliceIndex()
                        + "; pass the clean slices in the same order");
            }
            if (s.label() == 1) {
                FloatImage map = Masks.differenceMap(s.image(), c.image());
                FloatImage truth = s.mask(truthMask);
                ev.add(map, truth);
                heldOut.add(s.scanId(), map, truth);
            }
        }
        return List.of(ev.fixedThresholdRow("fixed " + differenceThreshold), ev.bestThresholdRow(),
                heldOutRow(CEILING, heldOut));
    }

    private record CounterfactualSummary(List<SummaryTable.Row> rows, double[] perImage, FlipRate flips,
                                         double labelFree) {
    }

    private CounterfactualSummary counterfactual(String name, TrainedPipeline model, List<Slice> slices,
            List<SlicePanel> panels, Map<Slice, Double> inputProbability) {
        CounterfactualEvaluation eval = CounterfactualEvaluation.builder().method(name).threshold(differenceThreshold)
                .postProcessing(PostProcessing.none()).build();
        LabelFreeThreshold healthy = LabelFreeThreshold.builder().build();
        LabelFreeThreshold healthyStrict = LabelFreeThreshold.builder().percentile(99.9).build();
        FlipRate flips = new FlipRate();
        List<FloatImage> maps = new ArrayList<>();
        List<FloatImage> truths = new ArrayList<>();
        HeldOutThreshold heldOut = HeldOutThreshold.builder().build(); // the same map and truth objects as the lists
        for (int from = 0; from < slices.size(); from += TrainedPipeline.EXPLAIN_BATCH) {
            List<Slice> batch = slices.subList(from, Math.min(slices.size(), from + TrainedPipeline.EXPLAIN_BATCH));
            INDArray x = Batch.stackImages(batch);
            TrainedPipeline.Counterfactual cf = model.counterfactual(x);
            double[] p = cf.probabilityBefore().reshape(-1).toDoubleVector();
            double[] q = cf.probabilityAfter().reshape(-1).toDoubleVector();
            int[] labels = batch.stream().mapToInt(Slice::label).toArray();
            FloatImage[] truth = batch.stream().map(s -> s.label() == 1 ? s.mask(truthMask) : null)
                    .toArray(FloatImage[]::new);
            // the difference map compares x_cf with the model's reference (x, or tanh(x) under tanh alignment)
            eval.add(cf.reference(), cf.counterfactual(), p, q, labels, truth, 0);
            eval.addFeatures(model.classifier().features(x), model.classifier().features(cf.counterfactual()));
            flips.add(p, q);
            for (int i = 0; i < batch.size(); i++) {
                FloatImage xCf = image(cf.counterfactual(), i);
                FloatImage map = Masks.differenceMap(image(cf.reference(), i), xCf);
                inputProbability.putIfAbsent(batch.get(i), p[i]);
                if (gallery) {
                    Slice slice = batch.get(i);
                    FloatImage mask = Masks.threshold(map, differenceThreshold);
                    FloatImage gt = truth[i] != null ? truth[i] : FloatImage.zeros(slice.height(), slice.width());
                    panels.add(SlicePanel.builder(name, slice.image(), map, mask).counterfactual(xCf)
                            .slice(slice.scanId(), slice.sliceIndex()).truth(gt).truthAbnormal(labels[i] == 1)
                            .probabilities(p[i], q[i]).threshold(differenceThreshold)
                            .iou(labels[i] == 1 ? Confusion.of(mask, gt).iou() : Double.NaN).build());
                }
                if (labels[i] == 0) {
                    healthy.add(map);
                    healthyStrict.add(map);
                } else {
                    maps.add(map);
                    truths.add(truth[i]);
                    heldOut.add(batch.get(i).scanId(), map, truth[i]);
                }
            }
            LOG.debug("{}: {} of {} slices evaluated", name, from + batch.size(), slices.size());
        }
        String fixed = "fixed " + differenceThreshold;
        List<SummaryTable.Row> rows = new ArrayList<>();
        rows.add(eval.summaryRow(fixed).metric("flip_rate_abnormal_predicted", flips.value()));
        rows.add(eval.masks().bestThresholdRow());
        rows.add(heldOutRow(name, heldOut));
        rows.add(row(name, maps, truths, differenceThreshold, PostProcessing.OPEN_CLOSE_LARGEST, fixed));
        double labelFree = healthy.threshold();
        rows.add(row(name, maps, truths, labelFree, PostProcessing.none(), "label-free (healthy p99)"));
        rows.add(row(name, maps, truths, labelFree, PostProcessing.OPEN_CLOSE_LARGEST, "label-free (healthy p99)"));
        rows.add(row(name, maps, truths, healthyStrict.threshold(), PostProcessing.none(),
                "label-free (healthy p99.9)"));
        return new CounterfactualSummary(rows, eval.masks().fixed().meanPerImageIou().perImage(), flips, labelFree);
    }

    private static SummaryTable.Row row(String method, List<FloatImage> maps, List<FloatImage> truths,
            double threshold, PostProcessing post, String policy) {
        ExplanationEvaluation ev = ExplanationEvaluation.builder().method(method).threshold(threshold)
                .postProcessing(post).build();
        for (int i = 0; i < maps.size(); i++) {
            ev.add(maps.get(i), truths.get(i));
        }
        return ev.fixedThresholdRow(policy);
    }

    /**
     * The held-out row of one method. With fewer than 2 abnormal slices nothing can be held out: the row says so with
     * NaN (undefined) values rather than failing the whole evaluation, as the other rows do on an empty set.
     */
    private static SummaryTable.Row heldOutRow(String method, HeldOutThreshold heldOut) {
        if (heldOut.count() < 2) {
            return SummaryTable.Row.of(method, HELD_OUT_POLICY, Double.NaN, heldOut.postProcessing())
                    .metric("IoU_agg", Double.NaN).metric("IoU_mean", Double.NaN).metric("PER", Double.NaN)
                    .metric("n_abnormal", heldOut.count())
                    .metric("threshold_fold0", Double.NaN).metric("threshold_fold1", Double.NaN);
        }
        HeldOutThreshold.Result r = heldOut.result();
        return SummaryTable.Row.of(method, HELD_OUT_POLICY, r.meanThreshold(), r.postProcessing())
                .metric("IoU_agg", r.aggregatedIou())
                .metric("IoU_mean", r.meanPerImageIou())
                .metric("PER", r.pixelErrorRate())
                .metric("n_abnormal", r.images())
                .metric("threshold_fold0", r.thresholdFold0())
                .metric("threshold_fold1", r.thresholdFold1());
    }

    private static FloatImage image(INDArray batch, int i) {
        int h = (int) batch.size(2);
        int w = (int) batch.size(3);
        return FloatImage.wrap(h, w, batch.get(NDArrayIndex.point(i)).dup().castTo(DataType.FLOAT).reshape(h * w)
                .toFloatVector());
    }

    @Override
    public String toString() {
        return "Evaluation[counterfactuals " + counterfactuals.keySet() + ", saliency "
                + saliency.stream().map(SaliencyMethod::name).toList() + ", truth mask '" + truthMask + "']";
    }

    /** Options of an {@link Evaluation}. */
    public static final class Builder {
        private String truthMask = "anomaly";
        private final Map<String, TrainedPipeline> counterfactuals = new LinkedHashMap<>();
        private final List<SaliencyMethod> saliency = new ArrayList<>();
        private boolean gallery = true;
        private double differenceThreshold = Masks.DEFAULT_DIFFERENCE_THRESHOLD;
        private double saliencyThreshold = Masks.DEFAULT_SALIENCY_THRESHOLD;
        private Consumer<String> progress = LOG::info;
        private List<Slice> ceiling;

        private Builder() {
        }

        /** Name of the ground-truth tumour mask on the slices (default "anomaly", the synthetic anomalies'). */
        public Builder truthMask(String name) {
            this.truthMask = Objects.requireNonNull(name, "truthMask");
            return this;
        }

        /** A counterfactual method under a report name (e.g. "COIN"). */
        public Builder counterfactual(String name, TrainedPipeline model) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(model, "model");
            if (counterfactuals.putIfAbsent(name, model) != null) {
                throw new IllegalArgumentException("a counterfactual method named '" + name + "' is already added; "
                        + "give each one its own name");
            }
            return this;
        }

        /** Attribution baselines, evaluated in the order given. */
        public Builder saliency(SaliencyMethod... methods) {
            for (SaliencyMethod m : methods) {
                saliency.add(Objects.requireNonNull(m, "saliency method"));
            }
            return this;
        }

        /** Attribution baselines, evaluated in the order given. */
        public Builder saliency(List<? extends SaliencyMethod> methods) {
            return saliency(methods.toArray(SaliencyMethod[]::new));
        }

        /**
         * Whether to keep a labelled {@link SlicePanel} per slice and method for the report's gallery (default on;
         * it holds five images per slice in memory until the report is written).
         */
        public Builder gallery(boolean keep) {
            this.gallery = keep;
            return this;
        }

        /** The fixed difference threshold (default the reference's 0.25). */
        public Builder differenceThreshold(double t) {
            this.differenceThreshold = t;
            return this;
        }

        /** The fixed saliency threshold (default the reference's 0.975). */
        public Builder saliencyThreshold(double t) {
            this.saliencyThreshold = t;
            return this;
        }

        /**
         * Adds the perfect-counterfactual ceiling rows: {@code clean} are the evaluated slices before their
         * synthetic anomalies were inserted (same order as {@link Evaluation#on}); the difference to them is the
         * best counterfactual possible, so its IoU bounds every method on this set.
         */
        public Builder ceiling(List<Slice> clean) {
            this.ceiling = List.copyOf(Objects.requireNonNull(clean, "clean"));
            return this;
        }

        /** Where progress lines go (default: the log at INFO). */
        public Builder progress(Consumer<String> sink) {
            this.progress = Objects.requireNonNull(sink, "progress");
            return this;
        }

        /** @throws IllegalStateException when no method was added */
        public Evaluation build() {
            if (counterfactuals.isEmpty() && saliency.isEmpty()) {
                throw new IllegalStateException("an evaluation needs at least one method; add counterfactual(\"COIN\", "
                        + "trained) or saliency(Rise.builder()...build())");
            }
            return new Evaluation(this);
        }
    }
}
