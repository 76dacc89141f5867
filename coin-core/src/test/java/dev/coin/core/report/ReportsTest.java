package dev.coin.core.report;

import dev.coin.core.mask.PostProcessing;
import dev.coin.core.report.SummaryTable;
import dev.coin.core.report.BoxPlot;
import dev.coin.core.report.CounterfactualPanel;
import dev.coin.core.internal.NpyDump;

import static dev.coin.core.mask.MaskFixtures.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import dev.coin.data.image.PngWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    Path dir;

    @Test
    void panelHasTheDocumentedLayoutAndConfusionColours() {
        int h = 4;
        int w = 5;
        float[] x = new float[h * w];
        java.util.Arrays.fill(x, -1f); // grey 0: the overlay is 0.7·colour
        x[w - 1] = 1f;                 // (0, 4) white
        FloatImage input = FloatImage.of(h, w, x);
        FloatImage predicted = mask("##...", ".....", ".....", ".....");
        FloatImage truth = mask("#....", ".#...", ".....", ".....");
        // (0,0) TP, (0,1) FP, (1,1) FN, rest TN
        float[] d = new float[h * w];
        d[2] = 0.5f;
        FloatImage diff = FloatImage.of(h, w, d);
        FloatImage cf = FloatImage.zeros(h, w);
        Path file = dir.resolve("sub/panel.png");
        CounterfactualPanel.write(input, cf, diff, predicted, truth, file);
        BufferedImage img = PngWriter.read(file);
        assertThat(img.getWidth()).isEqualTo(3 * w + 2 * CounterfactualPanel.GAP);
        assertThat(img.getHeight()).isEqualTo(2 * h + CounterfactualPanel.GAP);
        int tile = w + CounterfactualPanel.GAP;
        int row2 = h + CounterfactualPanel.GAP;
        // confusion tile (row 0, col 2)
        assertThat(rgb(img, 2 * tile, 0)).isEqualTo(0x32A852);        // TP (50, 168, 82)
        assertThat(rgb(img, 2 * tile + 1, 0)).isEqualTo(0xEB4034);    // FP (235, 64, 52)
        assertThat(rgb(img, 2 * tile + 1, 1)).isEqualTo(0xCFCF1F);    // FN (207, 207, 31)
        assertThat(rgb(img, 2 * tile + 2, 2)).isEqualTo(0);           // TN black
        // overlay tile (row 0, col 1): round(0.3·0 + 0.7·c)
        assertThat(rgb(img, tile, 0)).isEqualTo(pack(35, 118, 57));   // 0.7·(50, 168, 82) = (35, 117.6, 57.4)
        assertThat(rgb(img, tile + 1, 0)).isEqualTo(pack(165, 45, 36)); // 0.7·(235, 64, 52) = (164.5, 44.8, 36.4)
        assertThat(rgb(img, tile + 1, 1)).isEqualTo(pack(145, 145, 22)); // 0.7·(207, 207, 31) = (144.9, 144.9, 21.7)
        assertThat(rgb(img, tile + 4, 0)).isEqualTo(0xFFFFFF);        // TN keeps the input (white)
        // input tile, counterfactual (0 → grey 128), difference map (0.5 → 128), mask (white where predicted)
        assertThat(rgb(img, 4, 0)).isEqualTo(0xFFFFFF);
        assertThat(rgb(img, 0, row2)).isEqualTo(pack(128, 128, 128));
        assertThat(rgb(img, tile + 2, row2)).isEqualTo(pack(128, 128, 128));
        assertThat(rgb(img, 2 * tile + 1, row2)).isEqualTo(0xFFFFFF);
        assertThat(rgb(img, 2 * tile + 2, row2)).isEqualTo(0);
        // gap pixels
        assertThat(rgb(img, w, 0)).isEqualTo(CounterfactualPanel.BACKGROUND);
    }

    @Test
    void panelRejectsMismatchedSizes() {
        FloatImage a = FloatImage.zeros(4, 4);
        FloatImage b = FloatImage.zeros(4, 5);
        assertThatThrownBy(() -> CounterfactualPanel.render(a, null, a, b, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predicted mask");
    }

    @Test
    void boxPlotStatsAndPixels() {
        double[] values = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.05, 1.0};
        BoxPlot.Stats s = BoxPlot.Stats.of(values);
        // sorted: 0.05 0.1 ... 0.9 1.0 (11 values): q1 = index 2.5 → 0.25, median index 5 → 0.5, q3 index 7.5 → 0.75
        assertThat(s.q1()).isCloseTo(0.25, within(1e-12));
        assertThat(s.median()).isCloseTo(0.5, within(1e-12));
        assertThat(s.q3()).isCloseTo(0.75, within(1e-12));
        assertThat(s.whiskerLow()).isEqualTo(0.05);
        assertThat(s.whiskerHigh()).isEqualTo(1.0);
        assertThat(BoxPlot.Stats.of(new double[] {0.5, 0.5, 0.5, 0.5, 0.0}).outliers()).containsExactly(0.0);

        BoxPlot plot = BoxPlot.builder().size(300, 200).title("per-image IoU").build();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("COIN", values);
        series.put("RISE", new double[] {0.1, 0.1, 0.2, 0.2});
        Path file = dir.resolve("box.png");
        plot.write(series, file);
        BufferedImage img = PngWriter.read(file);
        assertThat(img.getWidth()).isEqualTo(300);
        assertThat(img.getHeight()).isEqualTo(200);
        // JFreeChart fills the boxes in BOX_FILL; a box of COIN's quartiles (0.25 … 0.75) is tall, so many pixels
        int fill = BoxPlot.BOX_FILL.getRGB() & 0xFFFFFF;
        int filled = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                filled += rgb(img, x, y) == fill ? 1 : 0;
            }
        }
        assertThat(filled).isGreaterThan(200);
        assertThatThrownBy(() -> plot.render(Map.of("bad", new double[] {1.5})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void summaryTableCsvAndMarkdown() throws Exception {
        SummaryTable t = new SummaryTable();
        t.add(SummaryTable.Row.of("COIN", "default", 0.25, PostProcessing.none()).metric("IoU_agg", 0.5)
                .metric("CV_0.8", 0.98));
        t.add(SummaryTable.Row.of("RISE", "healthy p99", 0.9123456, PostProcessing.OPEN_CLOSE_LARGEST)
                .metric("IoU_agg", Double.NaN).metric("IoU_mean", 0.125));
        String csv = t.toCsv();
        assertThat(csv).isEqualTo("method,threshold_policy,threshold,post_processing,IoU_agg,CV_0.8,IoU_mean\n"
                + "COIN,default,0.25,PostProcessing[none],0.5,0.98,\n"
                + "RISE,healthy p99,0.9123456,PostProcessing[open3x3 close3x3 largest8],NaN,,0.125\n");
        String md = t.toMarkdown();
        assertThat(md.lines().toList()).containsExactly(
                "| method | threshold policy | threshold | post-processing | IoU_agg | CV_0.8 | IoU_mean |",
                "|---|---|---:|---|---:|---:|---:|",
                "| COIN | default | 0.2500 | PostProcessing[none] | 0.5000 | 0.9800 |  |",
                "| RISE | healthy p99 | 0.9123 | PostProcessing[open3x3 close3x3 largest8] | n/a |  | 0.1250 |");
        t.writeCsv(dir.resolve("out/summary.csv"));
        t.writeMarkdown(dir.resolve("out/summary.md"));
        assertThat(Files.readString(dir.resolve("out/summary.csv"))).isEqualTo(csv);
        assertThat(Files.readString(dir.resolve("out/summary.md"))).isEqualTo(md);
    }

    @Test
    void perImageValuesRoundTripThroughNpy() throws Exception {
        double[] v = {0.5, 0.25, 0.0, 1.0 / 3};
        Path file = dir.resolve("npy/iou.npy");
        NpyDump.write(v, file);
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 0, Math.min(bytes.length, 128), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("\u0093NUMPY").contains("'descr': '<f8'").contains("'shape': (4,)");
        // payload: little-endian float64 after the header
        java.nio.ByteBuffer payload = java.nio.ByteBuffer.wrap(bytes, bytes.length - 32, 32)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            assertThat(payload.getDouble()).isEqualTo(x);
        }
        org.nd4j.linalg.api.ndarray.INDArray back = dev.coin.core.nn.io.Npy.read(bytes);
        assertThat(back.shape()).containsExactly(4L);
        for (int i = 0; i < v.length; i++) {
            assertThat(back.getDouble(i)).isEqualTo(v[i]);
        }
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    private static int pack(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }
}
