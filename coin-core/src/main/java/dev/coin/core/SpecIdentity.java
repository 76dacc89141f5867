package dev.coin.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.internal.Json;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;

/**
 * The structured identity of a spec (a network, a loss term, an optimiser): its type and its parameters, as plain
 * values that JSON can hold. Derived by reflection, so that a user's own record or class needs neither
 * {@code toString()} nor {@code equals()} to be checkpointed, resumed and recorded in provenance:
 * <ul>
 *   <li>records: their components, in declaration order;</li>
 *   <li>other classes: their instance fields (superclass fields first), excluding static and transient ones;</li>
 *   <li>enums: their name; numbers, booleans, strings: themselves; arrays and collections: lists (a sorted set keeps
 *       its order; any other set is sorted by the JSON text of its elements), summarised by length (and an array's
 *       content hash) beyond 256 elements; maps: maps;</li>
 *   <li>functions (lambdas, method references) read as a {@code function} identity: the class that defines them,
 *       a fingerprint of that class's bytecode (SHA-256 of its class file, so editing any code of that class changes
 *       it; {@code "unreadable"} where no class file exists, e.g. in JShell) and the values it captured. A changed
 *       derivation therefore stops a resume instead of going unnoticed; a record holding the parameters is still
 *       the clearer identity for a custom input or term.</li>
 * </ul>
 *
 * @param type       the class name (fully qualified for classes outside the library, simple for the library's own)
 * @param parameters parameter name → value (numbers, strings, booleans, lists, maps or nested identities)
 */
public record SpecIdentity(String type, Map<String, Object> parameters) {
    private static final int MAX_DEPTH = 12;
    /** Arrays and collections longer than this are data rather than settings, and are summarised. */
    private static final int MAX_ELEMENTS = 256;

    public SpecIdentity {
        Objects.requireNonNull(type, "type");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The identity of {@code spec} (a record, a class with fields, or a value). */
    public static SpecIdentity of(Object spec) {
        Objects.requireNonNull(spec, "spec");
        Object v = value(spec, 0);
        if (v instanceof SpecIdentity s) {
            return s;
        }
        return new SpecIdentity(typeName(spec.getClass()), Map.of("value", v));
    }

    /** This identity as a JSON tree (what checkpoints and provenance store). */
    public JsonNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    static Object value(Object o, int depth) {
        if (o == null || o instanceof Number || o instanceof Boolean || o instanceof String) {
            return o;
        }
        if (o instanceof Character || o instanceof Path || o instanceof Class<?>) {
            return o instanceof Class<?> c ? c.getName() : o.toString();
        }
        if (o instanceof Enum<?> e) {
            return e.name();
        }
        if (o instanceof SpecIdentity s) {
            return s;
        }
        if (depth > MAX_DEPTH) {
            return String.valueOf(o);
        }
        Class<?> c = o.getClass();
        if (c.isArray() && Array.getLength(o) > MAX_ELEMENTS) {
            // data, not settings (e.g. an image captured by a function): named by size and content hash
            return "<" + Array.getLength(o) + " " + c.getComponentType().getSimpleName() + " values, hash "
                    + java.util.Objects.hash(java.util.Arrays.deepHashCode(new Object[] {o})) + ">";
        }
        if (o instanceof Collection<?> big && big.size() > MAX_ELEMENTS) {
            return "<" + big.size() + " elements of " + c.getSimpleName() + ">";
        }
        if (c.isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(o); i++) {
                l.add(value(Array.get(o, i), depth + 1));
            }
            return l;
        }
        if (o instanceof Collection<?> col) {
            List<Object> l = new ArrayList<>();
            for (Object e : col) {
                l.add(value(e, depth + 1));
            }
            if (o instanceof java.util.Set<?> && !(o instanceof SortedSet<?>)
                    && !(o instanceof java.util.LinkedHashSet<?>)) {
                l.sort(java.util.Comparator.comparing(x -> Json.MAPPER.valueToTree(x).toString()));
            }
            return l;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), value(v, depth + 1)));
            return out;
        }
        if (c.isSynthetic() || c.getName().contains("$$Lambda")) {
            return function(o, c, depth);
        }
        String pkg = c.getPackageName();
        if (pkg.startsWith("java.") || pkg.startsWith("org.nd4j") || pkg.startsWith("com.fasterxml")) {
            return String.valueOf(o); // library values without inspectable state of interest
        }
        Map<String, Object> params = new LinkedHashMap<>();
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                params.put(rc.getName(), value(read(rc, o), depth + 1));
            }
        } else {
            List<Class<?>> chain = new ArrayList<>();
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                chain.add(0, k);
            }
            for (Class<?> k : chain) {
                for (Field f : k.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) {
                        continue;
                    }
                    params.putIfAbsent(f.getName(), value(read(f, o), depth + 1));
                }
            }
        }
        return new SpecIdentity(typeName(c), params);
    }

    /** A lambda's identity: where it is defined, that class's bytecode fingerprint, and what it captured. */
    private static SpecIdentity function(Object o, Class<?> c, int depth) {
        String name = c.getName();
        int cut = name.indexOf("$$Lambda");
        String owner = cut > 0 ? name.substring(0, cut) : name;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("definedIn", owner);
        params.put("code", classFingerprint(c.getClassLoader(), owner));
        List<Object> captured = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                captured.add(value(read(f, o), depth + 1));
            }
        }
        params.put("captured", captured);
        return new SpecIdentity("function", params);
    }

    private static String classFingerprint(ClassLoader loader, String className) {
        String resource = className.replace('.', '/') + ".class";
        try (java.io.InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return "unreadable";
            }
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return "sha256:" + java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    private static Object read(RecordComponent rc, Object o) {
        try {
            java.lang.reflect.Method m = rc.getAccessor();
            m.setAccessible(true);
            return m.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "<unreadable: " + e.getClass().getSimpleName() + ">";
        }
    }

    private static Object read(Field f, Object o) {
        try {
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "<unreadable: " + e.getClass().getSimpleName() + ">";
        }
    }

    private static String typeName(Class<?> c) {
        String n = c.getName();
        return n.startsWith("dev.coin.") ? n.substring(n.lastIndexOf('.') + 1) : n;
    }

    /**
     * The paths where two JSON trees differ ({@code generator.parameters.upsample: NEAREST → BILINEAR}), at most
     * {@code limit} of them; empty when they are equal.
     */
    public static List<String> differences(JsonNode a, JsonNode b, int limit) {
        List<String> out = new ArrayList<>();
        diff("", a, b, out, limit);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out, int limit) {
        if (out.size() >= limit || Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.Set<String> keys = new java.util.LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String p = path.isEmpty() ? k : path + "." + k;
                diff(p.replace(".parameters.", ".").replaceFirst("^parameters\\.", ""), a.get(k), b.get(k), out, limit);
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size() && !leafArray(a)) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            for (int i = 0; ia.hasNext(); i++) {
                diff(path + "[" + i + "]", ia.next(), ib.next(), out, limit);
            }
            return;
        }
        out.add((path.isEmpty() ? "<root>" : path) + ": " + (a == null ? "<absent>" : a) + " → "
                + (b == null ? "<absent>" : b));
    }

    private static boolean leafArray(JsonNode a) {
        for (JsonNode n : a) {
            if (n.isContainerNode()) {
                return false;
            }
        }
        return true;
    }
}
