package dev.coin.examples;

import dev.coin.core.Explanation;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.eval.HeldOutThreshold;
import dev.coin.core.eval.MaskEvaluation;
import dev.coin.core.experiment.Budget;
import dev.coin.core.explain.Rise;
import dev.coin.core.mask.Confusion;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.data.runtime.AtomicFiles;
import dev.coin.data.image.FloatImage;
import dev.coin.data.dataset.Batch;
import dev.coin.data.slice.Slice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why does RISE beat COIN under a tuned threshold? Reads the finished cells of a table run (by default the COIN cell;
 * {@code --cells} names others, e.g. {@code aligned-row-6}) and each seed's classifier, explains the abnormal
 * evaluation slices again, and compares the maps
 * where they differ: how much of the anomaly COIN removes, where its edit lands, how precision and recall split
 * its errors, and what per-image min–max normalisation (which RISE applies to every map, and COIN does not) does to
 * each method and to the perfect counterfactual.
 *
 * <p>Nothing is trained; a seed takes about two minutes (RISE's masks). Writes {@code <cells>/tuned-gap-<cells>.md}.
 *
 * <pre>
 * mvn -B -q -pl coin-examples -am compile exec:exec -Dexec.mainClass=dev.coin.examples.TunedGapStudy \
 *     -Dcoin.args="--work coin-work --seed-list 777,778,779 --cells coin"
 * </pre>
 */
public final class TunedGapStudy {
    /** σ of the Gaussian blur tried on the difference maps, in pixels. */
    private static final double SMOOTHING = 2.0;
    /** The table runner's evaluation threshold for difference maps. */
    private static final double FIXED = 0.25;

    private TunedGapStudy() {
    }

    public static void main(String[] rawArgs) {
        // Maven passes -Dcoin.args="..." as one argument, as for Main
        String[] args = java.util.Arrays.stream(rawArgs).flatMap(a -> java.util.Arrays.stream(a.trim().split("\\s+")))
                .filter(a -> !a.isEmpty()).toArray(String[]::new);
        Path work = Path.of("coin-work");
        long[] seeds = {777, 778, 779};
        Budget budget = Budget.laptop();
        int scans = 16;
        List<String> cellNames = List.of("coin");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--seed-list" -> seeds = java.util.Arrays.stream(args[++i].split(",")).map(String::trim)
                        .mapToLong(Long::parseLong).toArray();
                case "--budget" -> budget = Budget.named(args[++i]);
                case "--scans" -> scans = Integer.parseInt(args[++i]);
                case "--cells" -> cellNames = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; use --work DIR, "
                        + "--seed-list a,b,c, --cells coin,aligned-row-6 (cell folders), --budget laptop|paper, "
                        + "--scans N");
            }
        }
        Path cells = work.resolve("tables").resolve(budget.name());
        StoryData data = TableRun.data(work, budget, scans);
        List<Slice> all = data.evaluationSlices();
        List<Slice> clean = data.cleanEvaluationSlices();
        List<Slice> abnormal = new ArrayList<>();
        List<Slice> abnormalClean = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).label() == 1) {
                abnormal.add(all.get(i));
                abnormalClean.add(clean.get(i));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# Why RISE beats COIN under a tuned threshold: the maps compared\n\n");
        md.append(String.format(Locale.ROOT, "Cells: `%s`, seeds %s, %d abnormal evaluation slices. Held-out: the "
                + "2-fold-by-scan sweep of the tables; P/R: aggregated precision and recall at the held-out mean "
                + "threshold; area: predicted / true pixels there; the last column applies the reference's opening, "
                + "closing and largest component after the threshold, in the sweep and the scoring.%n%n", cells,
                java.util.Arrays.toString(seeds), abnormal.size()));
        Map<String, List<Double>> heldOutBySeed = new LinkedHashMap<>();
        // the perfect counterfactual's maps depend on the data only: the same for every seed and cell
        List<FloatImage> truthMaps = anomalies(abnormal, abnormalClean);
        List<FloatImage> truthMinMax = truthMaps.stream().map(TunedGapStudy::minMax).toList();
        for (long seed : seeds) {
            Path seedDir = cells.resolve("seed-" + seed);
            Map<String, List<FloatImage>> maps = new LinkedHashMap<>();
            StringBuilder edits = new StringBuilder();
            for (String cell : cellNames) {
                Path model = seedDir.resolve(cell).resolve("train");
                if (!Files.isDirectory(model.resolve(TrainedPipeline.MODEL_FOLDER))) {
                    throw new IllegalArgumentException("no trained model in " + model + "; run the table that holds "
                            + "row '" + cell + "' for seed " + seed + " first (e.g. --table coin --seed-list " + seed
                            + ")");
                }
                TrainedPipeline t = TrainedPipeline.load(model);
                System.out.printf(Locale.ROOT, "seed %d: explaining %d slices with %s%n", seed, abnormal.size(), cell);
                List<Explanation> ex = t.explain(abnormal);
                List<FloatImage> diff = ex.stream().map(Explanation::differenceMap).toList();
                maps.put(cell + " \\|x − x_cf\\| / 2", diff); // pipes escaped for Markdown tables
                maps.put(cell + ", min–max per image", diff.stream().map(TunedGapStudy::minMax).toList());
                maps.put(cell + ", Gaussian σ " + SMOOTHING + " px",
                        diff.stream().map(TunedGapStudy::smooth).toList());
                edits.append(cell).append(": ").append(edit(abnormal, ex, truthMaps,
                        data.truthMask())).append('\n');
            }
            GraphClassifier plain = loadClassifier(seedDir.resolve("classifier")
                    .resolve(TrainedPipeline.MODEL_FOLDER));
            System.out.printf(Locale.ROOT, "seed %d: RISE with %d masks%n", seed, budget.riseMasks());
            Rise rise = Rise.builder().classifier(plain).masks(budget.riseMasks()).seed(seed).build();
            List<FloatImage> riseMaps = new ArrayList<>();
            for (int from = 0; from < abnormal.size(); from += 8) {
                List<Slice> b = abnormal.subList(from, Math.min(abnormal.size(), from + 8));
                riseMaps.addAll(List.of(rise.saliency(Batch.stackImages(b))));
            }
            maps.put("RISE (min–max per image)", riseMaps);
            maps.put("perfect counterfactual \\|x − x_clean\\| / 2", truthMaps);
            maps.put("perfect counterfactual, min–max per image", truthMinMax);
            StringBuilder section = new StringBuilder();
            section.append(String.format(Locale.ROOT, "## Seed %d%n%n", seed));
            section.append("| map | IoU_agg at 0.25 | held-out IoU_agg | held-out threshold | precision | recall "
                    + "| area ratio | held-out IoU_agg, open/close/largest |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, List<FloatImage>> e : maps.entrySet()) {
                Scores s = scores(abnormal, e.getValue(), data.truthMask());
                heldOutBySeed.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s.heldOut);
                section.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.3f |%n",
                        e.getKey(), s.fixed, s.heldOut, s.threshold, s.precision, s.recall, s.areaRatio,
                        s.heldOutPostProcessed));
            }
            section.append('\n').append(edits).append('\n');
            System.out.print(section);
            md.append(section);
        }
        md.append("## Held-out IoU_agg over seeds\n\n| map | per seed | mean |\n|---|---|---:|\n");
        heldOutBySeed.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %s | %.3f |%n", k,
                v.stream().map(d -> String.format(Locale.ROOT, "%.3f", d)).toList(),
                v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN))));
        Path out = cells.resolve("tuned-gap-" + String.join("+", cellNames) + ".md");
        AtomicFiles.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("Written: " + out.toAbsolutePath());
    }

    private static GraphClassifier loadClassifier(Path dir) {
        try {
            return dev.coin.core.model.classifier.Classifiers.load(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the classifier in " + dir, e);
        }
    }

    /** The perfect counterfactual's difference maps, slice by slice. */
    private static List<FloatImage> anomalies(List<Slice> abnormal, List<Slice> clean) {
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < abnormal.size(); i++) {
            out.add(difference(abnormal.get(i).image(), clean.get(i).image()));
        }
        return out;
    }

    /** |a − b| / 2: the perfect counterfactual's difference map, in {@link Explanation#differenceMap}'s units. */
    private static FloatImage difference(FloatImage a, FloatImage b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        float[] d = new float[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(x[i] - y[i]) / 2;
        }
        return FloatImage.wrap(a.height(), a.width(), d);
    }

    /**
     * A separable Gaussian blur (σ = {@value #SMOOTHING} px, radius 3σ, borders clamped): RISE's maps are smooth by
     * construction (upsampled coarse masks); this asks whether COIN's scattered small edits are what costs it.
     */
    private static FloatImage smooth(FloatImage m) {
        int r = (int) Math.ceil(3 * SMOOTHING);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * SMOOTHING * SMOOTHING));
            sum += k[i + r];
        }
        int h = m.height();
        int w = m.width();
        float[] v = m.toArray();
        float[] tmp = new float[v.length];
        float[] out = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = -r; i <= r; i++) {
                    a += k[i + r] * v[y * w + Math.min(w - 1, Math.max(0, x + i))];
                }
                tmp[y * w + x] = (float) (a / sum);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = -r; i <= r; i++) {
                    a += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                }
                out[y * w + x] = (float) (a / sum);
            }
        }
        return FloatImage.wrap(h, w, out);
    }

    private static FloatImage minMax(FloatImage m) {
        float[] v = m.toArray();
        float lo = m.min();
        float span = m.max() - lo;
        for (int i = 0; i < v.length; i++) {
            v[i] = span > 0 ? (v[i] - lo) / span : 0f;
        }
        return FloatImage.wrap(m.height(), m.width(), v);
    }

    private record Scores(double fixed, double heldOut, double threshold, double precision, double recall,
                          double areaRatio, double heldOutPostProcessed) {
    }

    private static Scores scores(List<Slice> slices, List<FloatImage> maps, String truthName) {
        HeldOutThreshold h = HeldOutThreshold.builder().build();
        HeldOutThreshold post = HeldOutThreshold.builder().postProcessing(PostProcessing.OPEN_CLOSE_LARGEST).build();
        for (int i = 0; i < slices.size(); i++) {
            h.add(slices.get(i).scanId(), maps.get(i), slices.get(i).mask(truthName));
            post.add(slices.get(i).scanId(), maps.get(i), slices.get(i).mask(truthName));
        }
        HeldOutThreshold.Result r = h.result();
        long[] atFixed = counts(slices, maps, truthName, FIXED);
        long[] at = counts(slices, maps, truthName, r.meanThreshold());
        double fixedIou = (double) atFixed[0] / (atFixed[0] + atFixed[1] + atFixed[2]);
        return new Scores(fixedIou, r.aggregatedIou(), r.meanThreshold(), (double) at[0] / (at[0] + at[1]),
                (double) at[0] / (at[0] + at[2]), (double) (at[0] + at[1]) / (at[0] + at[2]),
                post.result().aggregatedIou());
    }

    /** Summed TP, FP, FN at {@code threshold}, binarised and counted by the library's {@link MaskEvaluation}. */
    private static long[] counts(List<Slice> slices, List<FloatImage> maps, String truthName, double threshold) {
        MaskEvaluation e = new MaskEvaluation("map", threshold, PostProcessing.none());
        for (int i = 0; i < slices.size(); i++) {
            e.add(maps.get(i), slices.get(i).mask(truthName));
        }
        Confusion c = e.aggregatedIou().totals();
        return new long[] {c.tp(), c.fp(), c.fn()};
    }

    /**
     * Where COIN's edit goes: the share of the anomaly's intensity it removes inside the truth mask, the share of its
     * edit outside the mask, and how its per-image IoU follows the anomaly's peak contrast.
     */
    private static String edit(List<Slice> slices, List<Explanation> ex, List<FloatImage> truthMaps,
            String truthName) {
        double removedIn = 0;
        double anomalyIn = 0;
        double editIn = 0;
        double editAll = 0;
        double[] peak = new double[slices.size()];
        double[] iou = new double[slices.size()];
        for (int i = 0; i < slices.size(); i++) {
            float[] clean = truthMaps.get(i).toArray(); // |x − x_clean| / 2
            float[] d = ex.get(i).differenceMap().toArray();
            float[] t = slices.get(i).mask(truthName).toArray();
            long tp = 0;
            long union = 0;
            for (int p = 0; p < d.length; p++) {
                boolean truth = t[p] > 0.5f;
                editAll += d[p];
                if (truth) {
                    editIn += d[p];
                    anomalyIn += clean[p];
                    removedIn += Math.min(d[p], clean[p]);
                }
                boolean pred = d[p] > FIXED;
                tp += pred && truth ? 1 : 0;
                union += pred || truth ? 1 : 0;
                peak[i] = Math.max(peak[i], clean[p]);
            }
            iou[i] = union == 0 ? 0 : (double) tp / union;
        }
        return String.format(Locale.ROOT, "the edit removes %.0f %% of the anomaly's intensity inside the "
                + "truth mask (Σ min(|x − x_cf|, |x − x_clean|) / Σ |x − x_clean| over mask pixels); %.0f %% "
                + "of its edit lies outside the mask. Per-image IoU at 0.25 against the anomaly's peak difference: "
                + "Pearson r = %.2f (peak difference %.2f–%.2f, median %.2f).%n", 100 * removedIn / anomalyIn,
                100 * (1 - editIn / editAll), pearson(peak, iou), min(peak), max(peak), median(peak));
    }

    private static double pearson(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
