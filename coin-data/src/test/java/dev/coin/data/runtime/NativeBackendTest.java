package dev.coin.data.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NativeBackendTest {

    @Test
    void theOneDnnCpuBuildIsTheOneThatLoaded() {
        assumeTrue("cpu".equals(System.getProperty("coin.backend", "cpu")), "CPU profile only");
        NativeBackend.BackendInfo info = NativeBackend.describe();
        assertThat(info.backend()).isEqualTo("CPU");
        // The plain linux-x86_64 build reports "Generic x86" (binary level 0) and lives in a jar without "onednn".
        assertThat(info.nativeLibrary()).contains("nd4j-native-1.0.0-M2.1-linux-x86_64-onednn");
        assertThat(info.oneDnn()).isTrue();
        if (NativeBackend.cpuHasAvx2()) {
            assertThat(info.extension()).isEqualTo("-onednn-avx2");
            assertThat(info.binaryLevel()).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * The library itself must pick the oneDNN build when nobody set the property, and keep ND4J's gradient-graph
     * lines off System.out: checked in a fresh JVM.
     */
    @Test
    void aFreshJvmWithoutThePropertyGetsTheOneDnnBuildAndNoNd4jNoise() throws Exception {
        assumeTrue("cpu".equals(System.getProperty("coin.backend", "cpu")), "CPU profile only");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", DescribeMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("RESULT ").contains("onednn").doesNotContain("Generic x86")
                .contains("GRADIENT [2, 2]").doesNotContain(Nd4jOutput.NOISE_PREFIX);
    }

    /** Entry point of the child JVM above: describe() (which configures), then one gradient graph. */
    public static final class DescribeMain {
        public static void main(String[] args) {
            System.out.println("RESULT " + NativeBackend.describe());
            var sd = org.nd4j.autodiff.samediff.SameDiff.create();
            var w = sd.var("w", org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 2));
            sd.sum("loss", sd.math.tanh(w));
            sd.setLossVariables("loss");
            var g = sd.calculateGradients(java.util.Map.of(), "w").get("w");
            System.out.println("GRADIENT " + java.util.Arrays.toString(g.shape()));
        }
    }

    @Test
    void configureKeepsAValueTheUserSet() {
        String before = System.getProperty(NativeBackend.EXTENSION_PROPERTY);
        assertThat(NativeBackend.configure()).isEqualTo(before == null ? "" : before);
    }
}
