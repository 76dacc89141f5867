package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceOrientation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic benchmark's ceiling (issue 13): IoU of the perfect counterfactual (the slice before the blob was
 * pasted) at the reference's 0.25 threshold, built the way coin-examples' {@code StoryData.prepare} builds the
 * main job's validation set. The blob is added in unit space and clipped at 1 (reference §6.6), so bright kidneys
 * lose most of it; the phase mix must keep the ceiling at or above the paper's COIN result (0.646), aiming ≥ 0.75.
 */
class CounterfactualCeilingTest {
    /** The main job's laptop recipe (CoinStory defaults): 16 scans, 256² phantom, 128² slices, template 40. */
    private static final int SCANS = 16;
    private static final int MATRIX = 256;
    private static final int SIZE = 128;
    private static final int TEMPLATE = 40;
    private static final long VALIDATION_SEED = 1234;
    private static final double THRESHOLD = 0.25;

    @TempDir
    Path dir;

    /**
     * Measured on the main job's recipe (16 scans, 3 validation scans): single-phase 0.585 (the figure),
     * default phase mix 0.789. The figure depends on which phases the few validation scans draw: the same check
     * with 8 scans gave 0.607 → 0.737 and with 24 scans 0.607 → 0.719, so the ceiling is above the paper's COIN
     * IoU 0.646 in every case but ≥ 0.75 only on this recipe.
     */
    @Test
    void phaseMixLiftsThePerfectCounterfactualCeilingToTheTarget() {
        PhantomConfig base = SyntheticDataset.defaultConfig().toBuilder().matrixSize(MATRIX).tumourFraction(0).build();
        double mixed = ceiling(dir.resolve("mixed"), base);
        double single = ceiling(dir.resolve("single"), base.toBuilder().singlePhase().build());
        System.out.printf("perfect-counterfactual IoU@0.25: single phase %.4f, phase mix %.4f%n", single, mixed);
        assertThat(single).as("single-phase ceiling (clip at 1 eats the blob)").isBetween(0.55, 0.62);
        assertThat(mixed).as("phase-mix ceiling (issue 13 asks >= 0.75)").isGreaterThanOrEqualTo(0.75);
    }

    /** Aggregated IoU Σ TP / Σ (TP + FP + FN) over the abnormal validation slices. */
    static double ceiling(Path root, PhantomConfig config) {
        SyntheticDataset.ensure(root, config, SCANS);
        CtDataset ds = CtDataset.builder(root)
                .sliceConfig(w -> SliceConfig.synthetic(w).toBuilder().outputSize(MATRIX, MATRIX)
                        .orientation(SliceOrientation.TRANSPOSED).build())
                .build();
        GaussianBlobAnomaly blobs = GaussianBlobAnomaly.builder().templateSize(TEMPLATE).build();
        SliceSource clean = ds.validation();
        SliceSource abnormal = AnomalyInsertion.fixedSet(clean, blobs, VALIDATION_SEED);
        long tp = 0;
        long union = 0;
        int slices = 0;
        for (int i = 0; i < abnormal.size(); i++) {
            Slice a = abnormal.get(i).resized(SIZE, SIZE);
            if (a.label() != 1) {
                continue;
            }
            slices++;
            float[] xa = a.image().toArray();
            float[] xc = clean.get(i).resized(SIZE, SIZE).image().toArray();
            float[] gt = a.mask(AnomalyInsertion.MASK).toArray();
            for (int p = 0; p < xa.length; p++) {
                boolean pred = Math.abs(xa[p] - xc[p]) / 2 > THRESHOLD;
                boolean truth = gt[p] > 0.5f;
                if (pred && truth) {
                    tp++;
                }
                if (pred || truth) {
                    union++;
                }
            }
        }
        assertThat(slices).as("abnormal validation slices").isGreaterThan(10);
        return (double) tp / union;
    }
}
