package dev.coin.data.slice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names the classes of a label volume: class name → label value, in mask-channel order. Every class becomes one
 * binary mask channel of a {@link Slice} ({@code label == value}); label values not in the map belong to no
 * channel.
 *
 * <p>Presets: {@link #TUH} (background 0, kidney 1, tumour 2, cyst 3 — the reference's four mask channels),
 * {@link #KITS19} (background 0, kidney 1, tumour 2), {@link #KIDNEY_ONLY} (background 0, kidney 1: the
 * TotalSegmentator / nnU-Net kidney predictions behind the synthetic data).
 *
 * <pre>{@code
 * LabelMap m = LabelMap.builder("mine").put("background", 0).put("kidney", 3).put("tumour", 7).build();
 * int tumour = LabelMap.TUH.value(LabelMap.TUMOUR);   // 2
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
    /** A single kidney mask (TotalSegmentator-style kidney predictions): 0 background, 1 kidney. */
    public static final LabelMap KIDNEY_ONLY = builder("kidney-only").put(BACKGROUND, 0).put(KIDNEY, 1).build();

    private final String name;
    private final List<String> names;
    private final int[] values;

    private LabelMap(String name, Map<String, Integer> classes) {
        this.name = name;
        this.names = List.copyOf(classes.keySet());
        this.values = classes.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** A builder for a map called {@code name} (used in messages and {@link #toString()}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        for (int c = 0; c < values.length; c++) {
            b.put(names.get(c), values[c]);
        }
        return b;
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

    /** Label value of channel {@code c}. */
    public int valueAt(int channel) {
        return values[channel];
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
        int c = names.indexOf(className);
        if (c < 0) {
            throw new IllegalArgumentException("label map " + name + " has no class '" + className + "'; its classes are "
                    + names);
        }
        return values[c];
    }

    /** The largest label value in the map. */
    public int maxValue() {
        int m = 0;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap m && m.name.equals(name) && m.names.equals(names)
                && java.util.Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, names) * 31 + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < values.length; c++) {
            parts.add(names.get(c) + "=" + values[c]);
        }
        return "LabelMap[" + name + ": " + String.join(", ", parts) + "]";
    }

    /** Collects classes in channel order; names and values must be unique. */
    public static final class Builder {
        private final String name;
        private final Map<String, Integer> classes = new LinkedHashMap<>();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("label map name must be non-blank, got '" + name + "'");
            }
            this.name = name;
        }

        /** Adds a class as the next mask channel. */
        public Builder put(String className, int value) {
            if (className == null || className.isBlank()) {
                throw new IllegalArgumentException("class name must be non-blank, got '" + className + "'");
            }
            if (value < 0) {
                throw new IllegalArgumentException("label value of class '" + className + "' must be >= 0, got "
                        + value);
            }
            if (classes.containsKey(className)) {
                throw new IllegalArgumentException("class '" + className + "' is already in label map " + name
                        + " (value " + classes.get(className) + "); use a different name");
            }
            if (classes.containsValue(value)) {
                throw new IllegalArgumentException("label value " + value + " of class '" + className
                        + "' is already used in label map " + name + " " + classes + "; each value names one class");
            }
            classes.put(className, value);
            return this;
        }

        public LabelMap build() {
            if (classes.isEmpty()) {
                throw new IllegalArgumentException("label map " + name + " needs at least one class; call put(name, value)");
            }
            return new LabelMap(name, Collections.unmodifiableMap(new LinkedHashMap<>(classes)));
        }
    }
}
