package dev.coin.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.mask.Masks;
import dev.coin.data.image.FloatImage;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossInputs;
import dev.coin.losses.LossSet;
import dev.coin.losses.Reconstruction;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COIN-Aligned's dilation reconstruction loss (§9.7) and the tanh-aligned evaluation difference map (§9.2) against
 * the PyTorch vectors {@code loss_dilation}: the loss on (tanh(x_raw), x_cf) for k = 2, 3, 5, 7 and its gradient
 * with respect to x_cf (multiples of 1/(2·N·H·W), so exact), then |tanh(x) − x_cf|/2 and its 0.25 threshold (0/1,
 * exact), and the same without the alignment.
 */
class ReferenceDilationLossTest {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceDilationLossTest.class);
    private static final String CASE = "aligned/loss_dilation";
    private static Map<String, INDArray> ref;

    @BeforeAll
    static void read() throws Exception {
        ref = ReferenceVectors.arrays(CASE);
    }

    @Test
    void inputsFollowTheReferenceFusionAndAlignment() {
        INDArray xRaw = ref.get("x_raw");
        INDArray g = ref.get("g");
        assertThat(ReferenceGeneratorTest.maxAbsDiff(Transforms.tanh(xRaw.add(g), true), ref.get("x_cf")))
                .isLessThanOrEqualTo(1e-6);
        assertThat(ReferenceGeneratorTest.maxAbsDiff(Transforms.tanh(xRaw, true), ref.get("x_aligned")))
                .isLessThanOrEqualTo(1e-6);
        INDArray shifted = Transforms.tanh(xRaw.add(Transforms.tanh(g, true).sub(0.6).div(0.8)), true);
        assertThat(ReferenceGeneratorTest.maxAbsDiff(shifted, ref.get("x_cf_shifted"))).isLessThanOrEqualTo(1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 7})
    void dilationLossAndGradientMatchTheReference(int k) {
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.X, sd.constant("x_aligned", ref.get("x_aligned").castTo(DataType.FLOAT)))
                .put(LossInput.X_CF, sd.var("x_cf", ref.get("x_cf").castTo(DataType.FLOAT).dup())).build();
        String loss = LossSet.buildTerm(sd, Reconstruction.dilation(k), in).weighted().name();
        double value = sd.output(Collections.<String, INDArray>emptyMap(), loss).get(loss).getDouble(0);
        double expected = ref.get("loss_k" + k).getDouble(0);
        assertThat(Math.abs(value - expected)).as("loss_k%d: %s vs %s", k, value, expected).isLessThanOrEqualTo(1e-6);

        sd.setLossVariables(loss);
        INDArray grad = sd.calculateGradients(Collections.<String, INDArray>emptyMap(), "x_cf").get("x_cf");
        INDArray expectedGrad = ref.get("grad_xcf_k" + k);
        assertThat(grad.shape()).containsExactly(expectedGrad.shape());
        double d = ReferenceGeneratorTest.maxAbsDiff(grad, expectedGrad);
        assertThat(d).as("grad_xcf_k%d (exact: multiples of 1/(2NHW))", k).isEqualTo(0.0);
        LOG.info("dilation k={}: loss {} (reference {}), max |grad - ref| = {}", k, value, expected, d);
    }

    @Test
    void alignedAndUnalignedDifferenceMapsAndMasksMatchTheReference() {
        INDArray xRaw = ref.get("x_raw");
        INDArray xCf = ref.get("x_cf");
        INDArray aligned = Transforms.tanh(xRaw, true);
        check(aligned, xCf, "diff_eval", "diff_seg_eval");
        check(xRaw, xCf, "diff_eval_unaligned", "diff_seg_eval_unaligned");
        // the alignment is what makes an untouched background pixel (x = −1, x_cf = tanh(−1 + g)) differ less
        assertThat(ref.get("diff_seg_eval").sumNumber().doubleValue())
                .isNotEqualTo(ref.get("diff_seg_eval_unaligned").sumNumber().doubleValue());
    }

    private static void check(INDArray x, INDArray xCf, String diffKey, String segKey) {
        int n = (int) x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        double worst = 0;
        long ones = 0;
        for (int i = 0; i < n; i++) {
            FloatImage diff = Masks.differenceMap(image(x, i, h, w), image(xCf, i, h, w));
            FloatImage seg = Masks.threshold(diff, Masks.DEFAULT_DIFFERENCE_THRESHOLD);
            float[] expDiff = slice(ref.get(diffKey), i);
            float[] expSeg = slice(ref.get(segKey), i);
            float[] gotDiff = diff.toArray();
            float[] gotSeg = seg.toArray();
            for (int p = 0; p < gotDiff.length; p++) {
                worst = Math.max(worst, Math.abs(gotDiff[p] - expDiff[p]));
                ones += (long) gotSeg[p];
            }
            assertThat(gotSeg).as("%s[%d]", segKey, i).containsExactly(expSeg);
        }
        assertThat(worst).as(diffKey).isLessThanOrEqualTo(1e-6);
        LOG.info("{}: max |diff - ref| = {}; {}: {} pixels above 0.25, identical", diffKey, worst, segKey, ones);
    }

    private static FloatImage image(INDArray batch, int i, int h, int w) {
        return FloatImage.wrap(h, w, slice(batch, i));
    }

    private static float[] slice(INDArray batch, int i) {
        return batch.get(NDArrayIndex.point(i)).castTo(DataType.FLOAT).dup('c').reshape(-1).toFloatVector();
    }
}
