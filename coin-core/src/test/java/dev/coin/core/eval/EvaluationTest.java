package dev.coin.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.core.explain.SaliencyMethod;
import dev.coin.core.report.SummaryTable;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The evaluation facade on hand-made slices: saliency rows and the perfect-counterfactual ceiling. */
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
