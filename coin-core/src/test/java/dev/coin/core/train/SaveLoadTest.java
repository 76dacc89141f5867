package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Explanation;
import dev.coin.core.ModelFolderException;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.nn.io.Npz;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.slice.Slice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link TrainedPipeline#save} / {@link TrainedPipeline#load} and the trainer's final {@code run/model}. */
class SaveLoadTest {
    @TempDir
    Path tmp;

    private static float[] bits(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(-1).toFloatVector();
    }

    private static long[] longs(INDArray a) {
        return a.castTo(DataType.INT64).dup('c').reshape(-1).toLongVector();
    }

    /** Every array of {@code expected} is in {@code actual} with the same kind, shape and bits. */
    private static void assertSameArrays(ParameterStore expected, ParameterStore actual) {
        for (ParameterStore.Entry e : expected.entries()) {
            INDArray a = actual.array(e.name());
            assertThat(a.shape()).as(e.name()).containsExactly(e.array().shape());
            if (e.array().dataType() == DataType.INT64) {
                assertThat(longs(a)).as(e.name()).containsExactly(longs(e.array()));
            } else {
                assertThat(bits(a)).as(e.name()).containsExactly(bits(e.array()));
            }
        }
    }

    private static void assertSameCounterfactuals(TrainedPipeline a, TrainedPipeline b, INDArray x) {
        TrainedPipeline.Counterfactual ca = a.counterfactual(x);
        TrainedPipeline.Counterfactual cb = b.counterfactual(x);
        assertThat(bits(cb.counterfactual())).containsExactly(bits(ca.counterfactual()));
        assertThat(bits(cb.probabilityBefore())).containsExactly(bits(ca.probabilityBefore()));
        assertThat(bits(cb.probabilityAfter())).containsExactly(bits(ca.probabilityAfter()));
    }

    @Test
    void trainerSavesTheModelAndLoadingReproducesCounterfactualsBitForBit() {
        TrainedPipeline trained = TinyTrained.pipeline();
        Path run = TinyTrained.runDirectory();
        Path model = run.resolve("model");
        assertThat(model.resolve("model.json")).isRegularFile();
        assertThat(model.resolve("generator.npz")).isRegularFile();
        assertThat(model.resolve("classifier/classifier.json")).isRegularFile();
        assertThat(model.resolve("classifier/weights.npz")).isRegularFile();

        // only the generator's arrays: exactly the names a fresh declaration of the spec has
        ParameterStore fresh = trained.generator().initialise(DataType.FLOAT, 0L);
        Map<String, INDArray> npz;
        try {
            npz = Npz.read(model.resolve("generator.npz"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(npz.keySet()).hasSize(fresh.size()).allMatch(k -> k.startsWith("enc.") || k.startsWith("gen."));
        assertThat(npz.keySet()).anyMatch(k -> k.endsWith(".u")).anyMatch(k -> k.endsWith("running_var"))
                .anyMatch(k -> k.endsWith("num_batches_tracked"));

        TrainedPipeline fromRun = TrainedPipeline.load(run);
        TrainedPipeline fromModel = TrainedPipeline.load(model);
        // the state at save time is the trained state (no test advances the shared pipeline's SN vectors)
        assertSameArrays(fromRun.parameters(), trained.parameters());
        assertSameArrays(fromRun.parameters(), fromModel.parameters());
        assertSameArrays(trained.classifier().parameters(), fromRun.classifier().parameters());

        List<Slice> slices = TinyData.slices(5, 31);
        INDArray x = ExplainTest.batch(slices);
        TrainedPipeline twin = TinyTrained.twin();
        assertSameCounterfactuals(twin, fromRun, x);
        assertSameCounterfactuals(twin, fromRun, x); // and again, after both advanced their SN vectors once
        List<Explanation> et = TinyTrained.twin().explain(slices);
        List<Explanation> el = fromModel.explain(slices);
        assertThat(el).isEqualTo(et);

        assertThat(fromRun.name()).isEqualTo("coin-synthetic");
        assertThat(fromRun.generator()).isEqualTo(trained.generator());
        assertThat(fromRun.targetRule()).isEqualTo(trained.targetRule());
        assertThat(fromRun.conditioningMode()).isEqualTo(trained.conditioningMode());
        assertThat(fromRun.trainingDescription()).isEqualTo(trained.pipeline().describe());
        assertThat(fromRun.history()).isEqualTo(trained.history());
        assertThat(fromRun.loadedFrom()).contains(model.toAbsolutePath().normalize());
        assertThat(trained.loadedFrom()).isEmpty();
        assertThat(fromRun.toString()).contains("coin-synthetic", "loaded from " + model.toAbsolutePath().normalize(),
                "1 epoch,");
        assertThatThrownBy(fromRun::pipeline).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(model.toAbsolutePath().normalize().toString())
                .hasMessageContaining("trainingDescription()");

        // a loaded model saves and loads again unchanged
        Path again = fromModel.save(tmp.resolve("again"));
        assertSameArrays(fromModel.parameters(), TrainedPipeline.load(again).parameters());
    }

    @Test
    void savingOverAModelReplacesItAsAWholeAndOtherFoldersAreRefused() throws Exception {
        Path dir = tmp.resolve("models/m");
        TrainedPipeline a = TinyTrained.twin();
        a.save(dir);
        Files.writeString(dir.resolve("stale.txt"), "from the first model");
        TrainedPipeline b = TinyTrained.twin();
        b.parameters().array("gen.last_block.2.bias").addi(0.5);
        b.parameters().array("enc.first_block.0.weight").muli(1.5);
        assertThat(b.save(dir)).isEqualTo(dir);
        assertThat(dir.resolve("stale.txt")).doesNotExist();
        TrainedPipeline loaded = TrainedPipeline.load(dir);
        assertSameArrays(loaded.parameters(), b.parameters());
        assertThat(bits(loaded.parameters().array("gen.last_block.2.bias")))
                .isNotEqualTo(bits(a.parameters().array("gen.last_block.2.bias")));
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("m"); // no .tmp-/.old- leftovers
        }

        // a classifier without a file format: refused before anything is written; the model on disk is untouched
        TrainedPipeline blob = new TrainedPipeline(TinyData.tinyCoin(new BlobClassifier()).build(),
                TinyTrained.twin().parameters(), List.of());
        assertThatThrownBy(() -> blob.save(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BlobClassifier").hasMessageContaining("GraphClassifier");
        assertSameArrays(TrainedPipeline.load(dir).parameters(), b.parameters());

        // a non-empty folder that is not a model, and a file: refused, nothing changed
        Path other = tmp.resolve("notes");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> a.save(other)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining(other.toAbsolutePath().normalize().toString()).hasMessageContaining("not empty")
                .satisfies(e -> assertThat(((ModelFolderException) e).path())
                        .isEqualTo(other.toAbsolutePath().normalize()));
        try (Stream<Path> s = Files.list(other)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
        assertThat(Files.readString(other.resolve("notes.txt"))).isEqualTo("mine");
        assertThatThrownBy(() -> a.save(other.resolve("notes.txt"))).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("is a file");
        // an empty folder is fine
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        a.save(empty);
        assertThat(empty.resolve("model.json")).isRegularFile();
    }

    @Test
    void absentIncompleteAndCorruptFoldersGiveTypedExceptionsNamingThePath() throws Exception {
        Path absent = tmp.resolve("nothing-here");
        assertThatThrownBy(() -> TrainedPipeline.load(absent)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining(absent.toAbsolutePath().toString()).hasMessageContaining("does not exist")
                .hasMessageContaining("coin-work/run/coin/model");
        Path emptyDir = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> TrainedPipeline.load(emptyDir)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("model.json").hasMessageContaining("model/model.json");

        TrainedPipeline t = TinyTrained.twin();
        Path noGen = t.save(tmp.resolve("no-generator"));
        Files.delete(noGen.resolve("generator.npz"));
        assertThatThrownBy(() -> TrainedPipeline.load(noGen)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("generator.npz").hasMessageContaining("missing")
                .satisfies(e -> assertThat(((ModelFolderException) e).path()).isEqualTo(noGen.resolve("generator.npz")));

        Path noClf = t.save(tmp.resolve("no-classifier"));
        Files.delete(noClf.resolve("classifier/weights.npz"));
        assertThatThrownBy(() -> TrainedPipeline.load(noClf)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining(noClf.resolve("classifier").toString()).hasMessageContaining("weights.npz");
        Path noClfDir = t.save(tmp.resolve("no-classifier-dir"));
        Files.delete(noClfDir.resolve("classifier/weights.npz"));
        Files.delete(noClfDir.resolve("classifier/classifier.json"));
        Files.delete(noClfDir.resolve("classifier"));
        assertThatThrownBy(() -> TrainedPipeline.load(noClfDir)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("classifier folder").hasMessageContaining("missing");

        Path garbage = t.save(tmp.resolve("garbage-json"));
        Files.writeString(garbage.resolve("model.json"), "{ this is not json");
        assertThatThrownBy(() -> TrainedPipeline.load(garbage)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("corrupt model file").hasMessageContaining(garbage.resolve("model.json").toString());

        Path foreign = t.save(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("model.json"), "{\"format\": \"something-else\", \"version\": 1}");
        assertThatThrownBy(() -> TrainedPipeline.load(foreign)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("not a COIN model").hasMessageContaining("something-else");

        Path truncated = t.save(tmp.resolve("truncated"));
        byte[] npz = Files.readAllBytes(truncated.resolve("generator.npz"));
        Files.write(truncated.resolve("generator.npz"), java.util.Arrays.copyOf(npz, npz.length / 3));
        assertThatThrownBy(() -> TrainedPipeline.load(truncated)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("corrupt generator weights");

        // a spec that does not fit the weights (another stem width)
        Path wrongSpec = t.save(tmp.resolve("wrong-spec"));
        String json = Files.readString(wrongSpec.resolve("model.json"));
        Files.writeString(wrongSpec.resolve("model.json"), json.replaceFirst("\"stem_channels\" : 4", "\"stem_channels\" : 6"));
        assertThat(Files.readString(wrongSpec.resolve("model.json"))).contains("\"stem_channels\" : 6");
        assertThatThrownBy(() -> TrainedPipeline.load(wrongSpec)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("corrupt generator weights").hasMessageContaining("enc.first_block.0.weight");
    }
}
