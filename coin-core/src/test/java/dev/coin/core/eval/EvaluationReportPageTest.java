package dev.coin.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.mask.Confusion;
import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.HtmlReport;
import dev.coin.core.report.SlicePanel;
import dev.coin.core.report.SummaryTable;
import dev.coin.data.image.FloatImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Builds a small report the way the main job does (synthetic 32² slices: a bright disk, an inserted blob, a
 * counterfactual that removes part of it, a saliency map) and checks the page. The report stays in
 * {@code target/report-sample/}, where {@code scripts/check-report-browser.sh} opens it in headless Chromium.
 */
class EvaluationReportPageTest {
    static final Path SAMPLE = Path.of("target", "report-sample");
    private static final int N = 32;

    @Test
    void writesOneOfflinePageWithTableChartsProvenanceAndGallery() throws Exception {
        SummaryTable table = new SummaryTable();
        table.add(SummaryTable.Row.of("perfect counterfactual (ceiling)", "fixed 0.25", 0.25, PostProcessing.none())
                .metric("IoU_agg", 0.79).metric("IoU_mean", 0.78));
        table.add(SummaryTable.Row.of("COIN", "fixed 0.25", 0.25, PostProcessing.none()).metric("IoU_agg", 0.47)
                .metric("IoU_mean", 0.48).metric("CV_0.8", 0.98));
        table.add(SummaryTable.Row.of("COIN", "label-free (healthy p99)", 0.258, PostProcessing.none())
                .metric("IoU_agg", 0.485));
        table.add(SummaryTable.Row.of("COIN", "best of sweep (uses labels)", 0.4, PostProcessing.none())
                .metric("IoU_agg", 0.59));
        table.add(SummaryTable.Row.of("RISE", "fixed 0.975", 0.975, PostProcessing.none()).metric("IoU_agg", 0.14));
        List<SlicePanel> panels = new ArrayList<>();
        double[] coinIou = new double[5];
        double[] riseIou = new double[5];
        for (int k = 0; k < 6; k++) {
            boolean abnormal = k < 5;
            FloatImage x = slice(abnormal ? 4 + k : 0, 10 + 2 * k, 14);
            FloatImage clean = slice(0, 0, 0);
            FloatImage xCf = blend(x, clean, 0.5 + 0.1 * k);   // later slices remove more of the blob
            FloatImage map = Masks.differenceMap(x, xCf);
            FloatImage mask = Masks.threshold(map, 0.25);
            FloatImage truth = Masks.threshold(Masks.differenceMap(x, clean), 0.12);
            double p = abnormal ? 0.9 - 0.05 * k : 0.1;
            double iou = abnormal ? Confusion.of(mask, truth).iou() : Double.NaN;
            panels.add(SlicePanel.builder("COIN", x, map, mask).counterfactual(xCf).slice("phantom_s777_000" + k % 2,
                    20 + k).truth(truth).truthAbnormal(abnormal).probabilities(p, abnormal ? 0.45 - 0.08 * k : 0.05)
                    .threshold(0.25).iou(iou).build());
            if (abnormal) {
                coinIou[k] = iou;
                FloatImage saliency = smooth(truth);
                FloatImage riseMask = Masks.threshold(saliency, 0.6);
                riseIou[k] = Confusion.of(riseMask, truth).iou();
                panels.add(SlicePanel.builder("RISE", x, saliency, riseMask).slice("phantom_s777_000" + k % 2, 20 + k)
                        .truth(truth).mapName("RISE saliency").probabilities(p, Double.NaN).threshold(0.6)
                        .iou(riseIou[k]).build());
            }
        }
        Map<String, double[]> perImage = new LinkedHashMap<>();
        perImage.put("COIN", coinIou);
        perImage.put("RISE", riseIou);
        EvaluationReport report = new EvaluationReport(table, perImage, Map.of(), Map.of("COIN", 0.258), panels);

        deleteRecursively(SAMPLE);
        Map<String, double[]> losses = new LinkedHashMap<>();
        losses.put("generator", new double[] {3.1, 2.4, 2.0, 1.9});
        losses.put("discriminator", new double[] {1.4, 1.3, 1.35, 1.2});
        losses.put("flip rate", new double[] {0.2, 0.6, 0.9, 1.0});
        Path index = report.write(SAMPLE, page -> page.title("COIN report (test sample)").lossCurves(losses)
                .validationIou(Map.of("COIN IoU_agg at 0.25", new double[] {0.2, 0.39, 0.59, 0.49}))
                .provenance("pipeline identity", "{\"name\": \"coin-synthetic\", \"seed\": 777}")
                .provenance("seed", "777").provenance("wall time", "0.1 min"));

        assertThat(index).isEqualTo(SAMPLE.resolve(HtmlReport.INDEX));
        String html = Files.readString(index);
        assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        assertThat(count(html.substring(html.indexOf("<table id=\"summary\">"), html.indexOf("</table>")), "<tr>"))
                .isEqualTo(table.rows().size() + 1);   // header + one per method and policy
        assertThat(html).contains("perfect counterfactual (ceiling)", "Provenance", "seed", "peak RSS",
                "Best, median and worst slice by IoU", "truth only (missed)");
        for (String file : List.of("summary.csv", "summary.md", "iou-boxplot.png", "loss-curves.png",
                "validation-iou.png")) {
            assertThat(SAMPLE.resolve(file)).isRegularFile();
        }
        Matcher src = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            assertThat(SAMPLE.resolve(src.group(1))).as(src.group(1)).isRegularFile();
            images++;
        }
        assertThat(images).isEqualTo(3 + 2 * 3 + panels.size());   // charts, best/median/worst per method, all
        assertThat(SAMPLE.resolve("panels/coin")).isDirectoryContaining(
                "glob:**/slice-phantom_s777_0000-k020_truth-abnormal_pred-before-abnormal_after-normal_iou-*.png");
        assertThat(SAMPLE.resolve("panels/coin")).isDirectoryContaining(
                "glob:**/slice-phantom_s777_0001-k025_truth-normal_pred-before-normal_after-normal.png");
    }

    /** A disk of value −0.3 at the centre on −1, plus a Gaussian blob of the given radius at (row, col) (0: none). */
    private static FloatImage slice(int radius, int row, int col) {
        float[] v = new float[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double d = Math.hypot(y - N / 2.0, x - N / 2.0);
                double value = d < N / 2.5 ? -0.3 : -1;
                if (radius > 0) {
                    value += 1.3 * Math.exp(-(Math.pow(y - row, 2) + Math.pow(x - col, 2)) / (radius * radius / 2.0));
                }
                v[y * N + x] = (float) Math.max(-1, Math.min(1, value));
            }
        }
        return FloatImage.of(N, N, v);
    }

    private static FloatImage blend(FloatImage a, FloatImage b, double towardsB) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] + towardsB * (y[i] - x[i]));
        }
        return FloatImage.of(N, N, x);
    }

    /** A blurred copy of a 0/1 mask, normalised to [0, 1]. */
    private static FloatImage smooth(FloatImage mask) {
        float[] m = mask.toArray();
        float[] out = new float[m.length];
        float max = 1e-6f;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                float s = 0;
                for (int dy = -3; dy <= 3; dy++) {
                    for (int dx = -3; dx <= 3; dx++) {
                        int yy = Math.min(N - 1, Math.max(0, y + dy + 2));
                        int xx = Math.min(N - 1, Math.max(0, x + dx));
                        s += m[yy * N + xx];
                    }
                }
                out[y * N + x] = s;
                max = Math.max(max, s);
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= max;
        }
        return FloatImage.of(N, N, out);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
