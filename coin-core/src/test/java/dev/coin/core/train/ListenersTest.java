package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listeners on hand-made metrics (no training). */
class ListenersTest {
    @TempDir
    Path tmp;

    private static EpochMetrics epoch(int e, double g, double d, double flip) {
        Map<String, Double> l = new LinkedHashMap<>();
        l.put("loss/kl", g / 2);
        l.put("loss/kl/raw", g / 10);
        l.put("loss/generator", g);
        l.put("loss/discriminator", d);
        return new EpochMetrics(e, l, flip, 8, 4, 1, 1.5);
    }

    private final class FakeContext implements TrainingContext<Object> {
        final List<EpochMetrics> history = new ArrayList<>();
        long step;
        Path run = tmp;

        @Override
        public int completedEpochs() {
            return history.size();
        }

        @Override
        public int totalEpochs() {
            return 5;
        }

        @Override
        public long globalStep() {
            return step;
        }

        @Override
        public int stepsPerEpoch() {
            return 2;
        }

        @Override
        public List<EpochMetrics> history() {
            return history;
        }

        @Override
        public Path runDirectory() {
            return run;
        }

        @Override
        public Object current() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path writeCheckpoint(Path directory) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void progressBarDrawsOnATerminalAndStaysQuietOtherwise() {
        FakeContext c = new FakeContext();
        ByteArrayOutputStream term = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(true, new PrintStream(term, true), 1);
        bar.onStart(c);
        StepReport s = new StepReport(1, 0, 2, true, Map.of("loss/generator", 1.25, "loss/discriminator", 0.5), 0.1);
        bar.onStep(s, c);
        assertThat(term.toString()).startsWith("\r[######").contains("step 3/10", "epoch 2/5", "generator 1.25",
                "discriminator 0.5", "ETA");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProgressBar quiet = new ProgressBar(false, new PrintStream(log, true), 1);
        quiet.onStart(c);
        quiet.onStep(s, c);
        assertThat(log.size()).isZero(); // without a terminal the line goes to the log, not the stream
        assertThat(ProgressBar.formatSeconds(3725)).isEqualTo("1:02:05");
        // totals and their components when there are totals; every weighted term otherwise (a classifier's bce)
        assertThat(ProgressBar.shown(Map.of("loss/generator", 1.0, "loss/adv", 0.5, "loss/kl/raw", 2.0,
                "loss/d_adv/real", 0.3, "loss/discriminator", 0.6)).keySet())
                .containsExactly("discriminator", "generator", "d_adv/real");
        assertThat(ProgressBar.shown(Map.of("loss/bce", 0.7)).keySet()).containsExactly("bce");
        assertThat(ProgressBar.epochLine(new EpochMetrics(0, Map.of("loss/bce", 0.5, "validation/loss", 0.25,
                "validation/confusion/tp", 3.0), Double.NaN, 0, 4, 0, 2.0), 3))
                .isEqualTo("epoch 1/3: bce 0.5000, validation/loss 0.2500; 2.0 s");
        assertThat(ProgressBar.formatSeconds(Double.NaN)).isEqualTo("?");
    }

    @Test
    void metricsWriterWritesEveryEpochAndColumn() throws Exception {
        FakeContext c = new FakeContext();
        c.history.add(epoch(0, 4.0, 0.7, Double.NaN));
        c.history.add(epoch(1, 2.0, 0.6, 0.5));
        new MetricsWriter().onEpochEnd(c.history.get(1), c);
        List<String> csv = Files.readAllLines(tmp.resolve("metrics.csv"));
        assertThat(csv.get(0)).isEqualTo("epoch,steps,generator_steps,seconds,flip_rate,abnormal_slices,loss/kl,"
                + "loss/kl/raw,loss/generator,loss/discriminator");
        assertThat(csv.get(1).split(",", -1)).containsExactly("0", "4", "1", "1.50000000", "", "8", "2.00000000",
                "0.400000000", "4.00000000", "0.700000000");
        assertThat(csv.get(2).split(",")[4]).isEqualTo("0.500000000");
        String json = Files.readString(tmp.resolve("metrics.json"));
        assertThat(json).contains("\"loss/generator\" : 2.0", "\"flipRate\" : 0.5");
    }

    @Test
    void listenersThatWriteRefuseToStartWithoutARunFolder() {
        FakeContext c = new FakeContext();
        c.run = null;
        assertThatThrownBy(() -> new MetricsWriter().onStart(c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MetricsWriter").hasMessageContaining(".runDirectory(path)");
        assertThatThrownBy(() -> CheckpointListener.every(1).onStart(c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CheckpointListener");
        assertThatThrownBy(() -> new LossCurvePlot().onStart(c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LossCurvePlot");
    }

    @Test
    void lossCurvePlotDrawsEachSeriesInItsColourWithALegend() {
        List<EpochMetrics> h = List.of(epoch(0, 4.0, 0.7, 0.25), epoch(1, 2.0, 0.6, 0.5), epoch(2, 1.0, 0.5, 1.0));
        LossCurvePlot plot = new LossCurvePlot(600, 400);
        assertThat(LossCurvePlot.series(h)).containsExactly("loss/kl", "loss/generator", "loss/discriminator",
                "flip rate");
        assertThat(LossCurvePlot.curves(h).keySet()).containsExactly("kl", "generator", "discriminator", "flip rate");
        assertThat(LossCurvePlot.curves(h).get("flip rate")).containsExactly(0.25, 0.5, 1.0);
        BufferedImage img = plot.render(h);
        assertThat(img.getWidth()).isEqualTo(600);
        assertThat(img.getHeight()).isEqualTo(400);
        // JFreeChart draws every series (line and legend) in its palette colour
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        assertThat(colours).contains(0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728);
    }
}
