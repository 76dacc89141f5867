package dev.coin.examples.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * No module's packages depend on each other in a circle, read both from the compiled classes and from the source
 * files' {@code import} lines: an import used only by a javadoc {@code {@link}} is a source-level dependency the
 * class files do not show, and it counts. coin-core's {@code ArchitectureTest} adds the direction of its layers.
 */
class PackageCyclesTest {
    static final List<String> MODULES = SourceTree.MODULES;

    @ParameterizedTest
    @FieldSource("MODULES")
    void packagesAreFreeOfCycles(String module) {
        Path root = SourceTree.root();
        PackageGraph graph = PackageGraph.of(root, module, true);
        assertThat(graph.packageCount()).as("packages found in " + module).isPositive();
        List<String> cycles = graph.cycles();
        assertThat(cycles).as("package cycles in " + module + ":\n" + String.join("\n\n", cycles)).isEmpty();
    }
}
