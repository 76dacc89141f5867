package dev.coin.examples.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * javac has no lint for unused imports, so this test is it: every single-type and single-static import of every
 * module's main and test sources must be used somewhere else in its file, in code or in a comment (a javadoc
 * {@code {@link X}} counts). A use only as a qualified name ({@code a.b.X}) does not: that needs no import.
 * Wildcard imports are not checked.
 */
class UnusedImportsTest {
    @Test
    void everyImportIsUsed() {
        Path root = SourceTree.root();
        List<String> unused = new ArrayList<>();
        int files = 0;
        for (String module : SourceTree.MODULES) {
            for (String set : List.of("src/main/java", "src/test/java")) {
                for (SourceTree.SourceFile f : SourceTree.read(root.resolve(module).resolve(set))) {
                    String relative = root.relativize(f.file()).toString().replace('\\', '/');
                    files++;
                    unusedImports(f).forEach(i -> unused.add(relative + ":" + i.line() + "  " + i.text()));
                }
            }
        }
        assertThat(files).as("source files read").isGreaterThan(100);
        assertThat(unused).as("imports whose simple name the file never uses (remove them):\n"
                + String.join("\n", unused)).isEmpty();
    }

    /** The single-type and single-static imports of {@code f} whose simple name appears nowhere else in it. */
    static List<SourceTree.Import> unusedImports(SourceTree.SourceFile f) {
        List<String> lines = new ArrayList<>(f.lines());
        for (SourceTree.Import i : f.imports()) {
            lines.set(i.line() - 1, ""); // an import does not use itself, nor another import of the same name
        }
        String rest = String.join("\n", lines).replaceFirst("(?m)^\\s*package\\s+[\\w.]+\\s*;", "");
        List<SourceTree.Import> out = new ArrayList<>();
        for (SourceTree.Import i : f.imports()) {
            if (i.wildcard()) {
                continue;
            }
            Pattern use = Pattern.compile("(?<![\\w$.])" + Pattern.quote(i.simpleName()) + "(?![\\w$])");
            if (!use.matcher(rest).find()) {
                out.add(i);
            }
        }
        return out;
    }
}
