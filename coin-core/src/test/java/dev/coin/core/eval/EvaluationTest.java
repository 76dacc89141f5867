package dev.coin.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.explain.SaliencyMethod;
import dev.coin.core.mask.Masks;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.core.report.SummaryTable;
import dev.coin.data.dataset.Batch;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The evaluation facade on hand-made slices: saliency rows, the perfect-counterfactual ceiling, and the held-out
 * threshold rows of a counterfactual method and a saliency method.
 */
class EvaluationTest {
    private static final int N = 8;

    /** A 4×4 pasted patch at (2, 2); intensity +0.9 (unit 0.45) on its left 3 columns, +0.3 (unit 0.15) on the 4th. */
    private static Slice abnormal(int k) {
        float[] img = new float[N * N];
        float[] truth = new float[N * N];
        for (int r = 2; r < 6; r++) {
            for (int c = 2; c < 6; c++) {
                img[r * N + c] = c < 5 ? 0.9f : 0.3f;
                truth[r * N + c] = 1;
            }
        }
        return new Slice("s", k, 1, 0.5, FloatImage.of(N, N, img), List.of("anomaly"), List.of(FloatImage.of(N, N, truth)));
    }

    private static Slice clean(int k, int label) {
        return new Slice("s", k, label, 0.5, FloatImage.zeros(N, N), List.of("anomaly"), List.of(FloatImage.zeros(N, N)));
    }

    /** A method that returns the truth mask of slice k as its map (in order of the batch). */
    private static SaliencyMethod oracle(List<Slice> slices) {
        return new SaliencyMethod() {
            int next;

            @Override
            public String name() {
                return "oracle";
            }

            @Override
            public FloatImage[] saliency(INDArray x) {
                List<FloatImage> out = new ArrayList<>();
                for (int i = 0; i < x.size(0); i++) {
                    out.add(slices.stream().filter(s -> s.label() == 1).toList().get(next++).mask("anomaly"));
                }
                return out.toArray(FloatImage[]::new);
            }
        };
    }

    @Test
    void ceilingIsTheIouOfThePastedDifferenceAndSaliencyRowsAreScoredOnAbnormalSlices() {
        List<Slice> slices = List.of(abnormal(0), clean(1, 0), abnormal(2));
        List<Slice> before = List.of(clean(0, 0), clean(1, 0), clean(2, 0));
        EvaluationReport r = Evaluation.builder().truthMask("anomaly").saliency(oracle(slices)).ceiling(before)
                .progress(s -> { }).build().on(slices);
        SummaryTable.Row ceiling = r.table().rows().stream()
                .filter(x -> x.method().equals(Evaluation.CEILING) && x.policy().startsWith("fixed")).findFirst()
                .orElseThrow();
        // unit-space difference 0.45 on 12 of the 16 truth pixels, 0.15 (< 0.25) on 4: IoU = 12 / 16 on both slices
        assertThat(ceiling.metrics().get("IoU_agg")).isCloseTo(12.0 / 16.0, within(1e-9));
        SummaryTable.Row oracle = r.table().rows().stream()
                .filter(x -> x.method().equals("oracle") && x.policy().startsWith("fixed")).findFirst().orElseThrow();
        assertThat(oracle.metrics().get("IoU_agg")).isCloseTo(1.0, within(1e-9));
        assertThat(r.perImageIou().get("oracle")).containsExactly(1.0, 1.0);
        // held-out rows: one scan, so the two abnormal slices are the two folds. The oracle's 0/1 map and the ceiling's
        // map (0.45 and 0.15 on the truth, 0 elsewhere) are both exact at t = 0 (map > 0 is the truth): IoU 1
        for (String method : List.of("oracle", Evaluation.CEILING)) {
            SummaryTable.Row heldOut = row(r, method, Evaluation.HELD_OUT_POLICY);
            assertThat(heldOut.threshold()).isEqualTo(0.0);
            assertThat(heldOut.metrics()).containsEntry("IoU_agg", 1.0).containsEntry("n_abnormal", 2.0)
                    .containsEntry("threshold_fold0", 0.0).containsEntry("threshold_fold1", 0.0);
        }
        // the gallery: one labelled saliency panel per abnormal slice, with the slice's IoU
        assertThat(r.panels()).hasSize(2).allSatisfy(p -> {
            assertThat(p.method()).isEqualTo("oracle");
            assertThat(p.isCounterfactual()).isFalse();
            assertThat(p.truthAbnormal()).isTrue();
            assertThat(p.iou()).isEqualTo(1.0);
        });
        assertThat(r.panels().stream().map(p -> p.sliceIndex()).toList()).containsExactly(slices.get(0).sliceIndex(),
                slices.get(2).sliceIndex());
        assertThat(Evaluation.builder().saliency(oracle(slices)).gallery(false).progress(s -> { }).build().on(slices)
                .panels()).isEmpty();
    }

    private static SummaryTable.Row row(EvaluationReport r, String method, String policy) {
        return r.table().rows().stream().filter(x -> x.method().equals(method) && x.policy().equals(policy))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + method + " / " + policy));
    }

    private static final int S = 32;

    /**
     * A 32² slice of scan {@code scan}: a noisy body, and when abnormal a brighter disc (the truth mask). Scan-b's
     * disc and body are both brighter than the others' (unit-space disc 0.9–0.95 over a body up to 0.8, against
     * 0.7–0.75 over a body up to 0.6), so the best threshold depends on which scans it is chosen on.
     */
    private static Slice disc(String scan, int k, boolean abnormal) {
        boolean bright = scan.equals("scan-b");
        SplittableRandom rnd = new SplittableRandom(31L * k + scan.hashCode());
        float[] img = new float[S * S];
        float[] truth = new float[S * S];
        int cr = 10 + rnd.nextInt(12);
        int cc = 10 + rnd.nextInt(12);
        int radius = 3 + rnd.nextInt(3);
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                boolean in = abnormal && (r - cr) * (r - cr) + (c - cc) * (c - cc) <= radius * radius;
                img[r * S + c] = (float) (in ? (bright ? 0.8 : 0.4) + 0.1 * rnd.nextDouble()
                        : -0.6 + (bright ? 1.2 : 0.8) * rnd.nextDouble());
                truth[r * S + c] = in ? 1 : 0;
            }
        }
        return new Slice(scan, k, abnormal ? 1 : 0, 0.5, FloatImage.of(S, S, img), List.of("anomaly"),
                List.of(FloatImage.of(S, S, truth)));
    }

    /** A narrow COIN pipeline; with random generator weights its difference maps are arbitrary but fixed. */
    private static Pipeline tinyCoin() {
        return Presets.coinSynthetic().classifier(ResNet18.Spec.ofWidth(4).create(17L))
                .generator(UNetPerturbation.builder().stemChannels(4).channels(4, 8, 8, 16, 16)
                        .upsample(UpsampleKind.NEAREST).spectralNorm(false).build())
                .discriminator(ResNetDiscriminator.builder().blocks(new int[] {4, 8, 8, 16, 16},
                        new int[] {2, 2, 2, 2, 2}).build())
                .seed(11).build();
    }

    /** A saliency method that needs no model: the input's intensity in unit space, (x + 1) / 2 clipped to [0, 1]. */
    private static final SaliencyMethod INTENSITY = new SaliencyMethod() {
        @Override
        public String name() {
            return "intensity";
        }

        @Override
        public FloatImage[] saliency(INDArray x) {
            FloatImage[] out = new FloatImage[(int) x.size(0)];
            for (int i = 0; i < out.length; i++) {
                out[i] = intensity(image(x, i));
            }
            return out;
        }
    };

    private static FloatImage intensity(FloatImage x) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(1f, Math.max(0f, (v[i] + 1f) / 2f));
        }
        return FloatImage.wrap(x.height(), x.width(), v);
    }

    private static FloatImage image(INDArray batch, int i) {
        int h = (int) batch.size(2);
        int w = (int) batch.size(3);
        return FloatImage.wrap(h, w, batch.get(NDArrayIndex.point(i)).dup().castTo(DataType.FLOAT).reshape(h * w)
                .toFloatVector());
    }

    private static void assertRowEquals(SummaryTable.Row row, HeldOutThreshold.Result expected) {
        Map<String, Double> m = row.metrics();
        assertThat(row.threshold()).isEqualTo(expected.meanThreshold());
        assertThat(m.get("threshold_fold0")).isEqualTo(expected.thresholdFold0());
        assertThat(m.get("threshold_fold1")).isEqualTo(expected.thresholdFold1());
        assertThat(m.get("IoU_agg")).isEqualTo(expected.aggregatedIou());
        assertThat(m.get("IoU_mean")).isEqualTo(expected.meanPerImageIou());
        assertThat(m.get("PER")).isEqualTo(expected.pixelErrorRate());
        assertThat(m.get("n_abnormal")).isEqualTo(expected.images());
    }

    @Test
    void heldOutRowsFollowTheInSampleSweepAndEqualHeldOutThresholdOnTheSameMaps() {
        // 3 scans × (2 abnormal + 1 healthy) = 9 slices: one counterfactual batch (16), two saliency batches (8)
        List<Slice> slices = new ArrayList<>();
        for (String scan : List.of("scan-b", "scan-a", "scan-c")) {
            slices.add(disc(scan, slices.size(), true));
            slices.add(disc(scan, slices.size(), false));
            slices.add(disc(scan, slices.size(), true));
        }
        Pipeline pipeline = tinyCoin();
        ParameterStore weights = pipeline.generator().initialise(DataType.FLOAT, 5L);
        EvaluationReport r = Evaluation.builder().truthMask("anomaly")
                .counterfactual("COIN", new TrainedPipeline(pipeline, weights.copy(), List.of()))
                .saliency(INTENSITY).gallery(false).progress(s -> { }).build().on(slices);

        // the same maps, by hand: the twin pipeline's difference maps and the intensity maps of the abnormal slices
        TrainedPipeline.Counterfactual cf = new TrainedPipeline(pipeline, weights.copy(), List.of())
                .counterfactual(Batch.stackImages(slices));
        HeldOutThreshold coin = HeldOutThreshold.builder().build();
        HeldOutThreshold intensity = HeldOutThreshold.builder().build();
        HeldOutThreshold coinOneGroup = HeldOutThreshold.builder().build();
        HeldOutThreshold intensityOneGroup = HeldOutThreshold.builder().build();
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            if (s.label() == 1) {
                coin.add(s.scanId(), Masks.differenceMap(image(cf.reference(), i), image(cf.counterfactual(), i)),
                        s.mask("anomaly"));
                intensity.add(s.scanId(), intensity(s.image()), s.mask("anomaly"));
                coinOneGroup.add("all", Masks.differenceMap(image(cf.reference(), i), image(cf.counterfactual(), i)),
                        s.mask("anomaly"));
                intensityOneGroup.add("all", intensity(s.image()), s.mask("anomaly"));
            }
        }
        HeldOutThreshold.Result coinExpected = coin.result();
        HeldOutThreshold.Result intensityExpected = intensity.result();
        assertThat(coinExpected.split()).isEqualTo(HeldOutThreshold.Split.BY_GROUP);
        assertThat(coinExpected.imagesFold0()).isEqualTo(4); // scan-a and scan-c
        assertThat(coinExpected.imagesFold1()).isEqualTo(2); // scan-b

        assertRowEquals(row(r, "COIN", Evaluation.HELD_OUT_POLICY), coinExpected);
        assertRowEquals(row(r, "intensity", Evaluation.HELD_OUT_POLICY), intensityExpected);
        // the split by scan matters on this data: splitting the same maps image by image gives other numbers
        assertThat(coinOneGroup.result().aggregatedIou()).isNotEqualTo(coinExpected.aggregatedIou());
        assertThat(intensityOneGroup.result().aggregatedIou()).isNotEqualTo(intensityExpected.aggregatedIou());

        // row order: each method's held-out row right after its in-sample sweep row, the rest unchanged
        List<String> coinPolicies = r.table().rows().stream().filter(x -> x.method().equals("COIN"))
                .map(SummaryTable.Row::policy).toList();
        assertThat(coinPolicies).containsExactly("fixed 0.25", "best IoU_agg (sweep, uses labels)",
                Evaluation.HELD_OUT_POLICY, "fixed 0.25", "label-free (healthy p99)", "label-free (healthy p99)",
                "label-free (healthy p99.9)");
        assertThat(r.table().rows().stream().filter(x -> x.method().equals("intensity")).map(SummaryTable.Row::policy)
                .toList()).containsExactly("fixed 0.975", "best IoU_agg (sweep, uses labels)",
                Evaluation.HELD_OUT_POLICY);
    }

    @Test
    void withOneAbnormalSliceTheHeldOutRowIsUndefinedRatherThanAFailure() {
        List<Slice> slices = List.of(disc("s", 0, true), disc("s", 1, false));
        EvaluationReport r = Evaluation.builder().saliency(INTENSITY).gallery(false).progress(s -> { }).build()
                .on(slices);
        SummaryTable.Row heldOut = row(r, "intensity", Evaluation.HELD_OUT_POLICY);
        assertThat(heldOut.threshold()).isNaN();
        assertThat(heldOut.metrics().get("IoU_agg")).isNaN();
        assertThat(heldOut.metrics().get("n_abnormal")).isEqualTo(1.0);
        // the other rows are still there and defined
        assertThat(row(r, "intensity", "fixed 0.975").metrics().get("IoU_agg")).isNotNaN();
    }

    @Test
    void mismatchedCeilingAndMissingMethodsAreRefused() {
        List<Slice> slices = List.of(abnormal(0), clean(1, 0));
        assertThatThrownBy(() -> Evaluation.builder().ceiling(List.of(clean(0, 0))).saliency(oracle(slices))
                .progress(s -> { }).build().on(slices)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 clean slices but on(...) got 2");
        assertThatThrownBy(() -> Evaluation.builder().ceiling(List.of(clean(1, 0), clean(0, 0)))
                .saliency(oracle(slices)).progress(s -> { }).build().on(slices))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same order");
        assertThatThrownBy(() -> Evaluation.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one method");
        assertThatThrownBy(() -> Evaluation.builder().truthMask("tumour").saliency(oracle(slices)).build().on(slices))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no mask 'tumour'");
    }
}
