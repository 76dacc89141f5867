package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.Slicer;
import dev.coin.data.volume.Volume;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The main job slices its own phantom with {@link SyntheticDataset#KIDNEY_ONLY_LABELS}: every label value such a
 * phantom writes is covered (a class or ignored), so the slicer has nothing to warn about; the plain kidney-only map
 * warns about the cysts, and the masks of both maps are the same.
 */
class PhantomLabelMapTest {
    private static final PhantomConfig HEALTHY_WITH_CYSTS = SyntheticDataset.defaultConfig().toBuilder()
            .matrixSize(64).tumourFraction(0).cystFraction(1).build();

    private static TreeSet<Integer> labelValues(Volume label) {
        TreeSet<Integer> values = new TreeSet<>();
        for (int k = 0; k < label.nz(); k++) {
            for (int j = 0; j < label.ny(); j++) {
                for (int i = 0; i < label.nx(); i++) {
                    values.add((int) label.get(i, j, k));
                }
            }
        }
        return values;
    }

    /** What the slicer writes to slf4j-simple's stream (System.err) while slicing. */
    private static String slicerOutput(PhantomScan scan, LabelMap map, List<List<Slice>> out) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            SliceConfig cfg = SliceConfig.synthetic(CtWindow.of(-79, 304)).toBuilder().labelMap(map).build();
            out.add(new Slicer(cfg).slice(scan.image(), scan.label()));
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thePhantomsOwnLabelValuesAreCoveredAndTheSlicerDoesNotWarn() {
        PhantomScan scan = PhantomGenerator.of(HEALTHY_WITH_CYSTS).generate(0);
        assertThat(scan.lesions()).as("the test needs a cyst").anyMatch(l -> l.kind() == Lesion.Kind.CYST);
        LabelMap map = SyntheticDataset.KIDNEY_ONLY_LABELS;
        TreeSet<Integer> covered = new TreeSet<>();
        for (int c = 0; c < map.channelCount(); c++) {
            Arrays.stream(map.valuesAt(c)).forEach(covered::add);
        }
        Arrays.stream(map.ignoredValues()).forEach(covered::add);
        assertThat(covered).containsAll(labelValues(scan.label())).contains(Lesion.Kind.CYST.label());

        java.util.ArrayList<List<Slice>> sliced = new java.util.ArrayList<>();
        String before = slicerOutput(scan, LabelMap.KIDNEY_ONLY, sliced);
        String after = slicerOutput(scan, map, sliced);
        assertThat(before).as("the plain kidney-only map warns about the cysts (and the capture works)")
                .contains("hold values outside").contains("(e.g. 3)");
        assertThat(after).doesNotContain("WARN");
        // same slices, same masks: ignoring a value only silences the warning
        assertThat(sliced.get(1)).hasSameSizeAs(sliced.get(0));
        for (int i = 0; i < sliced.get(0).size(); i++) {
            assertThat(sliced.get(1).get(i).mask(LabelMap.KIDNEY)).isEqualTo(sliced.get(0).get(i).mask(LabelMap.KIDNEY));
        }
        assertThat(map.toString()).isEqualTo("LabelMap[phantom kidney-only: background=0, kidney=1; ignored 3]");
    }

    @Test
    void anIgnoredValueCannotAlsoBelongToAClass() {
        assertThatThrownBy(() -> LabelMap.builder("m").put("kidney", 1, 3).ignore(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label value 3")
                .hasMessageContaining("'kidney'").hasMessageContaining("ignore(");
        LabelMap m = LabelMap.builder("m").put("kidney", 1).ignore(3, 2).build();
        assertThat(m.ignoredValues()).containsExactly(2, 3);
        assertThat(m.toBuilder().build()).isEqualTo(m).isNotEqualTo(LabelMap.builder("m").put("kidney", 1).build());
    }
}
