package dev.coin.core.train;

import dev.coin.core.TrainedPipeline;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.data.dataset.BatchLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One tiny COIN run shared by the explanation and save/load tests (training is the slow part): the 32² test data,
 * a narrow untrained ResNet18 (a {@link GraphClassifier}, so the model can be saved), one epoch with a generator
 * update on every step, and a run directory, so the trainer saves {@code run/model} at the end. Tests must not call
 * {@link TrainedPipeline#counterfactual} on {@link #pipeline()} itself (it advances spectral-norm state); they work
 * on copies ({@link #twin()}).
 */
final class TinyTrained {
    private static TrainedPipeline trained;
    private static Path run;

    private TinyTrained() {
    }

    static synchronized TrainedPipeline pipeline() {
        if (trained == null) {
            try {
                Path root = Files.createTempDirectory("coin-tiny-run");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
                run = root.resolve("run");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            GraphClassifier clf = ResNet18.Spec.ofWidth(4).create(17L);
            trained = PipelineTrainer.builder(TinyData.tinyCoin(clf).generatorEvery(1).build()).runDirectory(run)
                    .build().fit(BatchLoader.builder(TinyData.source(16, 5)).batchSize(8).seed(3).build(), 1);
        }
        return trained;
    }

    /** The run directory of {@link #pipeline()} (holds {@code model/}). */
    static Path runDirectory() {
        pipeline();
        return run;
    }

    /** A pipeline with a copy of the trained store: same state, its own spectral-norm progress. */
    static TrainedPipeline twin() {
        TrainedPipeline t = pipeline();
        return new TrainedPipeline(t.pipeline(), t.parameters().copy(), t.history());
    }

    private static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
