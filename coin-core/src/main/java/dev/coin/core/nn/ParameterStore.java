package dev.coin.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every array of one or more networks — weights and state buffers — keyed by the reference PyTorch
 * {@code state_dict} name ({@code enc.blocks.0.right_branch.3.weight}, {@code disc.sn_dense.u}, …).
 *
 * <p>The arrays are held in the layout the SameDiff graph uses (see {@link ParameterKind}); graphs built with a
 * {@link GraphScope} reference these very arrays (no copies), so an optimiser step in one graph, a running-statistic
 * update or a power-iteration step is seen by every graph built on the same store. Insertion order is kept
 * (it is the order in which the networks declare their parameters, i.e. the reference module order).
 *
 * <pre>{@code
 * ParameterStore store = ParameterStore.create(DataType.FLOAT);
 * spec.declare(store, 42L);                    // allocates and initialises
 * INDArray w = store.array("gen.last_block.2.weight");
 * }</pre>
 */
public final class ParameterStore {
    /** One named array. */
    public record Entry(String name, ParameterKind kind, INDArray array) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(array, "array");
        }
    }

    private final DataType dataType;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ParameterStore(DataType dataType) {
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException("dataType " + dataType + " is not a floating-point type; use FLOAT or DOUBLE");
        }
        this.dataType = dataType;
    }

    /** An empty store whose floating-point arrays use {@code dataType} (FLOAT normally, DOUBLE for gradient checks). */
    public static ParameterStore create(DataType dataType) {
        return new ParameterStore(Objects.requireNonNull(dataType, "dataType"));
    }

    /** Floating-point type of the weights and statistics. */
    public DataType dataType() {
        return dataType;
    }

    /** Adds a new entry; the array is kept by reference. */
    public void add(String name, ParameterKind kind, INDArray array) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("parameter name '" + name + "' is declared twice; every module needs a unique prefix");
        }
        DataType expected = kind == ParameterKind.COUNTER ? DataType.INT64 : dataType;
        if (array.dataType() != expected) {
            throw new IllegalArgumentException("parameter '" + name + "' has data type " + array.dataType() + "; this store needs " + expected);
        }
        entries.put(name, new Entry(name, kind, array));
    }

    /** True when {@code name} is present. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The entry called {@code name}. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in this store (" + entries.size()
                    + " entries); declare the network into the store first or check the name");
        }
        return e;
    }

    /** The array called {@code name} (the live array, not a copy). */
    public INDArray array(String name) {
        return entry(name).array();
    }

    /** All entries in declaration order (unmodifiable). */
    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    /** Entries whose name starts with {@code prefix}, in declaration order. */
    public List<Entry> entriesWithPrefix(String prefix) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.name().startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Number of trainable scalars (weights, biases, BN γ/β, embeddings; no running stats, counters or SN vectors). */
    public long trainableParameterCount() {
        long n = 0;
        for (Entry e : entries.values()) {
            if (e.kind().trainable()) {
                n += e.array().length();
            }
        }
        return n;
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** A deep copy (new arrays, same names, kinds and order). */
    public ParameterStore copy() {
        ParameterStore c = new ParameterStore(dataType);
        for (Entry e : entries.values()) {
            c.entries.put(e.name(), new Entry(e.name(), e.kind(), e.array().dup()));
        }
        return c;
    }

    @Override
    public String toString() {
        return "ParameterStore[" + dataType + ", " + entries.size() + " arrays, " + trainableParameterCount()
                + " trainable parameters]";
    }
}
