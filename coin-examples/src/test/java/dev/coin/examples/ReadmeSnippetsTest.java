package dev.coin.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code java} blocks of README.md's "Using the library" section, in order and as written, as one script
 * through the JDK's real {@code jshell} (no start-up imports: the README's own import lines must be enough), in a
 * temporary working directory so that relative paths such as {@code data/synthetic} land there. The "Dataset layouts"
 * block runs on a small TotalSegmentator folder the test writes where the README looks, and the networks block of
 * "coin-core: networks on SameDiff" with the inputs it leaves to the reader (imports, {@code x}, {@code labels}, a
 * {@code state_dict.npz} of the same spec), each in its own jshell.
 *
 * <p>Conventions the README follows so that this works:
 * <ul>
 *   <li>A line break inside a statement comes after a {@code .} or {@code ,} (never before a leading {@code .}),
 *       because JShell runs a line as soon as it is a complete statement.</li>
 *   <li>A value comment is a single-line statement {@code expr;   // Type[...]}: the comment starts with a
 *       type-like name directly followed by {@code [} (e.g. {@code Slice[}, {@code Pipeline[}). The test runs that
 *       line as {@code System.out.println(MARKER + (expr))}, so {@code expr} is evaluated once, and checks the
 *       printed value: when the comment contains {@code ...} the value must start with the text before it,
 *       otherwise it must equal the comment exactly. Other comments are prose and not checked.</li>
 * </ul>
 * Any JShell error or exception, a non-zero exit or a time-out fails the test with the README block and line.
 */
class ReadmeSnippetsTest {
    static final String SECTION = "## Using the library";
    private static final Pattern VALUE_LINE = Pattern.compile("^(\\S.*?);\\s*// ([A-Z][A-Za-z0-9_.]*\\[.*)$");
    private static final String MARKER = "@@README-VALUE ";
    private static final int TIMEOUT_S = 300;

    /** One README line, where it came from, and what the test expects it to print (null: nothing checked). */
    record Line(int block, int lineInBlock, int readmeLine, String text, String expr, String expected) {
        String where() {
            return "README.md snippet " + block + " line " + lineInBlock + " (README line " + readmeLine + ")";
        }
    }

    static Path readme() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path p = module; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("coin-examples"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md next to coin-examples above " + module);
    }

    /** The java blocks of the section, in order, line by line. */
    static List<Line> snippetLines(List<String> readme) {
        List<Line> out = new ArrayList<>();
        boolean inSection = false;
        boolean inJava = false;
        int block = 0;
        int lineInBlock = 0;
        for (int i = 0; i < readme.size(); i++) {
            String l = readme.get(i);
            if (!inJava && l.startsWith("## ")) {
                inSection = l.strip().equals(SECTION);
                continue;
            }
            if (!inSection) {
                continue;
            }
            if (!inJava && l.startsWith("### ")) {
                inSection = false;   // the subsections (COIN in JShell, ...) are checked elsewhere or are prose
                continue;
            }
            if (!inJava && l.strip().equals("```java")) {
                inJava = true;
                block++;
                lineInBlock = 0;
                continue;
            }
            if (inJava && l.strip().equals("```")) {
                inJava = false;
                continue;
            }
            if (inJava) {
                lineInBlock++;
                Matcher m = VALUE_LINE.matcher(l);
                out.add(m.matches() ? new Line(block, lineInBlock, i + 1, l, m.group(1), m.group(2).strip())
                        : new Line(block, lineInBlock, i + 1, l, null, null));
            }
        }
        return out;
    }

    @Test
    void theSectionsBlocksAreFoundAndHaveValueComments() throws Exception {
        List<Line> lines = snippetLines(Files.readAllLines(readme(), StandardCharsets.UTF_8));
        assertThat(lines.stream().mapToInt(Line::block).max().orElse(0))
                .as("README.md section '%s' must hold the data-path and training java blocks", SECTION)
                .isGreaterThanOrEqualTo(2);
        assertThat(lines).as("README.md must show what val.get(0) prints as `val.get(0);   // Slice[...]`")
                .anyMatch(l -> "val.get(0)".equals(l.expr()) && l.expected().startsWith("Slice["));
        for (Line l : lines) {
            assertThat(l.text().stripLeading()).as("%s starts with '.'; JShell runs the line before it on its own. "
                    + "Break the line after the '.' instead; update README.md", l.where()).doesNotStartWith(".");
        }
    }

    @Test
    void readmeUsingTheLibrarySnippetsRunAsWritten(@TempDir Path tmp) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        if (!Files.isExecutable(jshell)) {
            fail("this test runs the JDK's jshell, but " + jshell + " is missing; run the build with a full JDK 17");
        }
        List<Line> lines = snippetLines(Files.readAllLines(readme(), StandardCharsets.UTF_8));
        List<Line> checked = lines.stream().filter(l -> l.expected() != null).toList();
        assertThat(checked).as("value comments in README.md").isNotEmpty();

        List<String> script = new ArrayList<>();
        for (Line l : lines) {
            if (l.expected() == null) {
                script.add(l.text());
            } else {
                int k = checked.indexOf(l);
                script.add("System.out.println(\"" + MARKER + k + " \" + (" + l.expr() + "));");
            }
        }
        script.add("System.out.println(\"" + MARKER + "end\");");
        script.add("/exit");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = tmp.resolve("readme.jsh");
        Files.write(file, script, StandardCharsets.UTF_8);
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("the test class path must name the library's classes").contains("coin-core");

        Path log = tmp.resolve("jshell.log");
        long started = System.nanoTime();
        Process proc = new ProcessBuilder(jshell.toString(), "--no-startup", "--class-path", classPath,
                file.toString()).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!proc.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("the README.md snippets did not finish within " + TIMEOUT_S + " s; make the sizes in README.md "
                    + "smaller. Output so far:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        System.out.printf("README snippets ran in %.1f s%n", (System.nanoTime() - started) / 1e9);
        List<String> outLines = out.lines().toList();
        for (int i = 0; i < outLines.size(); i++) {
            String o = outLines.get(i).strip();
            if (o.matches("^(\\|\\s+)?(Error:|Exception\\b).*") || o.contains("cannot find symbol")) {
                String context = String.join("\n", outLines.subList(i, Math.min(outLines.size(), i + 6)));
                fail("a README.md snippet failed in jshell: " + culprit(context, lines) + ":\n" + context
                        + "\nupdate README.md (section '" + SECTION + "') to the current API.\nFull output:\n" + out);
            }
        }
        assertThat(proc.exitValue()).as("jshell exit code; output:\n" + out).isZero();
        assertThat(outLines).as("jshell must reach the end of the README.md snippets; output:\n" + out)
                .contains(MARKER + "end");

        for (int k = 0; k < checked.size(); k++) {
            Line l = checked.get(k);
            String prefix = MARKER + k + " ";
            String value = outLines.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                    .findFirst().orElse(null);
            assertThat(value).as("%s (`%s`) printed nothing; output:\n%s", l.where(), l.expr(), out).isNotNull();
            int dots = l.expected().indexOf("...");
            if (dots >= 0) {
                assertThat(value).as("%s: `%s` prints\n  %s\nbut the README comment says\n  // %s\nupdate the "
                        + "comment in README.md", l.where(), l.expr(), value, l.expected())
                        .startsWith(l.expected().substring(0, dots));
            } else {
                assertThat(value).as("%s: `%s` prints\n  %s\nbut the README comment says\n  // %s\nupdate the "
                        + "comment in README.md", l.where(), l.expr(), value, l.expected())
                        .isEqualTo(l.expected());
            }
        }

        // what the snippets say they write
        for (String written : List.of("data/synthetic/synthetic.properties", "runs/coin/model/model.json",
                "runs/coin/metrics.csv", "runs/coin/loss-curves.png", "runs/coin/checkpoints/epoch-0001",
                "models/coin/model.json", "runs/report/summary.csv", "runs/report/summary.md",
                "runs/report/iou-boxplot.png")) {
            assertThat(work.resolve(written)).as("README.md snippets say they write %s (under the working directory "
                    + "%s); update README.md or the list in this test", written, work).exists();
        }
        assertThat(out).as("the README prints the evaluation table").contains("| COIN | fixed 0.25 |")
                .contains("| RISE |");
    }

    /** The java blocks under {@code heading} (a "## " or "### " line), up to the next heading of that level or above. */
    static List<Line> blocksUnder(List<String> readme, String heading) {
        int level = heading.indexOf(' ');
        List<Line> out = new ArrayList<>();
        boolean in = false;
        boolean inJava = false;
        int block = 0;
        int lineInBlock = 0;
        for (int i = 0; i < readme.size(); i++) {
            String l = readme.get(i);
            if (!inJava && l.startsWith("#")) {
                int h = l.indexOf(' ');
                if (l.strip().equals(heading)) {
                    in = true;
                    continue;
                }
                if (in && h > 0 && h <= level && l.substring(0, h).chars().allMatch(c -> c == '#')) {
                    in = false;
                }
                continue;
            }
            if (!in) {
                continue;
            }
            if (!inJava && l.strip().equals("```java")) {
                inJava = true;
                block++;
                lineInBlock = 0;
            } else if (inJava && l.strip().equals("```")) {
                inJava = false;
            } else if (inJava) {
                out.add(new Line(block, ++lineInBlock, i + 1, l, null, null));
            }
        }
        return out;
    }

    /**
     * Runs {@code prelude} (fixtures and imports the README leaves to the reader), the README lines and
     * {@code checks} as one jshell script in {@code work}; fails on any JShell error or exception and returns the
     * output.
     */
    static String runInJshell(Path tmp, String name, List<String> prelude, List<Line> lines, List<String> checks)
            throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        if (!Files.isExecutable(jshell)) {
            fail("this test runs the JDK's jshell, but " + jshell + " is missing; run the build with a full JDK 17");
        }
        List<String> script = new ArrayList<>(prelude);
        lines.forEach(l -> script.add(l.text()));
        script.addAll(checks);
        script.add("System.out.println(\"" + MARKER + "end\");");
        script.add("/exit");
        Path work = Files.createDirectories(tmp.resolve("work-" + name));
        Path file = tmp.resolve(name + ".jsh");
        Files.write(file, script, StandardCharsets.UTF_8);
        Path log = tmp.resolve(name + ".log");
        Process proc = new ProcessBuilder(jshell.toString(), "--no-startup", "-R-Dorg.bytedeco.javacpp.maxphysicalbytes=8G",
                "--class-path", System.getProperty("java.class.path"), file.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!proc.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("the README.md '" + name + "' snippets did not finish within " + TIMEOUT_S + " s:\n"
                    + Files.readString(log));
        }
        String out = Files.readString(log);
        List<String> outLines = out.lines().toList();
        for (int i = 0; i < outLines.size(); i++) {
            String o = outLines.get(i).strip();
            if (o.matches("^(\\|\\s+)?(Error:|Exception\\b).*") || o.contains("cannot find symbol")) {
                String context = String.join("\n", outLines.subList(i, Math.min(outLines.size(), i + 6)));
                fail("a README.md '" + name + "' snippet failed in jshell: " + culprit(context, lines) + ":\n"
                        + context + "\nupdate README.md to the current API.\nFull output:\n" + out);
            }
        }
        assertThat(proc.exitValue()).as("jshell exit code; output:\n" + out).isZero();
        assertThat(outLines).as("jshell must reach the end of the '%s' snippets; output:\n%s", name, out)
                .contains(MARKER + "end");
        return out;
    }

    @Test
    void readmeDatasetLayoutsSnippetRunsOnATotalSegmentatorFolder(@TempDir Path tmp) throws Exception {
        List<Line> lines = blocksUnder(Files.readAllLines(readme(), StandardCharsets.UTF_8), "### Dataset layouts");
        assertThat(lines).as("README.md's 'Dataset layouts' section must show a java block").isNotEmpty();
        // a small TotalSegmentator folder where the README looks for one: three healthy phantom scans
        List<String> prelude = List.of(
                "import dev.coin.data.dataset.*; import dev.coin.data.synth.*; import dev.coin.data.volume.*;",
                "import dev.coin.data.nifti.NiftiDataType; import java.nio.file.*;",
                "PhantomGenerator gen = PhantomGenerator.of(SyntheticDataset.defaultConfig().toBuilder().matrixSize(64)."
                        + "tumourFraction(0).cystFraction(0).build());",
                "for (int i = 0; i < 3; i++) { PhantomScan s = gen.generate(i); "
                        + "Path d = Path.of(\"data/Totalsegmentator_dataset\", String.format(\"s%04d\", i)); "
                        + "Files.createDirectories(d.resolve(\"segmentations\")); "
                        + "NiftiVolumes.write(s.image(), d.resolve(\"ct.nii.gz\"), NiftiDataType.INT16); "
                        + "float[] k = s.label().copyVoxels(); for (int v = 0; v < k.length; v++) k[v] = k[v] == 1 ? 1 : 0; "
                        + "NiftiVolumes.write(s.label().withVoxels(\"left\", k), "
                        + "d.resolve(\"segmentations/kidney_left.nii.gz\"), NiftiDataType.UINT8); "
                        + "NiftiVolumes.write(s.label().withVoxels(\"right\", new float[k.length]), "
                        + "d.resolve(\"segmentations/kidney_right.nii.gz\"), NiftiDataType.UINT8); }");
        String out = runInJshell(tmp, "dataset-layouts", prelude, lines, List.of(
                "System.out.println(\"" + MARKER + "slices \" + (ds.train().size() + ds.validation().size()));",
                "System.out.println(\"" + MARKER + "labels \" + ds.sliceConfig().labelMap());"));
        assertThat(out).contains(MARKER + "labels LabelMap[TotalSegmentator kidneys");
        String slices = out.lines().filter(o -> o.startsWith(MARKER + "slices ")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(slices.substring((MARKER + "slices ").length()))).isPositive();
    }

    @Test
    void readmeNetworksSnippetRunsAndGivesACounterfactualOfTheInputsSize(@TempDir Path tmp) throws Exception {
        List<Line> lines = blocksUnder(Files.readAllLines(readme(), StandardCharsets.UTF_8),
                "## coin-core: networks on SameDiff");
        assertThat(lines).as("README.md's networks section must show a java block").isNotEmpty();
        // what the block takes from the reader: its imports, a batch x with its labels, a state_dict.npz to load
        List<String> prelude = List.of(
                "import dev.coin.core.model.*; import dev.coin.core.nn.*; import dev.coin.core.nn.io.*;",
                "import org.nd4j.autodiff.samediff.SameDiff; import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;",
                "import org.nd4j.linalg.api.buffer.DataType; import org.nd4j.linalg.api.ndarray.INDArray;",
                "import org.nd4j.linalg.factory.Nd4j; import java.nio.file.Path; import java.util.Map;",
                "INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 256, 256).muli(2).subi(1);",
                "INDArray labels = Nd4j.createFromArray(new int[] {0});",
                "StateDict.save(UNetPerturbation.withSkips(4).upsample(UpsampleKind.BILINEAR).build()."
                        + "initialise(DataType.FLOAT, 1L), Path.of(\"state_dict.npz\"));");
        String out = runInJshell(tmp, "networks", prelude, lines, List.of(
                "System.out.println(\"" + MARKER + "params \" + g.parameterCount());",
                "System.out.println(\"" + MARKER + "xcf \" + java.util.Arrays.toString(xcf.shape()));"));
        assertThat(out).contains(MARKER + "params 53106945").contains(MARKER + "xcf [1, 1, 256, 256]");
    }

    /** The README line whose snippet JShell echoes in {@code context}, when it can be found. */
    private static String culprit(String context, List<Line> lines) {
        for (String c : context.lines().toList()) {
            String s = c.strip();
            if (s.length() < 8) {
                continue;
            }
            for (Line l : lines) {
                if (l.text().strip().equals(s) || (l.expr() != null && s.contains(l.expr()))) {
                    return l.where();
                }
            }
        }
        return "see the jshell output";
    }
}
