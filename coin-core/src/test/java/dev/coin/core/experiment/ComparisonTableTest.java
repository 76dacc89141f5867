package dev.coin.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.eval.BootstrapInterval;
import dev.coin.core.mask.PostProcessing;
import dev.coin.data.image.PngWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two table rows: "COIN" (one counterfactual, seeds 1-3, trained) and "baselines" (RISE, seeds 1-2, nothing trained),
 * with numbers chosen so means and sds are easy by hand and per-image averages are exact in binary.
 */
class ComparisonTableTest {
    private static final String NONE = PostProcessing.none().toString();
    private static final String OCL = PostProcessing.OPEN_CLOSE_LARGEST.toString();
    private static final String SWEEP = "best IoU_agg (sweep, uses labels)";

    // per seed 1, 2, 3: averaged per slice {0.25, 0.5, 0.5, 0.75}
    private static final double[][] COIN_PER_IMAGE = {
        {0.25, 0.5, 0.75, 1.0}, {0.5, 0.5, 0.25, 1.0}, {0.0, 0.5, 0.5, 0.25}};
    // per seed 1, 2: averaged per slice {0.25, 0.5, 0.5, 0.25}
    private static final double[][] RISE_PER_IMAGE = {{0.0, 0.5, 1.0, 0.25}, {0.5, 0.5, 0.0, 0.25}};

    @TempDir
    Path dir;

    private static Map<String, Double> metrics(Object... nameValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], ((Number) nameValue[i + 1]).doubleValue());
        }
        return m;
    }

    private static CellResult coin(int seed, double iouAgg, double iouMean, double heldOut, double fid,
                                   double threshold, double trainSeconds) {
        List<CellResult.MethodRow> rows = new ArrayList<>();
        rows.add(new CellResult.MethodRow("COIN", "fixed 0.25", 0.25, NONE, metrics("IoU_agg", iouAgg,
                "IoU_mean", iouMean, "PER", 0.01 * seed, "n_abnormal", 4, "CV_0.8", 0.9, "flip_acc", 0.95,
                "FID_classifier", fid, "flip_rate_abnormal_predicted", 0.8 + 0.05 * seed)));
        rows.add(new CellResult.MethodRow("COIN", "fixed 0.25", 0.25, OCL, metrics("IoU_agg", iouAgg + 0.1,
                "IoU_mean", iouMean + 0.1, "PER", 0.005, "n_abnormal", 4)));
        rows.add(new CellResult.MethodRow("COIN", SWEEP, 0.3, NONE, metrics("IoU_agg", 0.6, "n_abnormal", 4)));
        rows.add(new CellResult.MethodRow("COIN", ComparisonTable.HELD_OUT_POLICY, threshold, NONE,
                metrics("IoU_agg", heldOut, "IoU_mean", heldOut - 0.05, "PER", 0.02, "n_abnormal", 4)));
        rows.add(new CellResult.MethodRow("COIN", ComparisonTable.LABEL_FREE_POLICY, 0.2, NONE,
                metrics("IoU_agg", 0.35, "n_abnormal", 4)));
        if (seed == 1) {
            rows.add(new CellResult.MethodRow("COIN", "label-free (healthy p99.9)", 0.4, NONE,
                    metrics("IoU_agg", 0.31, "n_abnormal", 4)));
        }
        return new CellResult("COIN", seed, rows, Map.of("COIN", COIN_PER_IMAGE[seed - 1]), trainSeconds, 10,
                1_234_567);
    }

    private static CellResult rise(int seed, double iouAgg) {
        List<CellResult.MethodRow> rows = List.of(
                new CellResult.MethodRow("RISE", "fixed 0.975", 0.975, NONE, metrics("IoU_agg", iouAgg,
                        "IoU_mean", 0.3, "PER", 0.1, "n_abnormal", 4)),
                new CellResult.MethodRow("RISE", SWEEP, 0.9, NONE, metrics("IoU_agg", 0.4, "n_abnormal", 4)));
        return new CellResult("baselines", seed, rows, Map.of("RISE", RISE_PER_IMAGE[seed - 1]), 0, 0, 0);
    }

    /** COIN fixed IoU_agg 0.50, 0.52, 0.57; held-out 0.40, 0.44, 0.42; FID undefined in seed 2; RISE 0.20, 0.30. */
    private static List<CellResult> cells() {
        return List.of(coin(1, 0.50, 0.55, 0.40, 3.0, 0.21, 100), rise(1, 0.20),
                coin(2, 0.52, 0.50, 0.44, Double.NaN, 0.23, 120), rise(2, 0.30),
                coin(3, 0.57, 0.45, 0.42, 5.0, 0.25, 110));
    }

    private static ComparisonTable.Row row(ComparisonTable t, String method, String policy, String post) {
        return t.rows().stream()
                .filter(r -> r.method().equals(method) && r.policy().equals(policy) && r.postProcessing().equals(post))
                .findFirst().orElseThrow();
    }

    @Test
    void groupsByMethodPolicyAndPostProcessingInFirstSeenOrder() {
        ComparisonTable t = ComparisonTable.of(cells());

        assertThat(t.rows()).extracting(r -> r.method() + " / " + r.policy() + " / " + r.postProcessing())
                .containsExactly("COIN / fixed 0.25 / " + NONE, "COIN / fixed 0.25 / " + OCL,
                        "COIN / " + SWEEP + " / " + NONE, "COIN / " + ComparisonTable.HELD_OUT_POLICY + " / " + NONE,
                        "COIN / label-free (healthy p99) / " + NONE, "COIN / label-free (healthy p99.9) / " + NONE,
                        "RISE / fixed 0.975 / " + NONE, "RISE / " + SWEEP + " / " + NONE);
        assertThat(row(t, "COIN", "fixed 0.25", NONE).seeds()).containsExactly(1L, 2L, 3L);
        assertThat(row(t, "COIN", "label-free (healthy p99.9)", NONE).seeds()).containsExactly(1L);
        assertThat(row(t, "RISE", "fixed 0.975", NONE).seeds()).containsExactly(1L, 2L);
        assertThat(row(t, "RISE", "fixed 0.975", NONE).cell()).isEqualTo("baselines");
    }

    @Test
    void meansAndSampleSdsOverSeedsMatchTheHandComputation() {
        ComparisonTable t = ComparisonTable.of(cells());
        ComparisonTable.Row coin = row(t, "COIN", "fixed 0.25", NONE);

        // IoU_agg 0.50, 0.52, 0.57: mean 0.53, deviations -0.03, -0.01, 0.04, sd sqrt(0.0026 / 2)
        assertThat(coin.metric("IoU_agg").mean()).isCloseTo(0.53, within(1e-12));
        assertThat(coin.metric("IoU_agg").sd()).isCloseTo(Math.sqrt(0.0013), within(1e-12));
        assertThat(coin.metric("IoU_agg").n()).isEqualTo(3);
        // IoU_mean 0.55, 0.50, 0.45: mean 0.5, sd 0.05
        assertThat(coin.metric("IoU_mean").mean()).isCloseTo(0.5, within(1e-12));
        assertThat(coin.metric("IoU_mean").sd()).isCloseTo(0.05, within(1e-12));
        // PER 0.01, 0.02, 0.03: mean 0.02, sd 0.01
        assertThat(coin.metric("PER").mean()).isCloseTo(0.02, within(1e-12));
        assertThat(coin.metric("PER").sd()).isCloseTo(0.01, within(1e-12));
        assertThat(coin.metric("CV_0.8").mean()).isCloseTo(0.9, within(1e-12));
        assertThat(coin.metric("CV_0.8").sd()).isCloseTo(0.0, within(1e-12));
        // flip rate 0.85, 0.90, 0.95: mean 0.9, sd 0.05
        assertThat(coin.metric("flip_rate_abnormal_predicted").mean()).isCloseTo(0.9, within(1e-12));
        assertThat(coin.metric("flip_rate_abnormal_predicted").sd()).isCloseTo(0.05, within(1e-12));
        // FID undefined in seed 2: undefined over the seeds
        assertThat(coin.metric("FID_classifier").defined()).isFalse();
        assertThat(coin.threshold().mean()).isEqualTo(0.25);
        assertThat(coin.threshold().sd()).isEqualTo(0.0);
        // 100, 120, 110 s over 10 epochs each: 11 s per epoch
        assertThat(coin.secondsPerEpoch()).isCloseTo(11.0, within(1e-12));
        assertThat(coin.parameters()).isEqualTo(1_234_567);

        ComparisonTable.Row heldOut = row(t, "COIN", ComparisonTable.HELD_OUT_POLICY, NONE);
        assertThat(heldOut.metric("IoU_agg").mean()).isCloseTo(0.42, within(1e-12));
        assertThat(heldOut.metric("IoU_agg").sd()).isCloseTo(0.02, within(1e-12));
        assertThat(heldOut.threshold().mean()).isCloseTo(0.23, within(1e-12));
        assertThat(heldOut.threshold().sd()).isCloseTo(0.02, within(1e-12));

        ComparisonTable.Row rise = row(t, "RISE", "fixed 0.975", NONE);
        // 0.20, 0.30: mean 0.25, sd sqrt(2 · 0.05²) = 0.0707…
        assertThat(rise.metric("IoU_agg").mean()).isCloseTo(0.25, within(1e-12));
        assertThat(rise.metric("IoU_agg").sd()).isCloseTo(Math.sqrt(0.005), within(1e-12));
        assertThat(rise.metric("CV_0.8").defined()).isFalse();
        assertThat(rise.secondsPerEpoch()).isNaN();
        assertThat(rise.parameters()).isZero();

        assertThatThrownBy(() -> coin.metric("flip_acc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric 'flip_acc' is not summarised; use one of [IoU_agg,");

        ComparisonTable.Row oneSeed = row(t, "COIN", "label-free (healthy p99.9)", NONE);
        assertThat(oneSeed.metric("IoU_agg").mean()).isEqualTo(0.31);
        assertThat(oneSeed.metric("IoU_agg").sd()).isNaN();
    }

    @Test
    void theIntervalIsTheBootstrapOfTheSeedAveragedPerSliceSeries() {
        ComparisonTable t = ComparisonTable.of(cells(), 77);
        double[] coinAveraged = {0.25, 0.5, 0.5, 0.75};
        double[] riseAveraged = {0.25, 0.5, 0.5, 0.25};

        assertThat(t.perImageIou()).containsOnlyKeys("COIN", "RISE");
        assertThat(t.perImageIou().get("COIN")).containsExactly(coinAveraged);
        assertThat(t.perImageIou().get("RISE")).containsExactly(riseAveraged);
        assertThat(row(t, "COIN", "fixed 0.25", NONE).perImageIou()).contains(BootstrapInterval.of(coinAveraged, 77));
        assertThat(row(t, "RISE", "fixed 0.975", NONE).perImageIou()).contains(BootstrapInterval.of(riseAveraged, 77));
        assertThat(row(t, "COIN", "fixed 0.25", NONE).perImageIou().orElseThrow().mean()).isEqualTo(0.5);
        // only the un-post-processed fixed line carries the per-image series
        assertThat(row(t, "COIN", "fixed 0.25", OCL).perImageIou()).isEmpty();
        assertThat(row(t, "COIN", ComparisonTable.HELD_OUT_POLICY, NONE).perImageIou()).isEmpty();
        // the same seed, the same interval
        assertThat(ComparisonTable.of(cells(), 77).rows().get(0)).isEqualTo(t.rows().get(0));
    }

    @Test
    void fairTunedIsTheHeldOutIoUAggMeanPerMethod() {
        ComparisonTable t = ComparisonTable.of(cells());

        assertThat(t.fairTuned()).containsOnlyKeys("COIN");
        assertThat(t.fairTuned().get("COIN")).isCloseTo(0.42, within(1e-12));
    }

    @Test
    void theMainViewKeepsFixedHeldOutAndHealthyP99WithoutPostProcessing() {
        ComparisonTable t = ComparisonTable.of(cells());

        assertThat(t.rows(ComparisonTable.MAIN)).extracting(r -> r.method() + " / " + r.policy())
                .containsExactly("COIN / fixed 0.25", "COIN / " + ComparisonTable.HELD_OUT_POLICY,
                        "COIN / label-free (healthy p99)", "RISE / fixed 0.975");
        assertThat(t.rows(ComparisonTable.policies("best"))).extracting(ComparisonTable.Row::method)
                .containsExactly("COIN", "RISE");
    }

    @Test
    void markdownHasTheHeaderAndTheFormattedCells() {
        ComparisonTable t = ComparisonTable.of(cells());
        BootstrapInterval coinCi = BootstrapInterval.of(new double[] {0.25, 0.5, 0.5, 0.75},
                ComparisonTable.DEFAULT_BOOTSTRAP_SEED);

        String md = t.toMarkdown(List.of("budget: 10 epochs", "seeds: 1, 2, 3"), ComparisonTable.MAIN);

        assertThat(md).startsWith("budget: 10 epochs\nseeds: 1, 2, 3\n\n| method | threshold policy |");
        assertThat(md).contains("| IoU_agg | IoU_mean | PER | CV_0.8 | flip rate | FID_classifier | "
                + "per-image IoU [95 % CI] | s/epoch | parameters |");
        String ci = String.format(Locale.ROOT, "0.500 [%.2f, %.2f]", coinCi.lower(), coinCi.upper());
        assertThat(md).contains("| COIN | fixed 0.25 | none | 3 | 0.250 ± 0.000 | 0.530 ± 0.036 | 0.500 ± 0.050 "
                + "| 0.020 ± 0.010 | 0.900 ± 0.000 | 0.900 ± 0.050 | n/a | " + ci + " | 11.0 | 1,234,567 |");
        assertThat(md).contains("| COIN | " + ComparisonTable.HELD_OUT_POLICY + " | none | 3 | 0.230 ± 0.020 "
                + "| 0.420 ± 0.020 | 0.370 ± 0.020 | 0.020 ± 0.000 | n/a | n/a | n/a |  | 11.0 | 1,234,567 |");
        assertThat(md).contains("| RISE | fixed 0.975 | none | 2 | 0.975 ± 0.000 | 0.250 ± 0.071 | 0.300 ± 0.000 "
                + "| 0.100 ± 0.000 | n/a | n/a | n/a | 0.375 [");
        assertThat(md).contains("| n/a | 0 |");
        assertThat(md).doesNotContain("open3x3").doesNotContain("p99.9");
        assertThat(md).contains("Shown: 4 of 8 rows; comparison.csv has every row.");

        String all = t.toMarkdown(List.of(), r -> true);
        assertThat(all).startsWith("| method |").contains("| COIN | fixed 0.25 | open3x3 close3x3 largest8 | 3 |")
                .contains("| COIN | label-free (healthy p99.9) | none | 1 | 0.400 ± n/a | 0.310 ± n/a |")
                .contains("| COIN | " + SWEEP + " | none | 3 |").doesNotContain("Shown:");
    }

    @Test
    void csvParsesBackToTheSameNumbers() {
        ComparisonTable t = ComparisonTable.of(cells());

        List<List<String>> csv = parseCsv(t.toCsv());

        List<String> header = csv.get(0);
        assertThat(header).startsWith("cell", "method", "threshold_policy", "post_processing", "seeds", "seed_list")
                .contains("IoU_agg_mean", "IoU_agg_sd", "FID_classifier_mean", "per_image_iou_ci_lower",
                        "seconds_per_epoch", "parameters");
        assertThat(csv).hasSize(1 + t.rows().size());
        for (int i = 0; i < t.rows().size(); i++) {
            ComparisonTable.Row r = t.rows().get(i);
            List<String> line = csv.get(i + 1);
            assertThat(line).hasSameSizeAs(header);
            Map<String, String> f = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                f.put(header.get(c), line.get(c));
            }
            assertThat(f.get("cell")).isEqualTo(r.cell());
            assertThat(f.get("method")).isEqualTo(r.method());
            assertThat(f.get("threshold_policy")).isEqualTo(r.policy());
            assertThat(f.get("post_processing")).isEqualTo(r.postProcessing());
            assertThat(Integer.parseInt(f.get("seeds"))).isEqualTo(r.seeds().size());
            assertThat(f.get("seed_list").split(";")).containsExactly(
                    r.seeds().stream().map(String::valueOf).toArray(String[]::new));
            sameNumber(f, "threshold_mean", r.threshold().mean());
            sameNumber(f, "threshold_sd", r.threshold().sd());
            for (String m : ComparisonTable.METRICS) {
                sameNumber(f, m + "_mean", r.metric(m).mean());
                sameNumber(f, m + "_sd", r.metric(m).sd());
            }
            Optional<BootstrapInterval> ci = r.perImageIou();
            sameNumber(f, "per_image_iou_mean", ci.map(BootstrapInterval::mean).orElse(Double.NaN));
            sameNumber(f, "per_image_iou_ci_lower", ci.map(BootstrapInterval::lower).orElse(Double.NaN));
            sameNumber(f, "per_image_iou_ci_upper", ci.map(BootstrapInterval::upper).orElse(Double.NaN));
            sameNumber(f, "seconds_per_epoch", r.secondsPerEpoch());
            assertThat(Long.parseLong(f.get("parameters"))).isEqualTo(r.parameters());
        }
        // spot checks against the hand values, and the quoted policy with a comma
        assertThat(Double.parseDouble(csv.get(1).get(header.indexOf("IoU_agg_mean")))).isCloseTo(0.53, within(1e-12));
        assertThat(csv.get(1).get(header.indexOf("FID_classifier_mean"))).isEqualTo("NaN");
        assertThat(csv.get(3).get(header.indexOf("threshold_policy"))).isEqualTo(SWEEP);
        assertThat(t.toCsv()).contains("\"" + SWEEP + "\"");
    }

    @Test
    void writesTheThreeFilesAtomically() throws IOException {
        ComparisonTable t = ComparisonTable.of(cells());

        t.write(dir, List.of("budget: 10 epochs"), ComparisonTable.MAIN);

        String md = Files.readString(dir.resolve(ComparisonTable.MARKDOWN), StandardCharsets.UTF_8);
        assertThat(md).isEqualTo(t.toMarkdown(List.of("budget: 10 epochs"), ComparisonTable.MAIN));
        assertThat(Files.readString(dir.resolve(ComparisonTable.CSV), StandardCharsets.UTF_8)).isEqualTo(t.toCsv());
        Path png = dir.resolve(ComparisonTable.BOXPLOT);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage image = PngWriter.read(png);
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(400);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    ComparisonTable.MARKDOWN, ComparisonTable.CSV, ComparisonTable.BOXPLOT);
        }

        // rewriting gives the same files (the bootstrap is seeded)
        ComparisonTable.of(cells()).write(dir, List.of("budget: 10 epochs"), ComparisonTable.MAIN);
        assertThat(Files.readString(dir.resolve(ComparisonTable.MARKDOWN), StandardCharsets.UTF_8)).isEqualTo(md);
    }

    @Test
    void perImageSeriesOfDifferentLengthsAcrossSeedsAreRefused() {
        List<CellResult> cells = new ArrayList<>(cells());
        CellResult c = cells.get(2);
        cells.set(2, new CellResult(c.cell(), c.seed(), c.rows(), Map.of("COIN", new double[] {0.5, 0.5, 0.5}),
                c.trainSeconds(), c.epochs(), c.parameters()));

        assertThatThrownBy(() -> ComparisonTable.of(cells)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("per-image IoU of method 'COIN' has 4 slices in cell 'COIN' seed 1 but 3 in "
                        + "cell 'COIN' seed 2").hasMessageContaining("same validation slices in the same order");
    }

    @Test
    void inconsistentCellsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> ComparisonTable.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cells is empty");
        assertThatThrownBy(() -> ComparisonTable.of(List.of(rise(1, 0.2), rise(1, 0.3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cell 'baselines' seed 1 appears twice").hasMessageContaining("once");
        CellResult renamed = new CellResult("other baselines", 2, rise(2, 0.3).rows(), Map.of(), 0, 0, 0);
        assertThatThrownBy(() -> ComparisonTable.of(List.of(rise(1, 0.2), renamed)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("method 'RISE' comes from cells 'baselines' and 'other baselines'")
                .hasMessageContaining("distinct report names");
        CellResult bigger = new CellResult("COIN", 2, coin(2, 0.5, 0.5, 0.4, 1, 0.2, 10).rows(),
                Map.of("COIN", COIN_PER_IMAGE[1]), 10, 10, 7);
        assertThatThrownBy(() -> ComparisonTable.of(List.of(coin(1, 0.5, 0.5, 0.4, 1, 0.2, 10), bigger)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cell 'COIN' has 1234567 parameters in seed 1 but 7 in seed 2");
        List<CellResult.MethodRow> twice = new ArrayList<>(rise(1, 0.2).rows());
        twice.add(twice.get(0));
        assertThatThrownBy(() -> ComparisonTable.of(List.of(new CellResult("baselines", 1, twice,
                Map.of("RISE", RISE_PER_IMAGE[0]), 0, 0, 0)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cell 'baselines' seed 1 has two rows for method 'RISE', policy 'fixed 0.975'");
        CellResult undefined = new CellResult("baselines", 1, rise(1, 0.2).rows(),
                Map.of("RISE", new double[] {0.1, Double.NaN, 0.2, 0.3}), 0, 0, 0);
        assertThatThrownBy(() -> ComparisonTable.of(List.of(undefined))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("per-image IoU of method 'RISE' in cell 'baselines' seed 1 is NaN at slice 1");
    }

    /** The CSV field reads back to exactly {@code expected} (NaN to NaN). */
    private static void sameNumber(Map<String, String> fields, String column, double expected) {
        String field = fields.get(column);
        assertThat(Double.doubleToLongBits(Double.parseDouble(field)))
                .as("%s: %s, expected %s", column, field, expected).isEqualTo(Double.doubleToLongBits(expected));
    }

    /** A minimal RFC 4180 reader: comma-separated, fields with commas or quotes in double quotes. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        f.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                } else {
                    f.append(ch);
                }
            }
            fields.add(f.toString());
            lines.add(fields);
        }
        return lines;
    }
}
