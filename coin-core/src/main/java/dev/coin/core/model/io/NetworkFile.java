package dev.coin.core.model.io;

import dev.coin.core.nn.io.StateDict;

import dev.coin.core.nn.io.Npz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Our own network file: a zip holding {@code network.json} (format version, data type and the generator and/or
 * discriminator spec) and {@code state.npz} (every array of the store — weights, BN running statistics and
 * counters, SN vectors — in the reference state_dict layout, see {@link StateDict}). Arrays are stored as raw
 * little-endian values, so save → load is bit-identical.
 *
 * <pre>{@code
 * NetworkFile.save(Path.of("coin.zip"), generator, discriminator, store);
 * NetworkFile.Saved s = NetworkFile.load(Path.of("coin.zip"));
 * s.generator(); s.store();
 * }</pre>
 */
public final class NetworkFile {
    /** Current format version. */
    public static final int FORMAT_VERSION = 1;
    private static final String SPEC_ENTRY = "network.json";
    private static final String STATE_ENTRY = "state.npz";

    private NetworkFile() {
    }

    /**
     * What a file holds.
     *
     * @param generator     the generator spec, or null
     * @param discriminator the discriminator spec, or null
     * @param store         all arrays, declared in the specs' order
     */
    public record Saved(UNetPerturbation generator, ResNetDiscriminator discriminator, ParameterStore store) {
    }

    /** Writes specs and store; at least one spec must be given and the store must hold exactly their arrays. */
    public static void save(Path file, UNetPerturbation generator, ResNetDiscriminator discriminator, ParameterStore store)
            throws IOException {
        if (generator == null && discriminator == null) {
            throw new IllegalArgumentException("nothing to save: pass a generator and/or a discriminator spec");
        }
        // the store must be exactly what the specs declare (catches a spec/store mix-up before writing)
        StateDict.load(declare(generator, discriminator, store.dataType()), StateDict.export(store), "");
        ObjectNode root = SpecJson.mapper().createObjectNode();
        root.put("format", "coin-network");
        root.put("version", FORMAT_VERSION);
        root.put("data_type", store.dataType().name());
        if (generator != null) {
            root.set("generator", SpecJson.generator(generator));
        }
        if (discriminator != null) {
            root.set("discriminator", SpecJson.discriminator(discriminator));
        }
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry(SPEC_ENTRY));
            zip.write(SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(STATE_ENTRY));
            zip.write(Npz.toBytes(StateDict.export(store)));
            zip.closeEntry();
        }
    }

    /** Reads a file written by {@link #save}. */
    public static Saved load(Path file) throws IOException {
        byte[] spec = null;
        byte[] state = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().equals(SPEC_ENTRY)) {
                    spec = zip.readAllBytes();
                } else if (e.getName().equals(STATE_ENTRY)) {
                    state = zip.readAllBytes();
                }
            }
        }
        if (spec == null || state == null) {
            throw new IOException(file + " is not a COIN network file (needs " + SPEC_ENTRY + " and " + STATE_ENTRY + ")");
        }
        JsonNode root = SpecJson.mapper().readTree(new String(spec, StandardCharsets.UTF_8));
        if (!"coin-network".equals(root.path("format").asText()) || root.path("version").asInt() > FORMAT_VERSION) {
            throw new IOException(file + ": unsupported format " + root.path("format").asText() + " version "
                    + root.path("version").asInt() + "; this library reads version <= " + FORMAT_VERSION);
        }
        UNetPerturbation g = root.has("generator") ? SpecJson.generator(root.get("generator")) : null;
        ResNetDiscriminator d = root.has("discriminator") ? SpecJson.discriminator(root.get("discriminator")) : null;
        ParameterStore store = declare(g, d, DataType.valueOf(root.required("data_type").asText()));
        Map<String, INDArray> arrays = Npz.read(new ByteArrayInputStream(state));
        StateDict.load(store, arrays, "");
        if (arrays.size() != store.size()) {
            throw new IOException(file + ": state has " + arrays.size() + " arrays, the specs declare " + store.size());
        }
        return new Saved(g, d, store);
    }

    private static ParameterStore declare(UNetPerturbation g, ResNetDiscriminator d, DataType dt) {
        ParameterStore store = ParameterStore.create(dt);
        if (g != null) {
            g.declare(store, 0L);
        }
        if (d != null) {
            d.declare(store, 0L);
        }
        return store;
    }
}
