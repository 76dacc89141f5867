package dev.coin.data.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The filter against the real thing: ND4J's own gradient-graph lines on System.out. */
class Nd4jOutputSameDiffTest {

    /** Builds a tiny graph, prints a marker, computes its gradient; returns what reached System.out. */
    private static String gradientGraphOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(Nd4jOutput.wrap(new PrintStream(captured, true, StandardCharsets.UTF_8)));
        try {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
            SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 2));
            sd.sum("loss", sd.math.tanh(x.mmul(w)));
            sd.setLossVariables("loss");
            System.out.println("marker before gradients");
            var grads = sd.calculateGradients(Map.of("x", Nd4j.rand(DataType.FLOAT, 4, 3)), "w");
            assertThat(grads.get("w").shape()).containsExactly(3, 2);
            System.out.println("marker after gradients");
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ndFourJsGradientLinesAreDroppedAndOnlyThey() {
        NativeBackend.configure();
        boolean before = Nd4jOutput.isQuiet();
        try {
            Nd4jOutput.quiet(false);
            String verbose = gradientGraphOutput();
            // Without the filter ND4J really prints them (else this test would prove nothing).
            assertThat(verbose).contains(Nd4jOutput.NOISE_PREFIX);

            Nd4jOutput.quiet(true);
            String quiet = gradientGraphOutput();
            String nl = System.lineSeparator();
            assertThat(quiet).doesNotContain(Nd4jOutput.NOISE_PREFIX)
                    .isEqualTo(verbose.lines().filter(l -> !l.startsWith(Nd4jOutput.NOISE_PREFIX))
                            .map(l -> l + nl).reduce("", String::concat))
                    .contains("marker before gradients" + nl).endsWith("marker after gradients" + nl);
        } finally {
            Nd4jOutput.quiet(before);
        }
    }
}
