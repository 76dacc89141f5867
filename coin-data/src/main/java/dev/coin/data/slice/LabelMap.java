package dev.coin.data.slice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names the classes of a label volume: class name → label value(s), in mask-channel order. Every class becomes one
 * binary mask channel of a {@link Slice} ({@code label ∈ values}); label values not in the map belong to no
 * channel.
 *
 * <p>A class may own several label values, because datasets split what the model sees as one class: the
 * TotalSegmentator layout stores left and right kidney as separate structures, so one "kidney" channel is the
 * union of two values ({@link #TOTALSEGMENTATOR_KIDNEYS}). A value belongs to at most one class. For a
 * single-valued class {@link #value(String)} / {@link #valueAt(int)} work as before; for a multi-valued class they
 * refuse (picking one value would silently drop the others) and {@link #values(String)} / {@link #valuesAt(int)}
 * give all of them.
 *
 * <p>Presets: {@link #TUH} (background 0, kidney 1, tumour 2, cyst 3 — the reference's four mask channels),
 * {@link #KITS19} (background 0, kidney 1, tumour 2), {@link #KITS23} (KiTS21/23: background 0, kidney 1,
 * tumour 2, cyst 3), {@link #KIDNEY_ONLY} (background 0, kidney 1: the TotalSegmentator / nnU-Net kidney
 * predictions behind the synthetic data), {@link #TOTALSEGMENTATOR_KIDNEYS} (background 0, kidney 1 | 2).
 *
 * <pre>{@code
 * LabelMap m = LabelMap.builder("mine").put("background", 0).put("kidney", 3).put("tumour", 7).build();
 * LabelMap lr = LabelMap.builder("left/right").put("background", 0).put("kidney", 1, 2).build();
 * int tumour = LabelMap.TUH.value(LabelMap.TUMOUR);   // 2
 * int[] kidney = lr.values(LabelMap.KIDNEY);          // {1, 2}
 * }</pre>
 */
public final class LabelMap {
    public static final String BACKGROUND = "background";
    public static final String KIDNEY = "kidney";
    public static final String TUMOUR = "tumour";
    public static final String CYST = "cyst";

    /** TUH kidney CT: 0 background, 1 kidney, 2 tumour (malignant), 3 cyst (benign). */
    public static final LabelMap TUH = builder("TUH").put(BACKGROUND, 0).put(KIDNEY, 1).put(TUMOUR, 2).put(CYST, 3)
            .build();
    /** KiTS19: 0 background, 1 kidney, 2 tumour. */
    public static final LabelMap KITS19 = builder("KiTS19").put(BACKGROUND, 0).put(KIDNEY, 1).put(TUMOUR, 2).build();
    /** KiTS21 / KiTS23: 0 background, 1 kidney, 2 tumour, 3 cyst. */
    public static final LabelMap KITS23 = builder("KiTS23").put(BACKGROUND, 0).put(KIDNEY, 1).put(TUMOUR, 2)
            .put(CYST, 3).build();
    /** A single kidney mask (TotalSegmentator-style kidney predictions): 0 background, 1 kidney. */
    public static final LabelMap KIDNEY_ONLY = builder("kidney-only").put(BACKGROUND, 0).put(KIDNEY, 1).build();
    /**
     * The label volume the TotalSegmentator layout assembles from its structure files: 0 background,
     * 1 {@code kidney_left}, 2 {@code kidney_right}, both in the one "kidney" class.
     */
    public static final LabelMap TOTALSEGMENTATOR_KIDNEYS = builder("TotalSegmentator kidneys").put(BACKGROUND, 0)
            .put(KIDNEY, 1, 2).build();

    private final String name;
    private final List<String> names;
    private final int[][] values;
    private final int[] ignored;

    private LabelMap(String name, Map<String, int[]> classes, int[] ignored) {
        this.name = name;
        this.names = List.copyOf(classes.keySet());
        this.values = classes.values().stream().map(int[]::clone).toArray(int[][]::new);
        this.ignored = ignored.clone();
    }

    /** A builder for a map called {@code name} (used in messages and {@link #toString()}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        for (int c = 0; c < values.length; c++) {
            b.putAll(names.get(c), values[c]);
        }
        return ignored.length == 0 ? b : b.ignore(ignored);
    }

    public String name() {
        return name;
    }

    /** Class names in mask-channel order. */
    public List<String> channelNames() {
        return names;
    }

    public int channelCount() {
        return values.length;
    }

    /**
     * The label value of channel {@code c}.
     *
     * @throws IllegalStateException if the channel's class has several values (use {@link #valuesAt(int)})
     */
    public int valueAt(int channel) {
        return single(channel);
    }

    /** All label values of channel {@code c}, ascending as given to the builder (a copy). */
    public int[] valuesAt(int channel) {
        return values[channel].clone();
    }

    /** Whether {@code labelValue} belongs to channel {@code c}. */
    public boolean channelHas(int channel, int labelValue) {
        for (int v : values[channel]) {
            if (v == labelValue) {
                return true;
            }
        }
        return false;
    }

    /** The channel that owns {@code labelValue}, or −1 when no class does. */
    public int channelOf(int labelValue) {
        for (int c = 0; c < values.length; c++) {
            if (channelHas(c, labelValue)) {
                return c;
            }
        }
        return -1;
    }

    public boolean has(String className) {
        return names.contains(className);
    }

    /**
     * The label value of a class.
     *
     * @throws IllegalArgumentException naming the known classes if {@code className} is not one of them
     */
    public int value(String className) {
        return single(channelIndex(className));
    }

    /**
     * All label values of a class (a copy; one entry for a single-valued class).
     *
     * @throws IllegalArgumentException naming the known classes if {@code className} is not one of them
     */
    public int[] values(String className) {
        return values[channelIndex(className)].clone();
    }

    /**
     * The mask channel of a class.
     *
     * @throws IllegalArgumentException naming the known classes if {@code className} is not one of them
     */
    public int channelIndex(String className) {
        int c = names.indexOf(className);
        if (c < 0) {
            throw new IllegalArgumentException("label map " + name + " has no class '" + className + "'; its classes are "
                    + names);
        }
        return c;
    }

    private int single(int channel) {
        int[] v = values[channel];
        if (v.length != 1) {
            throw new IllegalStateException("class '" + names.get(channel) + "' of label map " + name + " has "
                    + v.length + " label values " + Arrays.toString(v) + "; use values(\"" + names.get(channel)
                    + "\") or valuesAt(" + channel + ") to get all of them");
        }
        return v[0];
    }

    /**
     * Label values the data holds on purpose that belong to no class (ascending; a copy): the slicer counts them in no
     * mask channel and, unlike values the map does not know, does not warn about them. See {@link Builder#ignore}.
     */
    public int[] ignoredValues() {
        return ignored.clone();
    }

    /** The largest label value in the map (ignored values not counted). */
    public int maxValue() {
        int m = 0;
        for (int[] vs : values) {
            for (int v : vs) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap m && m.name.equals(name) && m.names.equals(names)
                && Arrays.deepEquals(m.values, values) && Arrays.equals(m.ignored, ignored);
    }

    @Override
    public int hashCode() {
        return (Objects.hash(name, names) * 31 + Arrays.deepHashCode(values)) * 31 + Arrays.hashCode(ignored);
    }

    /**
     * E.g. {@code LabelMap[TUH: background=0, kidney=1, tumour=2, cyst=3]}; several values read {@code kidney=1|2};
     * ignored values follow as {@code ; ignored 3}.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < values.length; c++) {
            StringBuilder sb = new StringBuilder(names.get(c)).append('=');
            for (int i = 0; i < values[c].length; i++) {
                sb.append(i == 0 ? "" : "|").append(values[c][i]);
            }
            parts.add(sb.toString());
        }
        String ign = ignored.length == 0 ? "" : "; ignored " + Arrays.stream(ignored).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining("|"));
        return "LabelMap[" + name + ": " + String.join(", ", parts) + ign + "]";
    }

    /** Collects classes in channel order; names must be unique and each value may belong to one class only. */
    public static final class Builder {
        private final String name;
        private final Map<String, int[]> classes = new LinkedHashMap<>();
        private final java.util.TreeSet<Integer> ignored = new java.util.TreeSet<>();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("label map name must be non-blank, got '" + name + "'");
            }
            this.name = name;
        }

        /** Adds a class with one label value as the next mask channel. */
        public Builder put(String className, int value) {
            return putAll(className, new int[] {value});
        }

        /**
         * Adds a class owning several label values (its mask is their union) as the next mask channel, e.g.
         * {@code put("kidney", 1, 2)} for left and right kidney.
         */
        public Builder put(String className, int first, int... more) {
            int[] all = new int[more.length + 1];
            all[0] = first;
            System.arraycopy(more, 0, all, 1, more.length);
            return putAll(className, all);
        }

        private Builder putAll(String className, int[] vals) {
            if (className == null || className.isBlank()) {
                throw new IllegalArgumentException("class name must be non-blank, got '" + className + "'");
            }
            if (classes.containsKey(className)) {
                throw new IllegalArgumentException("class '" + className + "' is already in label map " + name
                        + " (values " + Arrays.toString(classes.get(className)) + "); use a different name, or give "
                        + "all its values in one put(name, value, more...)");
            }
            for (int i = 0; i < vals.length; i++) {
                int value = vals[i];
                if (value < 0) {
                    throw new IllegalArgumentException("label value of class '" + className + "' must be >= 0, got "
                            + value);
                }
                for (int j = 0; j < i; j++) {
                    if (vals[j] == value) {
                        throw new IllegalArgumentException("label value " + value + " is given twice for class '"
                                + className + "' in label map " + name + "; list each value once");
                    }
                }
                for (Map.Entry<String, int[]> e : classes.entrySet()) {
                    for (int v : e.getValue()) {
                        if (v == value) {
                            throw new IllegalArgumentException("label value " + value + " of class '" + className
                                    + "' is already used by class '" + e.getKey() + "' in label map " + name
                                    + "; each value names one class");
                        }
                    }
                }
            }
            classes.put(className, vals.clone());
            return this;
        }

        /**
         * Label values the data holds on purpose but no class owns, e.g. the phantom's cysts (3) under a kidney-only
         * map: their voxels belong to no mask channel, as any unmapped value's, but the slicer does not warn about
         * them. A value may not be both ignored and owned by a class.
         */
        public Builder ignore(int... values) {
            for (int v : values) {
                if (v < 0) {
                    throw new IllegalArgumentException("ignored label value must be >= 0, got " + v + " in label map "
                            + name);
                }
                ignored.add(v);
            }
            return this;
        }

        public LabelMap build() {
            if (classes.isEmpty()) {
                throw new IllegalArgumentException("label map " + name + " needs at least one class; call put(name, value)");
            }
            for (Map.Entry<String, int[]> e : classes.entrySet()) {
                for (int v : e.getValue()) {
                    if (ignored.contains(v)) {
                        throw new IllegalArgumentException("label value " + v + " is owned by class '" + e.getKey()
                                + "' and also ignored in label map " + name + "; remove it from ignore(...)");
                    }
                }
            }
            return new LabelMap(name, Collections.unmodifiableMap(new LinkedHashMap<>(classes)),
                    ignored.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
