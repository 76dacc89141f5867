package dev.coin.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.mask.PostProcessing;
import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The held-out (2-fold cross-fitted) threshold against hand computations. Most cases use a 5-threshold grid
 * {0, 0.25, 0.5, 0.75, 1} (exact in binary) and 2×2 maps whose values sit between grid points.
 */
class HeldOutThresholdTest {
    private static final FloatImage TRUTH_TOP = FloatImage.of(2, 2, new float[] {1, 1, 0, 0});

    private static FloatImage map(float... v) {
        return FloatImage.of(2, 2, v);
    }

    // Four images, all with truth [1, 1, 0, 0] (pixels in row-major order).
    private static final FloatImage A = map(0.9f, 0.4f, 0.3f, 0.1f);
    private static final FloatImage B = map(0.8f, 0.6f, 0.4f, 0.3f);
    private static final FloatImage C = map(0.6f, 0.3f, 0.1f, 0.1f);
    private static final FloatImage D = map(0.7f, 0.6f, 0.4f, 0.1f);

    private static HeldOutThreshold fiveThresholds() {
        return HeldOutThreshold.builder().count(5).build();
    }

    /*
     * Hand computation shared by the first tests: fold 0 = {A, C}, fold 1 = {B, D}.
     *
     * Fold 0 sweep (TP/FP/FN summed over A and C):
     *   t = 0    : all 8 pixels on            TP 4, FP 4, FN 0 → 4/8  = 0.5
     *   t = 0.25 : A 0.9 0.4 0.3 | C 0.6 0.3  TP 4, FP 1, FN 0 → 4/5  = 0.8   ← best
     *   t = 0.5  : A 0.9 | C 0.6              TP 2, FP 0, FN 2 → 2/4  = 0.5
     *   t = 0.75 : A 0.9                      TP 1, FP 0, FN 3 → 1/4
     *   t = 1    : nothing                    TP 0, FN 4      → 0
     * Fold 1 sweep (B and D):
     *   t = 0    : all 8 on                   TP 4, FP 4      → 0.5
     *   t = 0.25 : B all 4 | D 0.7 0.6 0.4    TP 4, FP 3      → 4/7
     *   t = 0.5  : B 0.8 0.6 | D 0.7 0.6      TP 4, FP 0, FN 0 → 1     ← best
     *   t = 0.75 : B 0.8                      TP 1, FN 3      → 1/4
     *   t = 1    :                            → 0
     * Scoring each fold with the other's threshold:
     *   A at 0.5  : on 0.9         TP 1 FP 0 FN 1 → IoU 1/2, PER 1/4
     *   C at 0.5  : on 0.6         TP 1 FP 0 FN 1 → IoU 1/2, PER 1/4
     *   B at 0.25 : on all 4       TP 2 FP 2 FN 0 → IoU 2/4, PER 2/4
     *   D at 0.25 : on 0.7 0.6 0.4 TP 2 FP 1 FN 0 → IoU 2/3, PER 1/4
     *   pooled IoU_agg = (1+1+2+2) / ((1+1+2+2) + (0+0+2+1) + (1+1+0+0)) = 6/11
     *   IoU_mean = (1/2 + 1/2 + 1/2 + 2/3) / 4 = 13/24;  PER = (1/4 + 1/4 + 2/4 + 1/4) / 4 = 5/16
     */

    @Test
    void fourScansSortedByKeyAlternateBetweenFoldsAndEachIsScoredWithTheOtherFoldsThreshold() {
        HeldOutThreshold h = fiveThresholds();
        // added out of key order: sorted a, b, c, d → folds 0, 1, 0, 1
        h.add("c", C, TRUTH_TOP);
        h.add("a", A, TRUTH_TOP);
        h.add("d", D, TRUTH_TOP);
        h.add("b", B, TRUTH_TOP);
        HeldOutThreshold.Result r = h.result();

        assertThat(r.split()).isEqualTo(HeldOutThreshold.Split.BY_GROUP);
        assertThat(r.groups()).isEqualTo(4);
        assertThat(r.imagesFold0()).isEqualTo(2);
        assertThat(r.imagesFold1()).isEqualTo(2);
        assertThat(r.thresholdFold0()).isEqualTo(0.25);
        assertThat(r.thresholdFold1()).isEqualTo(0.5);
        assertThat(r.meanThreshold()).isEqualTo(0.375);
        assertThat(r.aggregatedIou()).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(r.meanPerImageIou()).isCloseTo(13.0 / 24, within(1e-12));
        assertThat(r.pixelErrorRate()).isCloseTo(5.0 / 16, within(1e-12));
        // input order C, A, D, B
        assertThat(r.perImageIou()).containsExactly(new double[] {0.5, 0.5, 2.0 / 3, 0.5}, within(1e-12));
    }

    @Test
    void slicesOfOneScanStayInOneFold() {
        HeldOutThreshold h = fiveThresholds();
        // two scans of two slices each, interleaved; alternating by image would put A and C in different folds
        h.add("scan-1", A, TRUTH_TOP);
        h.add("scan-2", B, TRUTH_TOP);
        h.add("scan-1", C, TRUTH_TOP);
        h.add("scan-2", D, TRUTH_TOP);
        HeldOutThreshold.Result r = h.result();
        // scan-1 = {A, C} is fold 0, scan-2 = {B, D} fold 1: the hand computation above
        assertThat(r.split()).isEqualTo(HeldOutThreshold.Split.BY_GROUP);
        assertThat(r.groups()).isEqualTo(2);
        assertThat(r.thresholdFold0()).isEqualTo(0.25);
        assertThat(r.thresholdFold1()).isEqualTo(0.5);
        assertThat(r.aggregatedIou()).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(r.perImageIou()).containsExactly(new double[] {0.5, 0.5, 0.5, 2.0 / 3}, within(1e-12));
    }

    @Test
    void unevenGroupsGiveUnevenFolds() {
        HeldOutThreshold h = fiveThresholds();
        // groups sorted x, y, z → folds 0, 1, 0: fold 0 = {A, C, D} (x, x, z), fold 1 = {B} (y)
        h.add("x", A, TRUTH_TOP);
        h.add("y", B, TRUTH_TOP);
        h.add("x", C, TRUTH_TOP);
        h.add("z", D, TRUTH_TOP);
        HeldOutThreshold.Result r = h.result();
        /*
         * Fold 0 sweep (A, C, D):
         *   t = 0    : 12 on          TP 6, FP 6      → 1/2
         *   t = 0.25 : A 3 | C 2 | D 3 TP 6, FP 2      → 6/8 = 3/4   ← best
         *   t = 0.5  : A 1 | C 1 | D 2 TP 4, FN 2      → 4/6
         *   t = 0.75 : A 1            TP 1, FN 5      → 1/6
         * Fold 1 sweep (B): t = 0 → 2/4, 0.25 → 2/4, 0.5 → 2/2 = 1 ← best, 0.75 → 1/2
         * Scoring: A, C, D at 0.5 → A TP1 FN1, C TP1 FN1, D TP2; B at 0.25 → TP2 FP2
         *   IoU_agg = (1+1+2+2) / (6 + FP 2 + FN 2) = 6/10; IoU_mean = (1/2 + 2/4 + 1/2 + 1) / 4 = 5/8
         *   PER = (1/4 + 2/4 + 1/4 + 0) / 4 = 1/4
         */
        assertThat(r.imagesFold0()).isEqualTo(3);
        assertThat(r.imagesFold1()).isEqualTo(1);
        assertThat(r.thresholdFold0()).isEqualTo(0.25);
        assertThat(r.thresholdFold1()).isEqualTo(0.5);
        assertThat(r.aggregatedIou()).isCloseTo(0.6, within(1e-12));
        assertThat(r.meanPerImageIou()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(r.pixelErrorRate()).isCloseTo(0.25, within(1e-12));
        assertThat(r.perImageIou()).containsExactly(new double[] {0.5, 0.5, 0.5, 1.0}, within(1e-12));
    }

    @Test
    void theInSampleSweepIsStrictlyMoreOptimisticThanTheHeldOutNumber() {
        HeldOutThreshold h = fiveThresholds();
        ThresholdSweep inSample = ThresholdSweep.builder().count(5).build();
        FloatImage[] maps = {A, B, C, D};
        String[] scans = {"a", "b", "c", "d"};
        for (int i = 0; i < 4; i++) {
            h.add(scans[i], maps[i], TRUTH_TOP);
            inSample.add(maps[i], TRUTH_TOP);
        }
        /*
         * In-sample sweep over A, B, C, D (sums of the two fold sweeps above):
         *   t = 0.25 : TP 8, FP 4 → 8/12;   t = 0.5 : TP 6, FP 0, FN 2 → 6/8 = 0.75 ← best;   t = 0.75 : 2/8
         * It picks 0.5 with the labels it is scored on: 0.75, against the held-out 6/11 ≈ 0.545.
         */
        ThresholdSweep.Result best = inSample.result();
        assertThat(best.bestAggregatedThreshold()).isEqualTo(0.5);
        assertThat(best.bestAggregatedIou()).isCloseTo(0.75, within(1e-12));
        assertThat(h.result().aggregatedIou()).isCloseTo(6.0 / 11, within(1e-12))
                .isLessThan(best.bestAggregatedIou());
    }

    @Test
    void oneScanFallsBackToAlternatingImagesAndSaysSo() {
        HeldOutThreshold h = fiveThresholds();
        // one group: images 0, 2 (A, C) → fold 0; images 1, 3 (B, D) → fold 1: the hand computation above
        for (FloatImage m : new FloatImage[] {A, B, C, D}) {
            h.add("only-scan", m, TRUTH_TOP);
        }
        HeldOutThreshold.Result r = h.result();
        assertThat(r.split()).isEqualTo(HeldOutThreshold.Split.BY_IMAGE);
        assertThat(r.groups()).isEqualTo(1);
        assertThat(r.imagesFold0()).isEqualTo(2);
        assertThat(r.imagesFold1()).isEqualTo(2);
        assertThat(r.thresholdFold0()).isEqualTo(0.25);
        assertThat(r.thresholdFold1()).isEqualTo(0.5);
        assertThat(r.aggregatedIou()).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(r.perImageIou()).containsExactly(new double[] {0.5, 0.5, 0.5, 2.0 / 3}, within(1e-12));
        assertThat(r.toString()).contains("BY_IMAGE", "1 groups");
    }

    @Test
    void tiesPickTheSmallestThresholdOnEachFold() {
        HeldOutThreshold h = fiveThresholds();
        /*
         * Fold 0 = P (group "p"): map [0.6, 0.6, 0.1, 0.1], truth [1, 1, 0, 0]
         *   t = 0 → 2/4; t = 0.25 → 2/2 = 1; t = 0.5 → 2/2 = 1 (tie: 0.25 wins); t = 0.75 → 0
         * Fold 1 = Q (group "q"): map [0.9, 0.3, 0.3, 0.1], truth [1, 0, 0, 0]
         *   t = 0 → 1/4; t = 0.25 → 1/3; t = 0.5 → 1; t = 0.75 → 1 (tie: 0.5 wins); t = 1 → 0
         * P at 0.5: TP 2 → IoU 1, PER 0;  Q at 0.25: TP 1, FP 2 → IoU 1/3, PER 2/4
         *   IoU_agg = 3 / (3 + 2) = 3/5; IoU_mean = (1 + 1/3) / 2 = 2/3; PER = (0 + 1/2) / 2 = 1/4
         */
        h.add("p", map(0.6f, 0.6f, 0.1f, 0.1f), TRUTH_TOP);
        h.add("q", map(0.9f, 0.3f, 0.3f, 0.1f), FloatImage.of(2, 2, new float[] {1, 0, 0, 0}));
        HeldOutThreshold.Result r = h.result();
        assertThat(r.thresholdFold0()).isEqualTo(0.25);
        assertThat(r.thresholdFold1()).isEqualTo(0.5);
        assertThat(r.aggregatedIou()).isCloseTo(0.6, within(1e-12));
        assertThat(r.meanPerImageIou()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.pixelErrorRate()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void postProcessingIsAppliedInTheSweepsAndTheScoring() {
        // 3×3 maps: a bright vertical pair at (0,0), (1,0) (the tumour) and a lone bright pixel at (0,2), not adjacent
        float[] v = {0.9f, 0.1f, 0.9f, 0.9f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
        FloatImage truth = FloatImage.of(3, 3, new float[] {1, 0, 0, 1, 0, 0, 0, 0, 0});
        HeldOutThreshold h = HeldOutThreshold.builder().count(5)
                .postProcessing(PostProcessing.builder().largestComponent(true).build()).build();
        h.add("a", FloatImage.of(3, 3, v), truth);
        h.add("b", FloatImage.of(3, 3, v), truth);
        /*
         * Largest 8-connected component only: at t ∈ {0.25, 0.5, 0.75} the pair (2 px) beats the lone pixel
         * → TP 2, FP 0, FN 0, IoU 1; at t = 0 all 9 pixels form one component → 2/9; at t = 1 nothing → 0.
         * Both folds pick 0.25; each image scored at 0.25 → IoU 1, PER 0 (without post-processing: TP 2, FP 1
         * → 2/3).
         */
        HeldOutThreshold.Result r = h.result();
        assertThat(r.thresholdFold0()).isEqualTo(0.25);
        assertThat(r.thresholdFold1()).isEqualTo(0.25);
        assertThat(r.aggregatedIou()).isEqualTo(1.0);
        assertThat(r.pixelErrorRate()).isEqualTo(0.0);
        assertThat(r.postProcessing().largestComponent()).isTrue();
    }

    @Test
    void equalsTwoSweepsAndTwoMaskEvaluationsDoneByHand() {
        for (PostProcessing pp : new PostProcessing[] {PostProcessing.none(), PostProcessing.OPEN_CLOSE_LARGEST}) {
            SplittableRandom rnd = new SplittableRandom(11);
            // 9 images in 4 scans of uneven size; sorted keys scan-a, scan-b, scan-c, scan-d → folds 0, 1, 0, 1
            String[] scans = {"scan-c", "scan-a", "scan-b", "scan-a", "scan-d", "scan-c", "scan-a", "scan-b", "scan-c"};
            int[] fold = {0, 0, 1, 0, 1, 0, 0, 1, 0};
            HeldOutThreshold h = HeldOutThreshold.builder().postProcessing(pp).build();
            ThresholdSweep[] sweeps = {ThresholdSweep.builder().postProcessing(pp).build(),
                ThresholdSweep.builder().postProcessing(pp).build()};
            List<FloatImage[]> data = new ArrayList<>();
            for (String scan : scans) {
                float[] m = new float[8 * 8];
                float[] t = new float[8 * 8];
                for (int r = 0; r < 8; r++) {
                    for (int c = 0; c < 8; c++) {
                        boolean tumour = r >= 2 && r < 6 && c >= 1 && c < 5 + rnd.nextInt(3);
                        t[r * 8 + c] = tumour ? 1 : 0;
                        m[r * 8 + c] = (float) (tumour ? 0.3 + 0.7 * rnd.nextDouble() : 0.6 * rnd.nextDouble());
                    }
                }
                FloatImage[] d = {FloatImage.of(8, 8, m), FloatImage.of(8, 8, t)};
                data.add(d);
                h.add(scan, d[0], d[1]);
            }
            for (int i = 0; i < data.size(); i++) {
                sweeps[fold[i]].add(data.get(i)[0], data.get(i)[1]);
            }
            double[] chosen = {sweeps[0].result().bestAggregatedThreshold(),
                sweeps[1].result().bestAggregatedThreshold()};
            // fold 0 scored at fold 1's threshold and vice versa
            MaskEvaluation[] scored = {new MaskEvaluation("m", chosen[1], pp), new MaskEvaluation("m", chosen[0], pp)};
            double[] perImage = new double[data.size()];
            double[] per = new double[data.size()];
            for (int i = 0; i < data.size(); i++) {
                MaskEvaluation e = scored[fold[i]];
                e.add(data.get(i)[0], data.get(i)[1]);
                perImage[i] = e.meanPerImageIou().perImage()[(int) e.meanPerImageIou().count() - 1];
                per[i] = e.pixelErrorRate().perImage()[(int) e.pixelErrorRate().count() - 1];
            }
            long tp = scored[0].aggregatedIou().totals().tp() + scored[1].aggregatedIou().totals().tp();
            long union = scored[0].aggregatedIou().totals().union() + scored[1].aggregatedIou().totals().union();

            HeldOutThreshold.Result r = h.result();
            assertThat(r.split()).isEqualTo(HeldOutThreshold.Split.BY_GROUP);
            assertThat(r.imagesFold0()).isEqualTo(6);
            assertThat(r.imagesFold1()).isEqualTo(3);
            assertThat(r.thresholdFold0()).as("%s", pp).isEqualTo(chosen[0]);
            assertThat(r.thresholdFold1()).as("%s", pp).isEqualTo(chosen[1]);
            assertThat(r.aggregatedIou()).as("%s", pp).isCloseTo((double) tp / union, within(1e-12));
            assertThat(r.perImageIou()).containsExactly(perImage, within(1e-12));
            assertThat(r.meanPerImageIou()).isCloseTo(Arrays.stream(perImage).average().orElseThrow(),
                    within(1e-12));
            assertThat(r.pixelErrorRate()).isCloseTo(Arrays.stream(per).average().orElseThrow(),
                    within(1e-12));
            // the data is not degenerate: the pooled IoU is neither 0 nor 1
            assertThat(r.aggregatedIou()).isStrictlyBetween(0.0, 1.0);
        }
    }

    @Test
    void badInputIsRefusedWithMessagesThatNameTheValueAndTheFix() {
        HeldOutThreshold h = fiveThresholds();
        assertThatThrownBy(() -> h.add(null, A, TRUTH_TOP)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group of image 0 is null").hasMessageContaining("Slice.scanId()");
        assertThatThrownBy(() -> h.add("s", A, FloatImage.zeros(3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth mask of image 0 (group 's') is 3x3 but its map is 2x2")
                .hasMessageContaining("same slice");
        assertThatThrownBy(() -> h.add("s", A, map(1, 0.5f, 0, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth mask of image 0 (group 's') must be a 0/1 mask, but pixel 1 is 0.5");
        assertThatThrownBy(() -> h.add("s", map(0.1f, Float.NaN, 0, 0), TRUTH_TOP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map of image 0 (group 's') is NaN at pixel 1");
        // nothing refused was kept
        assertThat(h.count()).isZero();
        assertThatThrownBy(h::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least 2 images").hasMessageContaining("but 0 were added");
        h.add("s", A, TRUTH_TOP);
        assertThatThrownBy(h::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("but 1 were added").hasMessageContaining("add more GT-abnormal slices");
        assertThatThrownBy(() -> HeldOutThreshold.builder().count(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count must be >= 2 thresholds, got 1");
        assertThatThrownBy(() -> HeldOutThreshold.builder().range(1, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lo < hi, got [1.0, 0.0]");
    }
}
