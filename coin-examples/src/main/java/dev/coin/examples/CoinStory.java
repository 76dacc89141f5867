package dev.coin.examples;

import dev.coin.core.Pipeline;
import dev.coin.core.Explanation;
import dev.coin.core.Presets;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.eval.Evaluation;
import dev.coin.core.eval.EvaluationReport;
import dev.coin.core.eval.ExplanationEvaluation;
import dev.coin.core.eval.FlipRate;
import dev.coin.core.eval.HealthyEditScore;
import dev.coin.core.eval.LabelFreeThreshold;
import dev.coin.core.mask.Confusion;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.SlicePanel;
import dev.coin.core.explain.LayerCam;
import dev.coin.core.explain.Rise;
import dev.coin.core.explain.SaliencyMethod;
import dev.coin.core.explain.ScoreCam;
import dev.coin.core.Adam;
import dev.coin.core.train.ClassifierLoader;
import dev.coin.core.train.ClassifierTrainer;
import dev.coin.core.model.classifier.Classifiers;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.train.CheckpointListener;
import dev.coin.core.train.LossCurvePlot;
import dev.coin.core.train.MetricsWriter;
import dev.coin.core.train.PipelineTrainer;
import dev.coin.core.train.ProgressBar;
import dev.coin.core.train.BestEpochListener;
import dev.coin.core.EpochMetrics;
import dev.coin.core.train.TrainingContext;
import dev.coin.core.train.TrainingListener;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.image.FloatImage;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import dev.coin.data.synth.AnomalyInsertion;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.losses.SegmentorGuidance;
import dev.coin.losses.SegmentorInputs;
import dev.coin.losses.TotalVariation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole story on the embedded synthetic data, sized for a 2-core laptop: build the phantom dataset, train a
 * ResNet18 on image-level labels (synthetic Gaussian-blob anomalies in the kidneys), train COIN against it, then
 * evaluate COIN and the attribution baselines (RISE, ScoreCAM, LayerCAM) on the fixed synthetic-anomaly validation
 * set and write the report: {@code report/index.html}, one offline page with the summary table, the per-image IoU
 * box plot, the loss curves and validation IoU per epoch, the run's provenance and a gallery of labelled per-slice
 * panels (plus the CSV and Markdown table).
 *
 * <p>Laptop defaults differ from the paper configuration on purpose, and say so in the report: the phantom matrix is
 * 256 (slices and anomalies drawn at 256², then resized to 128² for training), the anomaly template is 40 px instead
 * of 20 (so that it is 15–20 px at 128², the size the paper's blobs have at 256²), the networks are narrow (generator
 * stem 16 instead of the reference's 64), λ_tv is scaled by (128/256)² because TV is a per-pixel mean, and the run is
 * short. Two choices make six epochs enough, and both are off in the paper configuration: the generator is updated
 * every step (reference: every 5th, which leaves only 64 generator updates in six epochs) and its output conv starts
 * with Xavier gain 0.01 (reference: 1), so training starts near x_cf = tanh(x) instead of first unlearning a random
 * full-image perturbation. {@code --paper} selects the paper widths and 256² (needs far more time and memory).
 */
public final class CoinStory {
    private CoinStory() {
    }

    /** Settings of one run; see {@link Main} for the flags. */
    public record Options(Path work, int scans, int matrix, int size, int template, int classifierWidth,
                          int classifierEpochs, int classifierSteps, int[] generatorWidths, int[] discriminatorWidths,
                          int coinEpochs, int coinBatch, int generatorEvery, int riseMasks, long seed,
                          int stemChannels, double outputGain, Path classifier, boolean baselines,
                          int validateEvery, boolean keepBest, boolean aligned, boolean segmentor) {

        /** The laptop defaults (about 30 minutes on 2 cores). */
        public static Options laptop(Path work) {
            return new Options(work, 16, 256, 128, 40, 8, 8, 40, new int[] {16, 32, 64, 128, 256},
                    new int[] {16, 32, 64, 128, 256, 256}, 6, 8, 1, 2000, 777, 16, 0.01, null, true, 1, false, false, false);
        }

        /** The paper's sizes: 256² inputs, default widths, 6-block discriminator, batch 16, 151 epochs. */
        public static Options paper(Path work) {
            return new Options(work, 40, 512, 256, 20, 64, 30, 100, new int[] {64, 128, 256, 512, 1024},
                    new int[] {64, 128, 256, 512, 1024, 1024}, 151, 16, 5, 6000, 777, 64, 1.0, null, true, 10, false,
                    false, false);
        }
    }

    /** Runs every stage; returns the report folder. */
    public static Path run(Options o) {
        NativeBackend.configure();
        long t0 = System.nanoTime();
        Path run = o.work().resolve("run");
        try {
            Files.createDirectories(run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + run, e);
        }

        // 1. Data: phantom scans on disk, kidney slices at native resolution, anomalies, resize for training.
        stage("1/5 data");
        StoryData data = StoryData.prepare(o, i -> System.out.printf(Locale.ROOT,
                "  phantom scan %d/%d written%n", i + 1, o.scans()));
        CtDataset ds = data.dataset();
        int size = o.size();
        SliceTransform train = data.trainTransform();
        SliceSource validation = data.validation();
        long abnormal = validation.infos().stream().filter(i -> i.label() == 1).count();
        System.out.printf(Locale.ROOT, "  %s%n  train: %s; fixed validation set: %d slices, %d with an anomaly%n",
                ds, ds.train(), validation.size(), abnormal);

        // 2. Classifier on image-level labels.
        stage("2/5 classifier");
        GraphClassifier classifier = o.classifier() != null ? loadClassifier(o.classifier())
                : trainClassifier(o, ds, train, validation, run);

        // 3. COIN (the synthetic preset with the sizes above).
        stage("3/5 COIN");
        double tvScale = (size / 256.0) * (size / 256.0);
        Pipeline pipeline = coinPipeline(o, classifier, tvScale).build();
        System.out.println("  " + pipeline);
        BatchLoader loader = data.counterfactualBatches(dev.coin.core.RealSamples.INPUT, o.coinBatch(), o.seed());
        // --keep-best: weakly supervised model selection, by how much each epoch's generator edits healthy slices
        List<EpochMetrics> history = new ArrayList<>();
        double[][] validationIou = new double[3][o.coinEpochs()];
        for (double[] v : validationIou) {
            java.util.Arrays.fill(v, Double.NaN);
        }
        BestEpochListener best = !o.keepBest() ? null : BestEpochListener.lowest("healthy-slice p99 difference",
                HealthyEditScore.of(slices(validation, 0, validation.size()).stream().filter(s -> s.label() == 0)
                        .toList(), 99));
        List<TrainingListener<? super TrainedPipeline>> listeners = new ArrayList<>(
                List.<TrainingListener<? super TrainedPipeline>>of(
                new ProgressBar(System.console() != null, System.err, 10), new MetricsWriter(), new LossCurvePlot(),
                CheckpointListener.every(2), validationEvery(o.validateEvery(), validation, validationIou),
                new TrainingListener<Object>() {
                    @Override
                    public void onEpochEnd(EpochMetrics m, TrainingContext<?> c) {
                        history.clear();
                        history.addAll(c.history());
                    }
                }));
        if (best != null) {
            listeners.add(best);
        }
        TrainedPipeline coin = PipelineTrainer.builder(pipeline).runDirectory(run.resolve("coin"))
                .datasetSplitHash(ds.split().hash()).listeners(listeners)
                .build().fit(loader, o.coinEpochs());
        if (best != null && best.best().isPresent()) {
            coin = best.best().get();
            coin.save(run.resolve("coin").resolve(TrainedPipeline.MODEL_FOLDER));
            System.out.printf(Locale.ROOT, "  kept epoch %d (healthy-slice p99 difference %.3f) and saved it as the "
                    + "model%n", best.bestEpoch() + 1, best.bestScore());
        }

        // 3b. COIN-Aligned, thesis row 6, with the same widths and epochs (--aligned)
        TrainedPipeline aligned = o.aligned() ? trainAligned(o, data, run, tvScale) : null;
        // 3c. COIN with the segmentor-guided term, same settings otherwise (--segmentor)
        UNetSegmentor segmentor = null;
        TrainedPipeline guided = null;
        if (o.segmentor()) {
            stage("3c/5 COIN + segmentor term");
            segmentor = SegmentorGuidedCoin.trainSegmentor(data, run.resolve("segmentor"), 5);
            Pipeline withTerm = coinPipeline(o, classifier, tvScale).name("coin-segmentor")
                    .loss(SegmentorGuidance.of(SegmentorInputs.of(segmentor)).weight(SEGMENTOR_WEIGHT)).build();
            System.out.println("  " + withTerm);
            guided = PipelineTrainer.builder(withTerm).runDirectory(run.resolve("coin-segmentor"))
                    .datasetSplitHash(ds.split().hash())
                    .listeners(new ProgressBar(System.console() != null, System.err, 10), new MetricsWriter(),
                            new LossCurvePlot(), CheckpointListener.every(2))
                    .build().fit(loader, o.coinEpochs());
        }

        // 4. Evaluation: COIN and the baselines on the fixed synthetic-anomaly validation set.
        stage("4/5 evaluation");
        Path report = run.resolve("report");
        List<SaliencyMethod> baselines = !o.baselines() ? List.of() : List.of(
                Rise.builder().classifier(classifier).masks(o.riseMasks()).seed(o.seed()).build(),
                ScoreCam.builder().classifier(classifier).layer("layer4").build(),
                new LayerCam(classifier, "layer4"));
        Evaluation.Builder evaluation = Evaluation.builder().truthMask(AnomalyInsertion.MASK)
                .counterfactual("COIN", coin);
        if (aligned != null) {
            evaluation.counterfactual(ALIGNED, aligned);
        }
        if (guided != null) {
            evaluation.counterfactual(GUIDED, guided);
        }
        EvaluationReport result = evaluation.saliency(baselines).ceiling(slices(data.validationClean(), 0, validation.size()))
                .progress(line -> System.out.println("  " + line))
                .build().on(slices(validation, 0, validation.size()));

        // 5. Report.
        stage("5/5 report");
        Map<String, double[]> iouSeries = new LinkedHashMap<>();
        iouSeries.put("IoU_agg at 0.25", validationIou[0]);
        iouSeries.put("IoU_agg at 0.25, open-close-largest", validationIou[1]);
        iouSeries.put("best IoU_agg of the sweep (uses labels)", validationIou[2]);
        long wall = System.nanoTime() - t0;
        Pipeline ran = pipeline;
        Path page = result.write(report, p -> p.title("COIN on the synthetic phantom: validation report")
                .note("Laptop configuration (not the paper's): " + o.scans() + " phantom scans, " + size + "² slices, "
                        + "generator widths " + java.util.Arrays.toString(o.generatorWidths()) + ", " + o.coinEpochs()
                        + " COIN epochs. One run and one seed decide nothing about the ranking of methods.")
                .lossCurves(LossCurvePlot.curves(history)).validationIou(iouStarted(iouSeries))
                .provenance("pipeline", ran.toString())
                .provenance("pipeline identity", ran.identity().toJson().toPrettyString())
                .provenance("seed", Long.toString(o.seed()))
                .provenance("options", String.format(Locale.ROOT, "scans %d, matrix %d, size %d, anomaly template %d,"
                        + " classifier width %d (%d × %d steps), COIN epochs %d, batch %d, generator every %d, "
                        + "RISE masks %d, keep best %b", o.scans(), o.matrix(), size, o.template(),
                        o.classifierWidth(), o.classifierEpochs(), o.classifierSteps(), o.coinEpochs(), o.coinBatch(),
                        o.generatorEvery(), o.riseMasks(), o.keepBest()))
                .provenance("validation set", validation.size() + " slices, " + abnormal + " with an anomaly")
                .provenance("versions", "coin " + version(CoinStory.class, "0.1.0-SNAPSHOT") + ", ND4J/SameDiff "
                        + version(org.nd4j.linalg.factory.Nd4j.class, "1.0.0-M2.1"))
                .provenance("backend", NativeBackend.describe().toString())
                .provenance("wall time (main job, to the report)", String.format(Locale.ROOT, "%.1f min",
                        wall / 60e9)));
        System.out.println(result.table().toMarkdown());
        if (aligned != null || guided != null) {
            Map<String, TrainedPipeline> models = new LinkedHashMap<>();
            models.put("COIN", coin);
            if (aligned != null) {
                models.put(ALIGNED, aligned);
            }
            if (guided != null) {
                models.put(GUIDED, guided);
            }
            String kidney = KidneyEdit.table(models, slices(validation, 0, validation.size()), segmentor);
            System.out.println(kidney);
            try {
                Files.writeString(report.resolve("kidney-edit.md"), kidney);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + report.resolve("kidney-edit.md"), e);
            }
        }
        FlipRate flips = result.flipRates().get("COIN");
        System.out.printf(Locale.ROOT, "COIN: flip rate on abnormal-predicted validation slices %.3f (%d of %d); "
                + "label-free threshold (99th percentile of healthy difference maps) %.3f%n", flips.value(),
                flips.flipped(), flips.abnormal(), result.labelFreeThresholds().get("COIN"));
        System.out.printf(Locale.ROOT, "Done in %.1f min. Report: %s%n", (System.nanoTime() - t0) / 60e9,
                page.toAbsolutePath());
        return report;
    }

    /**
     * Every {@code n} epochs: logs COIN's validation IoU (fixed 0.25, with post-processing, best of the sweep, the
     * pixel counts), records it for the report's chart and writes labelled panels ({@link SlicePanel}) of the first
     * abnormal validation slices to {@code <run>/validation/epoch-N}.
     */
    private static TrainingListener<TrainedPipeline> validationEvery(int n, SliceSource validation, double[][] iou) {
        return new TrainingListener<>() {
            @Override
            public void onEpochEnd(EpochMetrics m, TrainingContext<? extends TrainedPipeline> c) {
                if (n <= 0 || (m.epoch() + 1) % n != 0) {
                    return;
                }
                List<Slice> all = slices(validation, 0, validation.size());
                List<Explanation> ex = c.current().explain(all);
                ExplanationEvaluation raw = ExplanationEvaluation.builder().method("COIN").threshold(0.25).build();
                ExplanationEvaluation post = ExplanationEvaluation.builder().method("COIN").threshold(0.25)
                        .postProcessing(PostProcessing.OPEN_CLOSE_LARGEST).build();
                LabelFreeThreshold healthy = LabelFreeThreshold.builder().build();
                Path panels = c.runDirectory() == null ? null
                        : c.runDirectory().resolve("validation").resolve(String.format(Locale.ROOT, "epoch-%03d",
                        m.epoch() + 1));
                int written = 0;
                for (int i = 0; i < all.size(); i++) {
                    FloatImage map = ex.get(i).differenceMap();
                    if (all.get(i).label() == 1) {
                        FloatImage truth = all.get(i).mask(AnomalyInsertion.MASK);
                        raw.add(map, truth);
                        post.add(map, truth);
                        if (panels != null && written < 6) {
                            Explanation e = ex.get(i);
                            FloatImage mask = e.mask().image();
                            SlicePanel panel = SlicePanel.builder("COIN after epoch " + (m.epoch() + 1), e.input(),
                                    map, mask).counterfactual(e.counterfactual())
                                    .slice(all.get(i).scanId(), all.get(i).sliceIndex()).truth(truth)
                                    .probabilities(e.probabilityBefore(), e.probabilityAfter()).threshold(0.25)
                                    .iou(Confusion.of(mask, truth).iou()).build();
                            panel.write(panels.resolve(panel.fileName()));
                            written++;
                        }
                    } else {
                        healthy.add(map);
                    }
                }
                if (m.epoch() < iou[0].length) {
                    iou[0][m.epoch()] = raw.fixed().aggregatedIou().value();
                    iou[1][m.epoch()] = post.fixed().aggregatedIou().value();
                    iou[2][m.epoch()] = raw.sweep().bestAggregatedIou();
                }
                System.out.printf(Locale.ROOT, "  validation after epoch %d: IoU_agg %.3f at 0.25 (%s), %.3f with "
                                + "open-close-largest, best %.3f at %.2f; healthy p99 %.3f%n", m.epoch() + 1,
                        raw.fixed().aggregatedIou().value(), raw.fixed().aggregatedIou().totals(),
                        post.fixed().aggregatedIou().value(), raw.sweep().bestAggregatedIou(),
                        raw.sweep().bestAggregatedThreshold(), healthy.threshold());
            }
        };
    }


    /** The report's name for the {@code --aligned} row. */
    static final String ALIGNED = "COIN-Aligned row 6";
    /** The report's name for the {@code --segmentor} row. */
    static final String GUIDED = "COIN + segmentor term";
    /** λ of the segmentor-guided term in the {@code --segmentor} run (per-pixel L1 of the kidney map). */
    static final double SEGMENTOR_WEIGHT = 1.0;

    /** The synthetic COIN preset at the run's sizes (the main job's COIN). */
    private static Pipeline.Builder coinPipeline(Options o, GraphClassifier classifier, double tvScale) {
        return Presets.coinSynthetic().classifier(classifier)
                .editGenerator(g -> g.channels(o.generatorWidths()).stemChannels(o.stemChannels())
                        .outputGain(o.outputGain()))
                .editDiscriminator(d -> d.blocks(o.discriminatorWidths(), downsampling(o)))
                .replaceLoss(TotalVariation.weight(0.05 * tvScale))
                .generatorEvery(o.generatorEvery()).seed(o.seed());
    }

    /**
     * COIN-Aligned, thesis row 6 (reference §9): a tanh-augmented classifier of its own, then the row's pipeline
     * (tanh alignment, paired healthy discriminator, RpGAN + R1/R2, classifier features in the CBN) with the laptop
     * widths and epochs of the COIN run. The training set is tumour-only, as the thesis's paired dataset: the
     * training slices with one fixed anomaly each (drawn once, unlike COIN's fresh draw per access, because the
     * pairing needs the labels before the batch is made), each paired with a clean training slice of the same
     * relative-height bin.
     */
    private static TrainedPipeline trainAligned(Options o, StoryData data, Path run, double tvScale) {
        stage("3b/5 COIN-Aligned (thesis row 6)");
        CtDataset ds = data.dataset();
        // the reference augmentations, then tanh on every batch (§9.8)
        List<dev.coin.data.augment.Transform> augmentations = new ArrayList<>(ClassifierLoader.referenceAugmentations());
        augmentations.addAll(Presets.alignedClassifierAugmentations(6));
        GraphClassifier tanhClassifier = trainClassifier(o, ds, data.trainTransform(), data.validation(),
                run.resolve("aligned-classifier"), augmentations);
        Pipeline row6 = Presets.alignedRow(6, tanhClassifier).toBuilder()
                .editGenerator(g -> g.channels(o.generatorWidths()).stemChannels(o.stemChannels())
                        .outputGain(o.outputGain()))
                .editDiscriminator(d -> d.blocks(o.discriminatorWidths(), downsampling(o)))
                .replaceLoss(TotalVariation.weight(5e-4 * tvScale))
                .generatorEvery(o.generatorEvery()).seed(o.seed()).build();
        System.out.println("  " + row6);
        BatchLoader loader = data.counterfactualBatches(dev.coin.core.RealSamples.PAIRED_HEALTHY, o.coinBatch(),
                o.seed());
        System.out.printf(Locale.ROOT, "  paired training set: %s%n", loader);
        return PipelineTrainer.builder(row6).runDirectory(run.resolve("aligned"))
                .datasetSplitHash(ds.split().hash())
                .listeners(new ProgressBar(System.console() != null, System.err, 10), new MetricsWriter(),
                        new LossCurvePlot(), CheckpointListener.every(2))
                .build().fit(loader, o.coinEpochs());
    }

    private static GraphClassifier trainClassifier(Options o, CtDataset ds, SliceTransform train,
                                                   SliceSource validation, Path run) {
        return trainClassifier(o, ds, train, validation, run.resolve("classifier"),
                ClassifierLoader.referenceAugmentations());
    }

    private static GraphClassifier trainClassifier(Options o, CtDataset ds, SliceTransform train,
            SliceSource validation, Path runDirectory, List<dev.coin.data.augment.Transform> augmentations) {
        BatchLoader loader = ClassifierLoader.builder(ds.train()).batchSize(16).stepsPerEpoch(o.classifierSteps())
                .seed(o.seed()).transform(train).augmentations(augmentations).build();
        ClassifierTrainer.Result clf = ClassifierTrainer.builder(ResNet18.Spec.ofWidth(o.classifierWidth()))
                .seed(o.seed()).optimizer(Adam.lr(2e-3)).validation(validation).runDirectory(runDirectory)
                .datasetSplitHash(ds.split().hash())
                .listeners(new ProgressBar(System.console() != null, System.err, 20), new MetricsWriter())
                .build().fit(loader, o.classifierEpochs());   // run/classifier/model: the best epoch's classifier
        // the trainer logs the epoch it keeps ("kept epoch N: ..."); printing it here again would say it twice
        return clf.classifier();
    }

    private static GraphClassifier loadClassifier(Path dir) {
        try {
            GraphClassifier c = Classifiers.load(dir);
            System.out.println("  reusing the classifier in " + dir + ": " + c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the classifier given by --classifier " + dir
                    + "; point it at a folder written by a previous run (run/classifier)", e);
        }
    }

    /** The synthetic configuration's downsampling: 2 in every block but a last one that keeps the resolution. */
    private static int[] downsampling(Options o) {
        int n = o.discriminatorWidths().length;
        int[] d = new int[n];
        java.util.Arrays.fill(d, 2);
        if (n == 6) {
            d[5] = 1;
        }
        return d;
    }


    /** The series that have at least one validated epoch (none when validation was off). */
    private static Map<String, double[]> iouStarted(Map<String, double[]> series) {
        Map<String, double[]> out = new LinkedHashMap<>();
        series.forEach((k, v) -> {
            if (java.util.Arrays.stream(v).anyMatch(Double::isFinite)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String version(Class<?> c, String fallback) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v != null ? v : fallback;
    }

    private static void stage(String name) {
        System.out.println("== " + name);
    }

    static List<Slice> slices(SliceSource source, int from, int to) {
        List<Slice> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(source.get(i));
        }
        return out;
    }
}
