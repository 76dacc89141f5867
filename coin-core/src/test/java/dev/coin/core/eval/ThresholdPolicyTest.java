package dev.coin.core.eval;

import dev.coin.core.mask.PostProcessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {

    /** A 16×16 map: a 5×5 "tumour" with values in [0.6, 0.8], background in [0, 0.3] plus a few 0.5 pixels. */
    private static FloatImage[] example(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] map = new float[256];
        float[] truth = new float[256];
        for (int r = 0; r < 16; r++) {
            for (int c = 0; c < 16; c++) {
                int i = r * 16 + c;
                boolean tumour = r >= 4 && r < 9 && c >= 6 && c < 11;
                truth[i] = tumour ? 1 : 0;
                map[i] = (float) (tumour ? 0.6 + 0.2 * rnd.nextDouble() : 0.3 * rnd.nextDouble());
            }
        }
        map[0] = 0.5f;
        map[255] = 0.5f;
        return new FloatImage[] {FloatImage.of(16, 16, map), FloatImage.of(16, 16, truth)};
    }

    @Test
    void sweepFindsTheSeparatingThreshold() {
        ThresholdSweep sweep = ThresholdSweep.builder().build();
        for (long s = 0; s < 3; s++) {
            FloatImage[] e = example(s);
            sweep.add(e[0], e[1]);
        }
        ThresholdSweep.Result r = sweep.result();
        assertThat(r.thresholds()).hasSize(101);
        // IoU is 1 for t in [0.5, 0.6); pixels equal to 0.5 are off at t = 0.5 (strict >); smallest such t wins
        assertThat(r.bestAggregatedThreshold()).isCloseTo(0.5, within(1e-12));
        assertThat(r.bestAggregatedIou()).isEqualTo(1.0);
        assertThat(r.bestMeanPerImageThreshold()).isCloseTo(0.5, within(1e-12));
        // at t = 0.49 the two 0.5 pixels per image are false positives: 25 / 27
        assertThat(r.aggregatedIou()[49]).isCloseTo(25.0 / 27, within(1e-12));
    }

    @Test
    void sweepCurvesEqualFixedThresholdEvaluationsWithAndWithoutPostProcessing() {
        for (PostProcessing pp : new PostProcessing[] {PostProcessing.none(), PostProcessing.OPEN_CLOSE_LARGEST}) {
            ThresholdSweep sweep = ThresholdSweep.builder().count(21).postProcessing(pp).build();
            SplittableRandom rnd = new SplittableRandom(5);
            FloatImage[][] data = new FloatImage[4][];
            for (int k = 0; k < 4; k++) {
                float[] m = new float[12 * 12];
                float[] t = new float[12 * 12];
                for (int i = 0; i < m.length; i++) {
                    m[i] = (float) Math.round(rnd.nextDouble() * 40) / 40f; // hits thresholds exactly too
                    t[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
                }
                data[k] = new FloatImage[] {FloatImage.of(12, 12, m), FloatImage.of(12, 12, t)};
                sweep.add(data[k][0], data[k][1]);
            }
            ThresholdSweep.Result r = sweep.result();
            for (int k = 0; k < 21; k++) {
                MaskEvaluation e = new MaskEvaluation("m", r.thresholds()[k], pp);
                for (FloatImage[] d : data) {
                    e.add(d[0], d[1]);
                }
                assertThat(r.aggregatedIou()[k]).as("%s t=%s", pp, r.thresholds()[k])
                        .isCloseTo(e.aggregatedIou().value(), within(1e-12));
                assertThat(r.meanPerImageIou()[k]).isCloseTo(e.meanPerImageIou().value(), within(1e-12));
            }
        }
    }

    @Test
    void labelFreeThresholdIsTheHealthyPercentile() {
        SplittableRandom rnd = new SplittableRandom(11);
        LabelFreeThreshold policy = LabelFreeThreshold.builder().build();
        double[] all = new double[20 * 64];
        int n = 0;
        for (int s = 0; s < 20; s++) {
            float[] v = new float[64];
            for (int i = 0; i < 64; i++) {
                v[i] = (float) Math.pow(rnd.nextDouble(), 3);
                all[n++] = v[i];
            }
            policy.add(FloatImage.of(8, 8, v));
        }
        Arrays.sort(all);
        double rank = 0.99 * (all.length - 1); // numpy's default linear interpolation
        int lo = (int) Math.floor(rank);
        double exact = all[lo] + (rank - lo) * (all[lo + 1] - all[lo]);
        assertThat(policy.threshold()).isCloseTo(exact, within(1.0 / (1 << 16)));
        // hand example: 0, 0.01, ..., 0.99 → p50 = 0.495
        LabelFreeThreshold p50 = LabelFreeThreshold.builder().percentile(50).bins(1 << 20).build();
        float[] ramp = new float[100];
        for (int i = 0; i < 100; i++) {
            ramp[i] = i / 100f;
        }
        p50.add(FloatImage.of(10, 10, ramp));
        assertThat(p50.threshold()).isCloseTo(0.495, within(1.0 / 100));
    }

    @Test
    void badInputsAreRejected() {
        assertThatThrownBy(() -> LabelFreeThreshold.builder().build().threshold()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LabelFreeThreshold.builder().build().add(FloatImage.of(1, 1, new float[] {1.5f})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> LabelFreeThreshold.builder().percentile(101).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        assertThatThrownBy(() -> ThresholdSweep.builder().count(1).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
