package dev.coin.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.Pipeline;
import dev.coin.core.RealSamples;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Reconstruction;
import dev.coin.losses.TotalVariationTerm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named tables, the budget's edits of a row, and a cell result's file. */
class ExperimentTableTest {
    private static final GraphClassifier CLF = ResNet18.Spec.ofWidth(4).create(3L);

    @Test
    void theNamedTablesHoldThePapersRows() {
        assertThat(ExperimentTable.named("coin-table1").rows()).extracting(ExperimentRow::name).containsExactly(
                "Singla A", "Singla B", "Singla C", "Singla D", "Singla E", "Singla F", "Singla G", "Singla* (H)",
                "COIN");
        assertThat(ExperimentTable.named("COIN-ABLATIONS").rows()).hasSize(4);
        ExperimentTable aligned = ExperimentTable.named("aligned-table1");
        // COIN first (the thesis's baseline, shared with the other tables), then rows 0–8
        assertThat(aligned.rows()).hasSize(10);
        assertThat(aligned.rows().get(0).slug()).isEqualTo("coin");
        assertThat(aligned.rows().get(1 + 6).classifierName()).isEqualTo("classifier-tanh");
        assertThat(aligned.rows().get(1 + 7).classifierAugmentations()).hasSize(2);
        assertThat(aligned.rows().get(1 + 5).classifierName()).isEqualTo(ExperimentRow.PLAIN_CLASSIFIER);
        // every row builds a pipeline with the classifier; aligned rows 3–8 train on paired healthy slices
        for (int r = 0; r < 9; r++) {
            Pipeline p = aligned.rows().get(1 + r).pipeline().apply(CLF).build();
            assertThat(p.realSamples()).as("row %d", r)
                    .isEqualTo(r >= 3 ? RealSamples.PAIRED_HEALTHY : RealSamples.INPUT);
        }
        assertThatThrownBy(() -> ExperimentTable.named("table9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table9").hasMessageContaining("coin-table1");
    }

    @Test
    void theAblationsZeroExactlyOneTermEach() {
        List<ExperimentRow> rows = ExperimentTable.coinAblations().rows();
        assertThat(weight(rows.get(1), ClassifierKl.weight(1).name())).isZero();
        assertThat(weight(rows.get(0), ClassifierKl.weight(1).name())).isEqualTo(5.0);
        assertThat(weight(rows.get(2), Reconstruction.cyclicL1().name())).isZero();
        assertThat(weight(rows.get(3), "tv")).isZero();
        assertThat(weight(rows.get(2), "tv")).isEqualTo(0.05);
    }

    private static double weight(ExperimentRow row, String term) {
        return row.pipeline().apply(CLF).build().losses().terms().stream().filter(t -> t.name().equals(term))
                .mapToDouble(LossTerm::weight).findFirst().orElseThrow();
    }

    @Test
    void theBudgetChangesWidthsAndScalesTvButKeepsTheRowsStructure() {
        Budget laptop = Budget.laptop();
        Pipeline coin = laptop.apply(ExperimentTable.coinTable1().rows().get(8).pipeline().apply(CLF), 42).build();
        assertThat(coin.generator().encoderChannels()).containsExactly(16, 32, 64, 128, 256);
        assertThat(coin.generator().stemChannels()).isEqualTo(16);
        assertThat(coin.discriminator().channels()).containsExactly(16, 32, 64, 128, 256, 256);
        assertThat(coin.discriminator().downsample()).containsExactly(2, 2, 2, 2, 2, 1);
        assertThat(coin.seed()).isEqualTo(42);
        assertThat(coin.generatorEvery()).isEqualTo(1);
        double tv = coin.losses().terms().stream().filter(t -> t instanceof TotalVariationTerm)
                .mapToDouble(LossTerm::weight).findFirst().orElseThrow();
        assertThat(tv).isCloseTo(0.05 * 0.25, within(1e-15));   // (128/256)²
        // a 5-block row takes the first five widths and keeps its own downsampling; skips stay the row's
        Pipeline row0 = laptop.apply(ExperimentTable.alignedTable1().rows().get(1).pipeline().apply(CLF), 1).build();
        assertThat(row0.discriminator().channels()).containsExactly(16, 32, 64, 128, 256);
        Pipeline singlaA = laptop.apply(ExperimentTable.coinTable1().rows().get(0).pipeline().apply(CLF), 1).build();
        assertThat(singlaA.generator().skips()).isEmpty();
        assertThatThrownBy(() -> new Budget("x", 0, 4, new int[] {4, 4, 4, 4, 4}, 1, new int[] {4, 4, 4, 4, 4}, 1, 1,
                2, 4, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size must be >= 1");
    }

    @Test
    void aCellResultReadsBackEqualIncludingNonFiniteValues(@TempDir Path tmp) {
        CellResult r = new CellResult("COIN", 7, List.of(
                new CellResult.MethodRow("COIN", "fixed 0.25", 0.25, "PostProcessing[none]",
                        Map.of("IoU_agg", 0.5, "FID_classifier", Double.NaN)),
                new CellResult.MethodRow("COIN", "held-out", Double.NaN, "PostProcessing[none]",
                        Map.of("IoU_agg", 0.25))),
                Map.of("COIN", new double[] {0.1, Double.NaN, 1}), 12.5, 2, 1234);
        CellResult back = CellResult.read(tmp.resolve(r.write(tmp).getFileName()).getParent());
        assertThat(back.rows()).isEqualTo(r.rows());
        assertThat(back.perImageIou().get("COIN")).containsExactly(0.1, Double.NaN, 1);
        assertThat(back.secondsPerEpoch()).isEqualTo(6.25);
        assertThat(back.parameters()).isEqualTo(1234);
        assertThat(back.seed()).isEqualTo(7);
    }

    @Test
    void rowsAndTablesRefuseAmbiguousNames() {
        ExperimentRow a = ExperimentRow.of("COIN", c -> null);
        ExperimentRow b = ExperimentRow.of("coin", c -> null);
        assertThatThrownBy(() -> ExperimentTable.of("t", a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("folder 'coin'");
        assertThatThrownBy(() -> a.withClassifier(ExperimentRow.PLAIN_CLASSIFIER,
                List.of(dev.coin.data.augment.Tanh.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThat(ExperimentRow.of("COIN, λ_tv 0", c -> null).slug()).isEqualTo("coin-tv-0");
        // a selection keeps the table's name and takes the rows in the order given
        ExperimentTable some = ExperimentTable.coinTable1().select(List.of("singla-h", "Singla C"));
        assertThat(some.name()).isEqualTo("coin-table1");
        assertThat(some.rows()).extracting(ExperimentRow::name).containsExactly("Singla* (H)", "Singla C");
        assertThatThrownBy(() -> ExperimentTable.coinTable1().select(List.of("singla-z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no row 'singla-z'")
                .hasMessageContaining("singla-a");
    }
}
