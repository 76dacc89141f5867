package dev.coin.examples.arch;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependencies of one module, from two sources at once: the {@code import} lines of its
 * {@code src/main/java} files (an import used only by javadoc counts: it still makes the sources depend on the
 * package) and the classes its compiled {@code target/classes} refer to (read from each class file's constant
 * pool). Every edge keeps the lines that made it, so a cycle is reported with the files and imports to change.
 */
final class PackageGraph {
    /** A type named in a descriptor or generic signature: {@code Ldev/coin/x/Y;} or {@code Ldev/coin/x/Y<...>;}. */
    private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L(dev/coin/[\\w/$]+)[;<]");

    private final String module;
    private final Set<String> packages = new TreeSet<>();
    /** from package → to package → the reasons (import lines, class references), in the order found. */
    private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

    private PackageGraph(String module) {
        this.module = module;
    }

    /** The graph of {@code root/module}: its main sources and, when {@code withClasses}, its compiled classes. */
    static PackageGraph of(Path root, String module, boolean withClasses) {
        PackageGraph g = new PackageGraph(module);
        Path sources = root.resolve(module).resolve("src/main/java");
        List<SourceTree.SourceFile> files = SourceTree.read(sources);
        files.forEach(f -> g.packages.add(f.packageName()));
        for (SourceTree.SourceFile f : files) {
            for (SourceTree.Import imp : f.imports()) {
                g.add(f.packageName(), imp.targetPackage(),
                        "source " + root.relativize(f.file()) + ":" + imp.line() + "  " + imp.text());
            }
        }
        if (withClasses) {
            Path classes = root.resolve(module).resolve("target/classes");
            if (!Files.isDirectory(classes)) {
                throw new IllegalStateException(classes + " does not exist: compile " + module + " first");
            }
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path c : walk.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String name = classes.relativize(c).toString().replace('\\', '/').replaceAll("\\.class$", "");
                    String from = packageOf(name);
                    g.packages.add(from);
                    for (String ref : referencedClasses(c)) {
                        g.add(from, packageOf(ref), "class " + name.replace('/', '.') + " refers to "
                                + ref.replace('/', '.'));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return g;
    }

    int packageCount() {
        return packages.size();
    }

    private static String packageOf(String binaryName) {
        int slash = binaryName.lastIndexOf('/');
        return slash < 0 ? "" : binaryName.substring(0, slash).replace('/', '.');
    }

    private void add(String from, String to, String reason) {
        if (from.equals(to)) {
            return;
        }
        edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new LinkedHashSet<>()).add(reason);
    }

    /** Edges to packages of this module only (a module cannot be in a cycle with another: Maven forbids it). */
    private Set<String> targets(String from) {
        Set<String> out = new TreeSet<>(edges.getOrDefault(from, Map.of()).keySet());
        out.retainAll(packages);
        return out;
    }

    /**
     * One message per cycle of packages (per strongly connected component: its shortest cycle, each step with up
     * to four lines that make it); empty when the packages are free of cycles.
     */
    List<String> cycles() {
        List<String> messages = new ArrayList<>();
        for (Set<String> component : stronglyConnected()) {
            if (component.size() < 2) {
                continue;
            }
            List<String> cycle = shortestCycle(component);
            StringBuilder m = new StringBuilder("package cycle in " + module + ": " + String.join(" -> ", cycle));
            if (component.size() > cycle.size() - 1) {
                m.append("\n  (the cycle's packages: ").append(String.join(", ", component)).append(')');
            }
            for (int i = 0; i + 1 < cycle.size(); i++) {
                Set<String> reasons = edges.get(cycle.get(i)).get(cycle.get(i + 1));
                m.append("\n  ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(':');
                reasons.stream().sorted((a, b) -> Boolean.compare(!a.startsWith("source"), !b.startsWith("source")))
                        .limit(4).forEach(r -> m.append("\n      ").append(r));
                if (reasons.size() > 4) {
                    m.append("\n      ... and ").append(reasons.size() - 4).append(" more");
                }
            }
            messages.add(m.toString());
        }
        return messages;
    }

    /** Tarjan's algorithm, iterative enough for a few dozen packages (recursion depth = package count). */
    private List<Set<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String p : packages) {
            if (!index.containsKey(p)) {
                strongConnect(p, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : targets(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    /** The shortest cycle inside a component, as {@code a, b, ..., a}; ties go to the alphabetically first start. */
    private List<String> shortestCycle(Set<String> component) {
        List<String> best = null;
        for (String start : component) {
            Map<String, String> parent = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            String last = null;
            search:
            while (!queue.isEmpty()) {
                String v = queue.poll();
                for (String w : targets(v)) {
                    if (!component.contains(w)) {
                        continue;
                    }
                    if (w.equals(start)) {
                        last = v;
                        break search;
                    }
                    if (!parent.containsKey(w)) {
                        parent.put(w, v);
                        queue.add(w);
                    }
                }
            }
            List<String> path = new ArrayList<>();
            path.add(start);
            for (String v = last; v != null && !v.equals(start); v = parent.get(v)) {
                path.add(1, v);
            }
            path.add(start);
            if (best == null || path.size() < best.size()) {
                best = path;
            }
        }
        return best;
    }

    /** The binary names of the {@code dev/coin/...} classes a class file refers to, from its constant pool. */
    static Set<String> referencedClasses(Path classFile) {
        Set<String> out = new TreeSet<>();
        try (InputStream in = Files.newInputStream(classFile);
                DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
            if (data.readInt() != 0xCAFEBABE) {
                throw new IllegalStateException(classFile + " is not a class file");
            }
            data.readUnsignedShort(); // minor
            data.readUnsignedShort(); // major
            int count = data.readUnsignedShort();
            String[] utf8 = new String[count];
            List<Integer> classNames = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = data.readUTF();
                    case 7 -> classNames.add(data.readUnsignedShort());
                    case 8, 16, 19, 20 -> data.readUnsignedShort();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.readInt();
                    case 15 -> {
                        data.readUnsignedByte();
                        data.readUnsignedShort();
                    }
                    case 5, 6 -> {
                        data.readLong();
                        i++; // takes two slots
                    }
                    default -> throw new IllegalStateException(classFile + ": constant pool tag " + tag);
                }
            }
            for (int idx : classNames) {
                String name = utf8[idx];
                if (name.startsWith("[")) {
                    Matcher m = DESCRIPTOR_TYPE.matcher(name);
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                } else if (name.startsWith("dev/coin/")) {
                    out.add(name);
                }
            }
            for (String s : utf8) {
                if (s != null && s.contains("Ldev/coin/")) {
                    Matcher m = DESCRIPTOR_TYPE.matcher(s);
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
