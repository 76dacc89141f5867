package dev.coin.core.nn.io;

import dev.coin.core.nn.io.Npz;
import dev.coin.core.nn.io.StateDict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.ParameterStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** npz reading/writing and the state_dict mapping, checked against ND4J's own npz reader and the reference files. */
class StateDictTest {
    @TempDir
    Path tmp;

    static File vector(String name) throws Exception {
        return Path.of(StateDictTest.class.getResource("/testvectors/reference/" + name).toURI()).toFile();
    }

    static UNetPerturbation tinyGenerator() {
        return UNetPerturbation.builder().channels(4, 8, 8, 16, 16).decoderChannels(16, 16, 8, 8, 4).build();
    }

    @Test
    void ourNpzReaderAgreesWithNd4jOnTheReferenceFiles() throws Exception {
        for (String f : new String[] {"gen_bilinear_skip1234.npz", "disc_6blocks.npz"}) {
            Map<String, INDArray> nd4j = Nd4j.createFromNpzFile(vector(f));
            Map<String, INDArray> ours = Npz.read(vector(f).toPath());
            assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(nd4j.keySet());
            for (String k : nd4j.keySet()) {
                assertThat(ours.get(k).shape()).as(k).containsExactly(nd4j.get(k).shape());
                assertThat(ours.get(k).castTo(DataType.DOUBLE)).as(k).isEqualTo(nd4j.get(k).castTo(DataType.DOUBLE));
            }
        }
    }

    @Test
    void importThenExportReproducesTheReferenceStateDictAndWritesZeroDimCounters() throws Exception {
        Map<String, INDArray> ref = Nd4j.createFromNpzFile(vector("gen_bilinear_skip1234.npz"));
        ParameterStore store = tinyGenerator().initialise(DataType.FLOAT, 5L);
        StateDict.load(store, ref, "before:");
        // the graph layout really differs from PyTorch's for convs (so the test exercises the permutation)
        assertThat(store.array("enc.blocks.0.right_branch.3.weight").shape()).containsExactly(3, 3, 64, 4);
        Path out = tmp.resolve("w.npz");
        StateDict.save(store, out);
        Map<String, INDArray> back = Npz.read(out);
        int n = 0;
        for (Map.Entry<String, INDArray> e : back.entrySet()) {
            INDArray expected = ref.get("before:" + e.getKey());
            if (e.getKey().endsWith("num_batches_tracked")) {
                assertThat(e.getValue().rank()).as(e.getKey()).isZero();
                assertThat(e.getValue().dataType()).isEqualTo(DataType.INT64);
                assertThat(e.getValue().getLong(0)).isEqualTo(expected.getLong(0));
            } else {
                assertThat(e.getValue()).as(e.getKey()).isEqualTo(expected);
            }
            n++;
        }
        assertThat(n).isEqualTo(store.size());
        try (ZipFile z = new ZipFile(out.toFile())) {
            String header = new String(z.getInputStream(z.getEntry("enc.first_block.2.num_batches_tracked.npy"))
                    .readAllBytes(), 0, 128, StandardCharsets.ISO_8859_1);
            assertThat(header).contains("'descr': '<i8'").contains("'shape': ()");
        }
        // a second import of our own export gives the same store
        ParameterStore again = tinyGenerator().initialise(DataType.FLOAT, 6L);
        StateDict.load(again, out);
        for (ParameterStore.Entry e : store.entries()) {
            assertThat(again.array(e.name())).as(e.name()).isEqualTo(e.array());
        }
    }

    @Test
    void mismatchesAreReportedAndNothingIsChanged() throws Exception {
        Map<String, INDArray> ref = Nd4j.createFromNpzFile(vector("disc_5blocks.npz"));
        ResNetDiscriminator d = ResNetDiscriminator.builder().blocks(new int[] {2, 4, 6, 8, 10}, new int[] {2, 2, 2, 2, 2}).build();
        ParameterStore store = d.initialise(DataType.FLOAT, 1L);
        INDArray before = store.array("disc.sn_dense.weight").dup();

        Map<String, INDArray> missing = new HashMap<>(ref);
        missing.remove("before:disc.embd.weight");
        assertThatThrownBy(() -> StateDict.load(store, missing, "before:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing [before:disc.embd.weight]");

        Map<String, INDArray> wrong = new HashMap<>(ref);
        wrong.put("before:disc.embd.weight", Nd4j.zeros(DataType.FLOAT, 3, 10));
        assertThatThrownBy(() -> StateDict.load(store, wrong, "before:")).hasMessageContaining("wrong shape [disc.embd.weight");

        Map<String, INDArray> extra = new HashMap<>(ref);
        extra.put("before:disc.blocks.9.right_branch.1.weight", Nd4j.zeros(DataType.FLOAT, 1, 1, 3, 3));
        assertThatThrownBy(() -> StateDict.load(store, extra, "before:")).hasMessageContaining("not in the network");

        assertThat(store.array("disc.sn_dense.weight")).isEqualTo(before);
        assertThat(Files.exists(tmp)).isTrue();
    }
}
