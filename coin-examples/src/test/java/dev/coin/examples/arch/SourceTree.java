package dev.coin.examples.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java sources of the project's modules, read as text: where the repository is, each file's package and its
 * {@code import} lines (with line numbers). No parser library: package and import declarations are one line each
 * in this code base, and they all come before the first comment or declaration of a type.
 */
final class SourceTree {
    /** The library's modules whose packages are checked; coin-examples is the application on top of them. */
    static final List<String> MODULES = List.of("coin-data", "coin-losses", "coin-core", "coin-examples");

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;");
    /** After the package line, the first line that starts a comment, an annotation or a type ends the imports. */
    private static final Pattern END_OF_IMPORTS = Pattern.compile(
            "^\\s*(/\\*|//|@|public\\s|protected\\s|private\\s|final\\s|abstract\\s|sealed\\s|non-sealed\\s|class\\s"
                    + "|interface\\s|enum\\s|record\\s)");

    /** One {@code import} line: {@code name} is what follows {@code import [static]}, without {@code .*}. */
    record Import(Path file, int line, String text, boolean isStatic, boolean wildcard, String name) {
        /** The package the import names: its leading segments up to the first one that starts upper case. */
        String targetPackage() {
            String[] parts = name.split("\\.");
            StringBuilder pkg = new StringBuilder();
            for (String part : parts) {
                if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                    break;
                }
                if (pkg.length() > 0) {
                    pkg.append('.');
                }
                pkg.append(part);
            }
            return pkg.toString();
        }

        /** The simple name a single-type or single-static import brings into scope. */
        String simpleName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /** One source file: its path, package, lines, and import lines. */
    record SourceFile(Path file, String packageName, List<String> lines, List<Import> imports) {}

    private SourceTree() {}

    /** The repository root: the first folder upwards from the working directory with every module in it. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d;
            if (Files.isRegularFile(candidate.resolve("pom.xml"))
                    && MODULES.stream().allMatch(m -> Files.isDirectory(candidate.resolve(m)))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no folder above " + dir + " holds the modules " + MODULES);
    }

    /** Every {@code .java} file under {@code folder} (none when the folder does not exist), sorted by path. */
    static List<SourceFile> read(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            List<SourceFile> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                out.add(parse(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SourceFile parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String pkg = "";
        List<Import> imports = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher p = PACKAGE.matcher(line);
            if (pkg.isEmpty() && p.find()) {
                pkg = p.group(1);
                continue;
            }
            if (pkg.isEmpty()) {
                continue; // a licence or file comment before the package line
            }
            Matcher m = IMPORT.matcher(line);
            if (m.find()) {
                imports.add(new Import(file, i + 1, line.strip(), m.group(1) != null, m.group(3) != null, m.group(2)));
            } else if (END_OF_IMPORTS.matcher(line).find()) {
                break;
            }
        }
        return new SourceFile(file, pkg, List.copyOf(lines), List.copyOf(imports));
    }
}
