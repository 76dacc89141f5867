package dev.coin.examples.spark;

import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Saved pipelines kept per JVM (per executor), keyed by the model folder: a SameDiff graph is not serialisable, so
 * executors get the folder's path (a broadcast) and load the model once, on first use. Each concurrently running
 * task borrows its own copy (a task slot loads at most one), so {@code local[2]} or an executor with two cores
 * loads two and reuses them for every later scan.
 *
 * <p><b>Same result on any executor, in any order:</b> a pipeline's spectral-norm vectors advance with every
 * forward pass (as in the reference's evaluation), so a model that had explained other scans before would give
 * slightly different masks. {@link #borrow} therefore restores the state the model was loaded with before handing
 * it out: each scan is explained exactly as by a freshly loaded {@code TrainedPipeline.load(dir)}.
 */
public final class ModelPool {
    private static final Map<String, ConcurrentLinkedDeque<Loaded>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelPool() {
    }

    /** A pipeline and the state it was loaded with. */
    private record Loaded(TrainedPipeline pipeline, ParameterStore initial) {
        void restore() {
            ParameterStore live = pipeline.parameters();
            for (ParameterStore.Entry e : initial.entries()) {
                live.array(e.name()).assign(e.array());
            }
        }
    }

    /** Borrows a pipeline of {@code modelDir} in its as-loaded state, runs {@code work} with it and gives it back. */
    public static <T> T with(String modelDir, Function<TrainedPipeline, T> work) {
        String key = Path.of(modelDir).toAbsolutePath().normalize().toString();
        ConcurrentLinkedDeque<Loaded> idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Loaded m = idle.pollFirst();
        if (m == null) {
            TrainedPipeline p = TrainedPipeline.load(Path.of(key));
            LOADS.incrementAndGet();
            m = new Loaded(p, p.parameters().copy());
        } else {
            m.restore();
        }
        try {
            return work.apply(m.pipeline());
        } finally {
            idle.addFirst(m);
        }
    }

    /** How many times a model was loaded in this JVM (tests and the benchmark report it). */
    public static int loads() {
        return LOADS.get();
    }
}
