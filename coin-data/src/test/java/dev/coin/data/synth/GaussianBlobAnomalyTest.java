package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianBlobAnomalyTest {
    static final int H = 96;
    static final int W = 112;

    /** Kidney mask: filled ellipses (centre row, centre col, semi-axis rows, semi-axis cols). */
    static FloatImage ellipses(double[]... es) {
        float[] px = new float[H * W];
        for (double[] e : es) {
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    double dy = (r - e[0]) / e[2];
                    double dx = (c - e[1]) / e[3];
                    if (dx * dx + dy * dy <= 1) {
                        px[r * W + c] = 1;
                    }
                }
            }
        }
        return FloatImage.of(H, W, px);
    }

    /** A textured slice in [−1, 1]. */
    static FloatImage slice() {
        float[] px = new float[H * W];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (-0.6 + 0.5 * r.nextDouble());
        }
        return FloatImage.of(H, W, px);
    }

    @Test
    void sameSeedSameAnomalyDifferentSeedsDiffer() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin();
        FloatImage kid = ellipses(new double[] {48, 35, 20, 14}, new double[] {50, 80, 18, 13});
        FloatImage img = slice();
        int differing = 0;
        for (long s = 0; s < 20; s++) {
            AnomalyResult x = a.apply(img, kid, new SplittableRandom(s));
            AnomalyResult y = a.apply(img, kid, new SplittableRandom(s));
            assertThat(x.image()).isEqualTo(y.image());
            assertThat(x.anomalyMask()).isEqualTo(y.anomalyMask());
            AnomalyResult z = a.apply(img, kid, new SplittableRandom(s + 1000));
            differing += x.image().equals(z.image()) && x.anomalyMask().equals(z.anomalyMask()) ? 0 : 1;
        }
        assertThat(differing).isGreaterThan(10);
    }

    @Test
    void insertionRateIsAboutSixtyFivePercentAndLabelsMatch() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin();
        FloatImage kid = ellipses(new double[] {48, 35, 22, 15}, new double[] {46, 80, 20, 14});
        FloatImage img = slice();
        int n = 2000;
        int inserted = 0;
        for (int i = 0; i < n; i++) {
            AnomalyResult r = a.apply(img, kid, new SplittableRandom(1_000 + i));
            boolean ins = r.outcome() == AnomalyResult.Outcome.INSERTED;
            assertThat(r.inserted()).isEqualTo(ins);
            assertThat(r.label()).isEqualTo(ins ? 1 : 0);
            assertThat(r.anomalyMask().countPositive() > 0).isEqualTo(ins);
            if (!ins) {
                assertThat(r.outcome()).isEqualTo(AnomalyResult.Outcome.SKIPPED);
                assertThat(r.image()).isEqualTo(img);
            }
            inserted += ins ? 1 : 0;
        }
        // Binomial(2000, 0.65): sd = 0.0107; allow 4 sd.
        assertThat(inserted / (double) n).isBetween(0.65 - 0.043, 0.65 + 0.043);
    }

    @Test
    void centreIsStrictlyInsideOneOfTheTwoLargestKidneysAndBothAreUsed() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin().toBuilder().probability(1).build();
        // Two kidneys with concave notches (hilum) plus a smaller third component that must never be chosen.
        float[] px = ellipses(new double[] {30, 30, 20, 14}, new double[] {34, 80, 18, 13},
                new double[] {80, 56, 11, 12}).toArray();
        for (int r = 26; r < 36; r++) {
            for (int c = 36; c < 45; c++) {
                px[r * W + c] = 0; // notch into the left kidney
            }
        }
        FloatImage kid = FloatImage.of(H, W, px);
        FloatImage img = slice();
        int left = 0;
        int right = 0;
        for (int i = 0; i < 400; i++) {
            AnomalyResult r = a.apply(img, kid, new SplittableRandom(i));
            assertThat(r.inserted()).isTrue();
            AnomalyResult.Placement p = r.placement().orElseThrow();
            assertThat(p.contour().strictlyInside(p.centreCol(), p.centreRow())).isTrue();
            // Independent check: the centre pixel and its 4 neighbours are kidney pixels.
            int cy = p.centreRow();
            int cx = p.centreCol();
            assertThat(kid.get(cy, cx) + kid.get(cy - 1, cx) + kid.get(cy + 1, cx) + kid.get(cy, cx - 1)
                    + kid.get(cy, cx + 1)).isEqualTo(5f);
            assertThat(cy).as("never in the small third component").isLessThan(62);
            if (cx < 56) {
                left++;
            } else {
                right++;
            }
            assertThat(p.size()).isBetween(15, 20);
            assertThat(p.scale()).isBetween(0.75, 1.0);
        }
        assertThat(left).isBetween(150, 250);
        assertThat(right).isBetween(150, 250);
    }

    @Test
    void onABigKidneyTheWholeMaskIsInsideAndOnlyThePastedRectangleChanges() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin().toBuilder().probability(1).build();
        FloatImage kid = ellipses(new double[] {48, 56, 40, 48});
        FloatImage img = slice();
        float[] before = img.toArray();
        for (int i = 0; i < 200; i++) {
            AnomalyResult r = a.apply(img, kid, new SplittableRandom(77 + i));
            assertThat(r.inserted()).isTrue();
            AnomalyResult.Placement p = r.placement().orElseThrow();
            float[] m = r.anomalyMask().toArray();
            float[] out = r.image().toArray();
            int r0 = p.centreRow() - p.size() / 2;
            int c0 = p.centreCol() - p.size() / 2;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int q = y * W + x;
                    assertThat(m[q] == 0f || m[q] == 1f).isTrue();
                    // The centre may sit anywhere in the ellipse, so check containment only for centres deep inside.
                    boolean inRect = y >= r0 && y < r0 + p.size() && x >= c0 && x < c0 + p.size();
                    if (!inRect) {
                        assertThat(out[q]).isEqualTo(before[q]);
                        assertThat(m[q]).isZero();
                    } else {
                        // unit += 0.9·blob ≥ 0: never darker, brighter by at most 2·0.9·0.9829.
                        assertThat(out[q]).isBetween(before[q] - 1e-6f, before[q] + 1.7692f);
                    }
                }
            }
            double dy = (p.centreRow() - 48) / 40.0;
            double dx = (p.centreCol() - 56) / 48.0;
            if (Math.sqrt(dx * dx + dy * dy) < 0.6) {
                for (int q = 0; q < m.length; q++) {
                    if (m[q] > 0) {
                        assertThat(kid.toArray()[q]).isEqualTo(1f);
                    }
                }
            }
        }
    }

    @Test
    void untransformedTemplateIsPastedExactly() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin().toBuilder().probability(1).scale(Interval.of(1.0))
                .distort(0.2, 0).rotate(90, 0).build();
        FloatImage kid = ellipses(new double[] {48, 56, 40, 48});
        float[] flat = new float[H * W];
        java.util.Arrays.fill(flat, -1f);
        AnomalyResult r = a.apply(FloatImage.of(H, W, flat), kid, new SplittableRandom(3));
        AnomalyResult.Placement p = r.placement().orElseThrow();
        assertThat(p.size()).isEqualTo(20);
        assertThat(r.anomalyMask().countPositive()).isEqualTo(120);
        BlobTemplate t = a.template();
        int r0 = p.centreRow() - 10;
        int c0 = p.centreCol() - 10;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                // unit 0 + 0.9·blob, back to 2u − 1.
                assertThat(r.image().get(r0 + y, c0 + x)).isCloseTo((float) (2 * 0.9 * t.image().get(y, x) - 1),
                        org.assertj.core.api.Assertions.within(1e-6f));
                assertThat(r.anomalyMask().get(r0 + y, c0 + x)).isEqualTo(t.mask().get(y, x));
            }
        }
    }

    @Test
    void failuresLeaveTheImageAloneWithLabelZero() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin().toBuilder().probability(1).build();
        FloatImage img = slice();
        AnomalyResult none = a.apply(img, FloatImage.zeros(H, W), new SplittableRandom(1));
        assertThat(none.outcome()).isEqualTo(AnomalyResult.Outcome.NO_CONTOUR);
        // A 15×15 box has area 225 ≤ 400.
        AnomalyResult small = a.apply(img, ellipses(new double[] {40, 40, 7, 7}), new SplittableRandom(1));
        assertThat(small.outcome()).isEqualTo(AnomalyResult.Outcome.REGION_TOO_SMALL);
        // A kidney touching the border: some centres are too close for a 15–19 px blob.
        int outOfBounds = 0;
        for (int i = 0; i < 100; i++) {
            AnomalyResult r = a.apply(img, ellipses(new double[] {8, 56, 14, 30}), new SplittableRandom(i));
            outOfBounds += r.outcome() == AnomalyResult.Outcome.OUT_OF_BOUNDS ? 1 : 0;
            if (!r.inserted()) {
                assertThat(r.image()).isEqualTo(img);
                assertThat(r.label()).isZero();
                assertThat(r.anomalyMask().countPositive()).isZero();
            }
        }
        assertThat(outOfBounds).isGreaterThan(0);
        for (AnomalyResult r : new AnomalyResult[] {none, small}) {
            assertThat(r.image()).isEqualTo(img);
            assertThat(r.label()).isZero();
        }
    }

    @Test
    void rejectsBadInput() {
        GaussianBlobAnomaly a = GaussianBlobAnomaly.coin();
        assertThatThrownBy(() -> a.apply(FloatImage.zeros(10, 10), FloatImage.zeros(10, 11), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kidneyMask");
        float[] hot = new float[100];
        hot[5] = 3;
        assertThatThrownBy(() -> a.apply(FloatImage.of(10, 10, hot), FloatImage.zeros(10, 10), new SplittableRandom(1)))
                .hasMessageContaining("[-1, 1]");
        assertThatThrownBy(() -> GaussianBlobAnomaly.builder().probability(2)).hasMessageContaining("probability");
        assertThatThrownBy(() -> GaussianBlobAnomaly.builder().scale(Interval.of(0.5, 1.5)))
                .hasMessageContaining("scale");
    }

    @Test
    void fixedSourceIsAPureFunctionOfSeedAndItemAndStreamsVaryPerAccess() {
        FloatImage kid = ellipses(new double[] {48, 56, 30, 40});
        FloatImage img = slice();
        AnomalySource fixed = AnomalySource.fixed(9);
        AnomalyResult first = fixed.apply(4, img, kid);
        fixed.apply(7, img, kid);
        assertThat(fixed.apply(4, img, kid).image()).isEqualTo(first.image());
        assertThat(AnomalySource.fixed(9).apply(4, img, kid).anomalyMask()).isEqualTo(first.anomalyMask());

        AnomalySource s1 = AnomalySource.stream(9);
        AnomalySource s2 = AnomalySource.stream(9);
        int changed = 0;
        AnomalyResult prev = s1.apply(4, img, kid);
        assertThat(s2.apply(4, img, kid).image()).isEqualTo(prev.image());
        for (int i = 0; i < 10; i++) {
            AnomalyResult next = s1.apply(4, img, kid);
            assertThat(s2.apply(4, img, kid).image()).as("same seed, same access sequence").isEqualTo(next.image());
            changed += next.image().equals(prev.image()) ? 0 : 1;
            prev = next;
        }
        assertThat(changed).as("the same item gets new anomalies on later accesses").isGreaterThan(3);
    }
}
