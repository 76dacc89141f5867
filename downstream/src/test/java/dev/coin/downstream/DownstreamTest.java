package dev.coin.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.model.classifier.ResNet18;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.runtime.Nd4jOutput;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The library as a dependency: the installed coin-core, only the backend this project's pom chose, one forward
 * pass through the public API. Uses ResNet18 (+ Spec), Classifier#probabilities/#logits (via ResNet18),
 * NativeBackend and Nd4jOutput.
 */
class DownstreamTest {

    @Test
    void aSmallResNet18RunsOnTheCpuBackendThisProjectChose() throws IOException {
        ResNet18 net = ResNet18.create(ResNet18.Spec.ofWidth(8), 42L);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 32, 32).muli(2).subi(1);   // a [1,1,32,32] slice in [-1, 1]

        INDArray p = net.probabilities(x);
        INDArray logits = net.logits(x);

        assertThat(p.shape()).containsExactly(1, 1);
        assertThat(logits.shape()).containsExactly(1, 1);
        assertThat(logits.getDouble(0)).isFinite();
        assertThat(p.getDouble(0)).isFinite().isBetween(0.0, 1.0);

        NativeBackend.BackendInfo info = NativeBackend.describe();
        assertThat(info.backend()).isEqualTo("CPU");
        assertThat(info.oneDnn()).as("%s", info).isTrue();
        assertThat(Nd4jOutput.isQuiet()).as("ND4J's gradient-graph noise is filtered by default").isTrue();
    }

    /** coin-core brings no backend of its own: the only ND4J natives are those this pom lists. */
    @Test
    void theLibraryDragsInNoBackend() throws IOException {
        List<String> backendJars = new ArrayList<>();
        for (URL u : Collections.list(getClass().getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
            String s = u.toString();          // jar:file:/…/name.jar!/META-INF/MANIFEST.MF
            int bang = s.indexOf("!/");
            if (bang < 0) {
                continue;                        // a classes folder, not a jar
            }
            String jar = s.substring(s.lastIndexOf('/', bang) + 1, bang);
            if (jar.startsWith("nd4j-native-1") || jar.startsWith("nd4j-cuda")) {
                backendJars.add(jar);
            }
        }
        // nd4j-native, its -Djavacpp.platform=linux-x86_64 natives, and the oneDNN/AVX2 classifier chosen above;
        // the parent build's test-scope fallback (linux-x86_64-onednn) must not leak.
        assertThat(backendJars).containsExactlyInAnyOrder("nd4j-native-1.0.0-M2.1.jar",
                "nd4j-native-1.0.0-M2.1-linux-x86_64.jar", "nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar");
    }
}
