package dev.coin.core.nn.io;

import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Import and export of a {@link ParameterStore} as the reference PyTorch {@code state_dict}, keyed exactly by the
 * reference names ({@code enc.…}, {@code gen.…}, {@code disc.…}) so that an npz written by
 * {@code np.savez(f, **{k: v.numpy() for k, v in sd.items()})} maps one-to-one.
 *
 * <p>Layout mapping (store ↔ reference):
 * <ul>
 *   <li>{@link ParameterKind#CONV_WEIGHT}: {@code [kH,kW,in,out]} ↔ PyTorch {@code [out,in,kH,kW]}
 *       (permutation (3,2,0,1) on export, (2,3,1,0) on import)</li>
 *   <li>{@link ParameterKind#LINEAR_WEIGHT}: {@code [in,out]} ↔ {@code [out,in]} (transpose)</li>
 *   <li>{@link ParameterKind#COUNTER} ({@code num_batches_tracked}): INT64 scalar ↔ 0-d int64 (export); import
 *       also accepts shape (1,), which the test vectors use because ND4J's own npz reader rejects 0-d arrays</li>
 *   <li>everything else (biases, BN γ/β/running stats, embedding tables, SN {@code u} of shape (1,out)): as is</li>
 * </ul>
 *
 * <pre>{@code
 * ParameterStore store = spec.initialise(DataType.FLOAT, 0L);
 * StateDict.load(store, Npz.read(path), "before:");   // keys "before:enc.first_block.0.weight", …
 * StateDict.save(store, Path.of("weights.npz"));
 * }</pre>
 */
public final class StateDict {
    private StateDict() {
    }

    /** The store as a reference-layout state_dict (new arrays, declaration order). */
    public static Map<String, INDArray> export(ParameterStore store) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParameterStore.Entry e : store.entries()) {
            out.put(e.name(), toReference(e.kind(), e.array()));
        }
        return out;
    }

    /** Writes {@link #export} to an npz file. */
    public static void save(ParameterStore store, Path file) throws IOException {
        Npz.write(file, export(store));
    }

    /** Reads an npz file and {@link #load(ParameterStore, Map, String) loads} it with no key prefix. */
    public static void load(ParameterStore store, Path file) throws IOException {
        load(store, Npz.read(file), "");
    }

    /**
     * Copies {@code arrays.get(keyPrefix + name)} into every store entry (in place, so graphs built on the store see
     * the new values). Every store entry must be present with the right shape; every array whose key starts with
     * {@code keyPrefix} and whose name starts with one of the store's network prefixes ({@code enc.}, {@code gen.},
     * {@code disc.}, …) must be used. Nothing is changed when a check fails.
     */
    public static void load(ParameterStore store, Map<String, INDArray> arrays, String keyPrefix) {
        List<String> missing = new ArrayList<>();
        List<String> badShape = new ArrayList<>();
        Map<ParameterStore.Entry, INDArray> converted = new LinkedHashMap<>();
        for (ParameterStore.Entry e : store.entries()) {
            INDArray ref = arrays.get(keyPrefix + e.name());
            if (ref == null) {
                missing.add(keyPrefix + e.name());
                continue;
            }
            INDArray local;
            try {
                local = fromReference(e.kind(), ref, e.array().dataType());
            } catch (IllegalArgumentException ex) {
                badShape.add(e.name() + " (" + ex.getMessage() + ")");
                continue;
            }
            if (!Arrays.equals(local.shape(), e.array().shape())) {
                badShape.add(e.name() + " (file " + Arrays.toString(ref.shape()) + " → " + Arrays.toString(local.shape())
                        + ", store " + Arrays.toString(e.array().shape()) + ")");
                continue;
            }
            converted.put(e, local);
        }
        List<String> unused = new ArrayList<>();
        List<String> roots = new ArrayList<>();
        for (ParameterStore.Entry e : store.entries()) {
            String root = e.name().substring(0, e.name().indexOf('.') + 1);
            if (!roots.contains(root)) {
                roots.add(root);
            }
        }
        for (String k : arrays.keySet()) {
            if (!k.startsWith(keyPrefix)) {
                continue;
            }
            String name = k.substring(keyPrefix.length());
            if (roots.stream().anyMatch(name::startsWith) && !store.contains(name)) {
                unused.add(k);
            }
        }
        if (!missing.isEmpty() || !badShape.isEmpty() || !unused.isEmpty()) {
            throw new IllegalArgumentException("state_dict does not match the network (is the spec the one that wrote it?): "
                    + (missing.isEmpty() ? "" : "missing " + missing + "; ")
                    + (badShape.isEmpty() ? "" : "wrong shape " + badShape + "; ")
                    + (unused.isEmpty() ? "" : "not in the network " + unused));
        }
        for (Map.Entry<ParameterStore.Entry, INDArray> c : converted.entrySet()) {
            c.getKey().array().assign(c.getValue());
        }
    }

    /** Store layout → reference layout (a new array). */
    public static INDArray toReference(ParameterKind kind, INDArray a) {
        switch (kind) {
            case CONV_WEIGHT:
                return a.permute(3, 2, 0, 1).dup('c');
            case LINEAR_WEIGHT:
                return a.transpose().dup('c');
            case COUNTER:
                return org.nd4j.linalg.factory.Nd4j.scalar(a.getLong(0));
            default:
                return a.dup('c');
        }
    }

    /** Reference layout → store layout (a new array of data type {@code dt}). */
    public static INDArray fromReference(ParameterKind kind, INDArray r, DataType dt) {
        switch (kind) {
            case CONV_WEIGHT:
                if (r.rank() != 4) {
                    throw new IllegalArgumentException("conv weight must be rank 4 (out,in,kH,kW), got " + Arrays.toString(r.shape()));
                }
                return r.permute(2, 3, 1, 0).dup('c').castTo(dt);
            case LINEAR_WEIGHT:
                if (r.rank() != 2) {
                    throw new IllegalArgumentException("linear weight must be rank 2 (out,in), got " + Arrays.toString(r.shape()));
                }
                return r.transpose().dup('c').castTo(dt);
            case COUNTER:
                if (r.length() != 1) {
                    throw new IllegalArgumentException("num_batches_tracked must hold one value, got shape " + Arrays.toString(r.shape()));
                }
                return org.nd4j.linalg.factory.Nd4j.scalar(r.getLong(0));
            default:
                return r.dup('c').castTo(dt);
        }
    }
}
