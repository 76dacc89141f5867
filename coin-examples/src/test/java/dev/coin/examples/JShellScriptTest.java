package dev.coin.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.train.PipelineTrainer;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.PngWriter;
import dev.coin.data.slice.Slice;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's five JShell lines non-interactively with the real {@code jshell} of this JDK and the start-up
 * script {@code src/main/jshell/coin.jsh}, against a work folder laid out like the main job's (small data, a
 * one-step COIN run whose trainer saves {@code run/coin/model}).
 */
class JShellScriptTest {
    /** The README's lines (keep them in sync with the README's "COIN in JShell" section). */
    static final List<String> README_LINES = List.of(
            "var coin = TrainedPipeline.load(work.resolve(\"run/coin\"))",
            "var slice = abnormal(0)",
            "var e = coin.explain(slice)",
            "var png = e.writePanel(work.resolve(\"panels/first.png\"), slice.mask(\"anomaly\"))",
            "System.out.println(png.toAbsolutePath())");

    private static final int SIZE = 32;

    @Test
    void readmeLinesLoadAPipelineExplainASliceAndWriteItsPanel(@TempDir Path tmp) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        if (!Files.isExecutable(jshell)) {
            fail("this test runs the JDK's jshell, but " + jshell + " is missing; run the build with a full JDK 17 "
                    + "(not a JRE) so that the README's JShell instructions can be checked");
        }
        Path work = tmp.resolve("coin-work");
        // the main job's data, small: 5 phantom scans at 256², anomalies from a 40-pixel template, slices at 32²
        StoryData data = StoryData.prepare(new StoryData.Recipe(work, 5, 256, SIZE, 40, 777), i -> { });
        List<Slice> validation = data.validationSlices();
        assertThat(validation).anyMatch(s -> s.label() == 1);
        // what the script's helpers rebuild from the recipe file is the same set, slice for slice
        assertThat(StoryData.validationSlices(work)).isEqualTo(validation);
        assertThat(StoryData.abnormalValidationSlice(work, 0))
                .isEqualTo(validation.stream().filter(s -> s.label() == 1).findFirst().orElseThrow());
        assertThatThrownBy(() -> StoryData.validationSlices(tmp.resolve("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run the main job there first")
                .hasMessageContaining("-Dcoin.work");
        // a one-step COIN run with the main job's run directory: the trainer saves run/coin/model at the end
        Pipeline p = Presets.coinSynthetic().classifier(ResNet18.Spec.ofWidth(4).create(5L))
                .generator(UNetPerturbation.builder().stemChannels(4).channels(4, 8, 8, 16, 16)
                        .upsample(UpsampleKind.NEAREST).spectralNorm(true).build())
                .discriminator(ResNetDiscriminator.builder().blocks(new int[] {4, 8, 8, 16, 16},
                        new int[] {2, 2, 2, 2, 2}).build())
                .seed(3).build();
        PipelineTrainer.builder(p).runDirectory(work.resolve("run/coin")).build()
                .fit(BatchLoader.builder(SliceSource.of(validation.subList(0, 8))).batchSize(8).seed(1).build(), 1);
        assertThat(work.resolve("run/coin/model/model.json")).isRegularFile();

        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("the test class path must name the library's classes, not a surefire booter jar")
                .contains("coin-core").contains("nd4j-api");
        Path script = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/main/jshell/coin.jsh");
        assertThat(script).isRegularFile();
        Path lines = tmp.resolve("readme-lines.jsh");
        List<String> input = new ArrayList<>(README_LINES);
        // not README lines: show what an interactive session echoes (a loaded file's snippets are not echoed)
        input.add("System.out.println(coin)");
        input.add("System.out.println(e)");
        input.add("/exit");
        Files.write(lines, input, StandardCharsets.UTF_8);
        Path log = tmp.resolve("jshell.log");
        Process proc = new ProcessBuilder(jshell.toString(), "--class-path", classPath,
                "-R-Dcoin.work=" + work, "--startup", "DEFAULT", "--startup", script.toString(), lines.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!proc.waitFor(240, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("jshell did not finish within 240 s; output so far:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        System.out.println(out);
        assertThat(proc.exitValue()).as("jshell exit code; output:\n" + out).isZero();
        assertThat(out).as("snippets must not fail").doesNotContain("Exception", "|  Error", "cannot find symbol");
        assertThat(out).contains("TrainedPipeline[coin-synthetic, loaded from "
                + work.resolve("run/coin/model").toAbsolutePath().normalize());
        assertThat(out).contains("Explanation[" + SIZE + "x" + SIZE + ", p ");
        Path expected = work.resolve("panels/first.png").toAbsolutePath();
        assertThat(out.lines()).contains(expected.toString());
        BufferedImage png = PngWriter.read(expected);
        // the 2×3 panel with ground truth: 3 tiles + 2 gaps wide, 2 tiles + 1 gap high
        assertThat(png.getWidth()).isEqualTo(3 * SIZE + 2 * 2);
        assertThat(png.getHeight()).isEqualTo(2 * SIZE + 2);
        assertThat(Files.readAllBytes(expected)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
}
