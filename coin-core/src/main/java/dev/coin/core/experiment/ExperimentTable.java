package dev.coin.core.experiment;

import dev.coin.core.Presets;
import dev.coin.losses.ClassifierKl;
import dev.coin.losses.Reconstruction;
import dev.coin.losses.TotalVariation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A named list of {@link ExperimentRow}s: the papers' tables as presets, or a user's own.
 *
 * <ul>
 *   <li>{@value #COIN_TABLE1}: COIN thesis Table 1 on the synthetic data, Singla rows A–H and COIN.</li>
 *   <li>{@value #COIN_ABLATIONS}: COIN and its loss ablations. The thesis names them λ_f = 0, λ_idt = 0, λ_tv = 0;
 *       the reference's configs (which this library follows) are {@code kl0}, {@code rec0}, {@code tv0}: the
 *       classifier KL, the forward + cyclic L1 reconstruction and the TV term at weight 0.</li>
 *   <li>{@value #ALIGNED_TABLE1}: COIN, then COIN-Aligned thesis Table 1, rows 0–8 (row 1 with dilation k = 3;
 *       rows 6 and 7 explain classifiers trained with tanh, and tanh + black holes, as the thesis's).</li>
 *   <li>{@value #COIN_ONLY}: COIN alone, for seed studies (with the baselines, which every table run has).</li>
 * </ul>
 *
 * <pre>{@code
 * ExperimentTable t = ExperimentTable.named("coin-table1");
 * ExperimentTable mine = ExperimentTable.of("tv-sweep", ExperimentRow.of("COIN", ...), ExperimentRow.of(...));
 * }</pre>
 *
 * @param name the table's name (its folder and report title)
 * @param rows the rows, in report order; names unique
 */
public record ExperimentTable(String name, List<ExperimentRow> rows) {
    public static final String COIN_TABLE1 = "coin-table1";
    public static final String COIN_ABLATIONS = "coin-ablations";
    public static final String ALIGNED_TABLE1 = "aligned-table1";
    public static final String COIN_ONLY = "coin";
    /** The named tables, for error messages and the main job's help. */
    public static final List<String> NAMES = List.of(COIN_TABLE1, COIN_ABLATIONS, ALIGNED_TABLE1, COIN_ONLY);

    public ExperimentTable {
        Objects.requireNonNull(name, "name");
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("table '" + name + "' has no rows; add at least one ExperimentRow");
        }
        Set<String> seen = new HashSet<>();
        for (ExperimentRow r : rows) {
            if (!seen.add(r.slug())) {
                throw new IllegalArgumentException("table '" + name + "' has two rows named like '" + r.name()
                        + "' (folder '" + r.slug() + "'); give every row its own name");
            }
        }
    }

    public static ExperimentTable of(String name, ExperimentRow... rows) {
        return new ExperimentTable(name, List.of(rows));
    }

    /**
     * A table by name.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static ExperimentTable named(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case COIN_TABLE1 -> coinTable1();
            case COIN_ABLATIONS -> coinAblations();
            case ALIGNED_TABLE1 -> alignedTable1();
            case COIN_ONLY -> of(COIN_ONLY, coin());
            default -> throw new IllegalArgumentException("unknown table '" + name + "'; the named tables are " + NAMES
                    + ", or build your own with ExperimentTable.of(name, rows...)");
        };
    }

    /** COIN thesis Table 1 (synthetic): Singla A–H, then COIN. */
    public static ExperimentTable coinTable1() {
        List<ExperimentRow> rows = new ArrayList<>();
        for (char r = 'A'; r <= 'H'; r++) {
            char row = r;
            String label = row == 'H' ? "Singla* (H)" : "Singla " + row;
            rows.add(ExperimentRow.of(label, clf -> Presets.singlaRow(row).classifier(clf)));
        }
        rows.add(coin());
        return new ExperimentTable(COIN_TABLE1, rows);
    }

    /** COIN and the reference's three loss ablations (kl0, rec0, tv0). */
    public static ExperimentTable coinAblations() {
        return of(COIN_ABLATIONS, coin(),
                ExperimentRow.of("COIN, λ_kl 0 (λ_f = 0)", clf -> Presets.coinSynthetic().classifier(clf)
                        .name("coin-kl0").replaceLoss(ClassifierKl.weight(0.0))),
                ExperimentRow.of("COIN, λ_rec 0 (λ_idt = 0)", clf -> Presets.coinSynthetic().classifier(clf)
                        .name("coin-rec0").replaceLoss(Reconstruction.cyclicL1().weight(0.0))),
                ExperimentRow.of("COIN, λ_tv 0", clf -> Presets.coinSynthetic().classifier(clf)
                        .name("coin-tv0").replaceLoss(TotalVariation.weight(0.0))));
    }

    /**
     * COIN-Aligned thesis Table 1, rows 0–8, after COIN itself: the thesis compares every row with its COIN baseline,
     * and COIN's cell is shared with the other tables of the folder, so it costs nothing where they have run.
     */
    public static ExperimentTable alignedTable1() {
        List<ExperimentRow> rows = new ArrayList<>();
        rows.add(coin());
        for (int r = 0; r <= 8; r++) {
            int row = r;
            ExperimentRow er = ExperimentRow.of("Aligned row " + row,
                    clf -> Presets.alignedRow(row, clf).toBuilder());
            if (row == 6) {
                er = er.withClassifier("classifier-tanh", Presets.alignedClassifierAugmentations(6));
            } else if (row == 7) {
                er = er.withClassifier("classifier-tanh-black-holes", Presets.alignedClassifierAugmentations(7));
            }
            rows.add(er);
        }
        return new ExperimentTable(ALIGNED_TABLE1, rows);
    }

    private static ExperimentRow coin() {
        return ExperimentRow.of("COIN", clf -> Presets.coinSynthetic().classifier(clf));
    }

    /**
     * The same table (same name, so the same comparison folder) with only the rows whose folder names
     * ({@link ExperimentRow#slug()}) are given, in the order given: to run some rows first, or only some. A later
     * run or {@code collect()} of the whole table reads these cells back.
     *
     * @throws IllegalArgumentException for a name that is not a row of this table (the message lists them)
     */
    public ExperimentTable select(List<String> slugs) {
        List<ExperimentRow> chosen = new ArrayList<>();
        for (String slug : slugs) {
            ExperimentRow row = rows.stream().filter(r -> r.slug().equals(ExperimentRow.slug(slug))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("table '" + name + "' has no row '" + slug
                            + "'; its rows are " + rows.stream().map(ExperimentRow::slug).toList()));
            chosen.add(row);
        }
        return new ExperimentTable(name, chosen);
    }

    @Override
    public String toString() {
        return "ExperimentTable[" + name + ": " + rows.stream().map(ExperimentRow::name).toList() + "]";
    }
}
