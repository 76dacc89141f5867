package dev.coin.data.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Nd4jOutputTest {
    private static final String NOISE = "Added differentiated op conv2d_bp_1" + System.lineSeparator();

    private PrintStream originalOut;
    private boolean originalQuiet;

    @BeforeEach
    void remember() {
        originalOut = System.out;
        originalQuiet = Nd4jOutput.isQuiet();
        Nd4jOutput.quiet(true);
    }

    @AfterEach
    void restore() {
        System.clearProperty(Nd4jOutput.VERBOSE_PROPERTY);
        System.setOut(originalOut);
        Nd4jOutput.quiet(originalQuiet);
    }

    /** Writes {@code script} through the filter and, with {@code noise} lines left out, straight to a stream. */
    private static void assertFiltersTo(Consumer<PrintStream> withNoise, Consumer<PrintStream> without) {
        ByteArrayOutputStream filtered = new ByteArrayOutputStream();
        PrintStream f = Nd4jOutput.wrap(new PrintStream(filtered, false, StandardCharsets.UTF_8));
        withNoise.accept(f);
        f.flush();
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        PrintStream d = new PrintStream(direct, false, StandardCharsets.UTF_8);
        without.accept(d);
        d.flush();
        assertThat(direct.size()).isPositive();
        assertThat(filtered.toByteArray()).isEqualTo(direct.toByteArray());
    }

    @Test
    void dropsOnlyTheNoiseLinesAndKeepsEverythingElseByteForByte() {
        byte[] raw = {(byte) 0xC3, (byte) 0xA9, 'x', (byte) 0xFF, '\n'}; // é, x, an invalid UTF-8 byte
        Consumer<PrintStream> mine = p -> {
            p.println("epoch 1/6");
            p.print("Größe ✓ 1.5e-3");
            p.println();
            p.write(raw, 0, raw.length);
            p.printf("%5.2f|%s%n", 3.14159, "ünï");
            p.println("  Added differentiated op (indented, so not ND4J's)");
            p.println("Added differentiated");                 // a prefix only: kept
            p.println("Added differentiatedop");               // diverges on the last byte: kept
            p.print("step 3\r step 4\r");                      // progress bar without a newline
            p.print(42);
            p.print('c');
            p.println(true);
            p.println((Object) null);
        };
        assertFiltersTo(p -> {
            p.print(NOISE);
            mine.accept(p);
            p.println("Added differentiated op matmul_bp");
            p.write('A');
            p.print("dded differentiated op ");
            p.write("sum_bp\n".getBytes(StandardCharsets.US_ASCII), 0, 7);
            p.print("Added differentiated op x" + System.lineSeparator() + "after");
        }, p -> {
            mine.accept(p);
            p.print("after");
        });
    }

    @Test
    void aPartialLineGoesOutOnFlushUnlessItCouldStillBeTheMessage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream f = Nd4jOutput.wrap(new PrintStream(out, false, StandardCharsets.UTF_8));
        f.print("50% ");
        f.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("50% ");
        f.print("\nAdd");
        f.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("50% \n");
        f.print("ress\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("50% \nAddress\n");
        f.print("Added");
        f.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("50% \nAddress\nAdded");
    }

    @Test
    void theRuntimeSwitchLetsTheMessageThroughAndBack() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream f = Nd4jOutput.wrap(new PrintStream(out, false, StandardCharsets.UTF_8));
        f.print(NOISE);
        Nd4jOutput.quiet(false);
        assertThat(Nd4jOutput.isQuiet()).isFalse();
        f.print(NOISE);
        Nd4jOutput.quiet(true);
        f.print(NOISE);
        f.print("end");
        f.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(NOISE + "end");
    }

    @Test
    void installingTwiceWrapsSystemOutOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(Nd4jOutput.install()).isTrue();
        PrintStream first = System.out;
        assertThat(Nd4jOutput.isFilter(first)).isTrue();
        assertThat(Nd4jOutput.install()).isTrue();
        Nd4jOutput.quiet(true);
        assertThat(System.out).isSameAs(first);
        assertThat(Nd4jOutput.wrap(first)).isSameAs(first);
        System.out.print(NOISE);
        System.out.println("kept");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("kept" + System.lineSeparator());
    }

    @Test
    void theVerbosePropertyLeavesSystemOutAlone() {
        PrintStream plain = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(plain);
        Nd4jOutput.quiet(false);
        System.setProperty(Nd4jOutput.VERBOSE_PROPERTY, "true");
        assertThat(Nd4jOutput.install()).isFalse();
        assertThat(System.out).isSameAs(plain);
        System.setProperty(Nd4jOutput.VERBOSE_PROPERTY, "");   // -Dcoin.nd4j.verbose on its own
        assertThat(Nd4jOutput.install()).isFalse();
        System.setProperty(Nd4jOutput.VERBOSE_PROPERTY, "false");
        assertThat(Nd4jOutput.install()).isTrue();
        assertThat(Nd4jOutput.isFilter(System.out)).isTrue();
    }

    @Test
    void aBadVerboseValueNamesThePropertyTheValueAndTheChoices() {
        System.setProperty(Nd4jOutput.VERBOSE_PROPERTY, "yes");
        assertThatThrownBy(Nd4jOutput::install).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Nd4jOutput.VERBOSE_PROPERTY).hasMessageContaining("'yes'")
                .hasMessageContaining("true").hasMessageContaining("false");
    }

    @Test
    void linesFromManyThreadsStayWholeAndOnlyTheNoiseGoes() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream f = Nd4jOutput.wrap(new PrintStream(out, false, StandardCharsets.UTF_8));
        int threads = 6;
        int lines = 400;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < lines; i++) {
                    f.println("Added differentiated op t" + id + "_" + i);
                    f.println("thread " + id + " line " + i);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        f.flush();
        List<String> got = Arrays.asList(out.toString(StandardCharsets.UTF_8).split(System.lineSeparator()));
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < lines; i++) {
                expected.add("thread " + t + " line " + i);
            }
        }
        assertThat(got).hasSize(threads * lines);
        assertThat(new HashSet<>(got)).isEqualTo(expected);
    }
}
