package dev.coin.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coin.core.Pipeline;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.runtime.NativeBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code provenance.json} into a run folder: what actually ran — which trainer, the structured identity of what
 * it trained (a pipeline, or a classifier with its optimiser and selection), the epochs of the fit call, the loader's
 * batch size and seed (the loader owns batching and data order), library / ND4J / backend / Java / OS versions and
 * the wall time (NaN while running). The trainers write it; it is not API.
 */
final class Provenance {
    /** File name in the run folder. */
    public static final String FILE = "provenance.json";

    private Provenance() {
    }

    /** Writes (or rewrites) the provenance file atomically; {@code datasetSplitHash} may be null. */
    static Path write(Path runDirectory, String kind, JsonNode identity, String description, long initialisationSeed,
            BatchLoader loader, String datasetSplitHash, int epochs, double wallSeconds) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("written", Instant.now().toString());
        o.put("trainer", kind);
        o.put("identity", identity);
        o.put("description", description);
        o.put("initialisationSeed", initialisationSeed);
        o.put("epochs", epochs);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("loader", String.valueOf(loader));
        data.put("batchSize", loader.batchSize());
        data.put("seed", loader.seed());
        data.put("batchesPerEpoch", loader.batchesIn(0));
        data.put("slices", loader.source().size());
        o.put("data", data);
        o.put("datasetSplitHash", datasetSplitHash == null ? "not given" : datasetSplitHash);
        o.put("library", versionOf(Pipeline.class));
        o.put("nd4j", versionOf(org.nd4j.linalg.factory.Nd4j.class));
        o.put("backend", String.valueOf(NativeBackend.describe()));
        o.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        o.put("cpus", Runtime.getRuntime().availableProcessors());
        o.put("wallSeconds", wallSeconds);
        try {
            Files.createDirectories(runDirectory);
            Path tmp = Files.createTempFile(runDirectory, FILE, ".tmp");
            Checkpoint.JSON.writeValue(tmp.toFile(), o);
            Path target = runDirectory.resolve(FILE);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + FILE + " into " + runDirectory, e);
        }
    }

    private static String versionOf(Class<?> c) {
        Package p = c.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v != null) {
            return v;
        }
        String loc = String.valueOf(c.getProtectionDomain().getCodeSource() == null ? "unknown"
                : c.getProtectionDomain().getCodeSource().getLocation());
        return "unknown version (" + loc + ")";
    }
}
