package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.Explanation;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.mask.Mask;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.core.mask.PostProcessing;
import dev.coin.data.image.FloatImage;
import dev.coin.data.image.PngWriter;
import dev.coin.data.slice.Slice;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link TrainedPipeline#explain} against hand computations from {@link TrainedPipeline#counterfactual}. Every
 * eval-mode generator call advances the spectral-norm vectors, so the reference values come from a twin pipeline
 * holding a copy of the same store (both start from the same state and see the same calls).
 */
class ExplainTest {
    @TempDir
    Path tmp;

    private static TrainedPipeline twin() {
        return TinyTrained.twin();
    }

    static INDArray batch(List<Slice> slices) {
        int h = slices.get(0).height();
        int w = slices.get(0).width();
        float[] v = new float[slices.size() * h * w];
        for (int i = 0; i < slices.size(); i++) {
            System.arraycopy(slices.get(i).image().toArray(), 0, v, i * h * w, h * w);
        }
        return Nd4j.create(v, new long[] {slices.size(), 1, h, w}, 'c');
    }

    private static float[] sample(INDArray a, int i) {
        return a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).castTo(DataType.FLOAT).dup('c').reshape(-1)
                .toFloatVector();
    }

    @Test
    void differenceMapMasksAndProbabilitiesMatchHandComputations() {
        TrainedPipeline a = twin();
        TrainedPipeline b = twin();
        List<Slice> slices = TinyData.slices(4, 21);
        List<Explanation> es = a.explain(slices);
        TrainedPipeline.Counterfactual cf = b.counterfactual(batch(slices));
        double[] p = cf.probabilityBefore().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] q = cf.probabilityAfter().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        assertThat(es).hasSize(4);
        int nontrivialMasks = 0;
        for (int i = 0; i < 4; i++) {
            Explanation e = es.get(i);
            float[] x = slices.get(i).image().toArray();
            float[] xcf = sample(cf.counterfactual(), i);
            assertThat(e.input()).isEqualTo(slices.get(i).image());
            assertThat(e.counterfactual().toArray()).containsExactly(xcf);
            assertThat(e.probabilityBefore()).isEqualTo(p[i]);
            assertThat(e.probabilityAfter()).isEqualTo(q[i]);
            assertThat(e.flipped()).isEqualTo(p[i] >= 0.5 && q[i] < 0.5);
            float[] diff = e.differenceMap().toArray();
            float[] byHand = new float[x.length];
            int above = 0;
            for (int k = 0; k < x.length; k++) {
                // unit space: (x + 1)/2 − (x_cf + 1)/2, in double
                byHand[k] = (float) Math.abs((x[k] + 1.0) / 2 - (xcf[k] + 1.0) / 2);
                assertThat((double) diff[k]).as("pixel %d of slice %d", k, i).isCloseTo(byHand[k],
                        org.assertj.core.data.Offset.offset(1e-6));
                above += diff[k] > 0.25 ? 1 : 0;
            }
            Mask m = e.mask();
            assertThat(m.policy()).isEqualTo(MaskPolicy.DEFAULT);
            assertThat(m.area()).isEqualTo(above);
            for (int k = 0; k < x.length; k++) {
                assertThat(m.image().toArray()[k]).isEqualTo(diff[k] > 0.25 ? 1f : 0f);
            }
            // a threshold at the median change cuts the map roughly in half, so the count is never vacuous
            float[] sorted = diff.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            int aboveMedian = 0;
            for (float d : diff) {
                aboveMedian += d > median ? 1 : 0;
            }
            assertThat(aboveMedian).isBetween(1, x.length - 1);
            assertThat(e.mask(MaskPolicy.fixed(median)).area()).isEqualTo(aboveMedian);
            nontrivialMasks += above > 0 && above < x.length ? 1 : 0;
            // post-processing: the three steps one after the other, each a separate PostProcessing
            FloatImage step = MaskPolicy.fixed(median).apply(e.differenceMap()).image();
            step = PostProcessing.builder().opening(true).build().apply(step);
            step = PostProcessing.builder().closing(true).build().apply(step);
            step = PostProcessing.builder().largestComponent(true).build().apply(step);
            Mask clean = e.mask(MaskPolicy.fixed(median).postProcess(PostProcessing.OPEN_CLOSE_LARGEST));
            assertThat(clean.image()).isEqualTo(step);
            assertThat(clean.area()).isEqualTo(step.countPositive());
        }
        // the default threshold cuts something out of at least one slice (so the count check above is not vacuous)
        assertThat(nontrivialMasks).isPositive();
        System.out.println(es.get(0) + "\n" + es.get(1));
        assertThat(es.get(0).toString()).startsWith("Explanation[32x32, p ").contains(" → ", "mask ", " px", "diff > 0.25");
    }

    @Test
    void listsAreSentSixteenAtATimeAndSplitWhereTheSizeChanges() {
        List<Slice> slices = new ArrayList<>(TinyData.slices(20, 8));
        TrainedPipeline a = twin();
        TrainedPipeline b = twin();
        List<Explanation> all = a.explain(slices);
        // reference: the same two batches, by hand
        List<Explanation> first = b.explain(batch(slices.subList(0, 16)));
        List<Explanation> rest = b.explain(batch(slices.subList(16, 20)));
        assertThat(all).hasSize(20);
        assertThat(all.subList(0, 16)).isEqualTo(first);
        assertThat(all.subList(16, 20)).isEqualTo(rest);

        // a 64² slice between 32² ones: three batches, each explanation of its own size
        List<Slice> mixed = List.of(slices.get(0), TinyData.slices(1, 4, 64).get(0), slices.get(1));
        List<Explanation> m = twin().explain(mixed);
        assertThat(m).extracting(e -> e.input().height()).containsExactly(32, 64, 32);
        assertThat(m.get(1).input()).isEqualTo(mixed.get(1).image());
        assertThat(m.get(1).counterfactual().width()).isEqualTo(64);

        Explanation single = twin().explain(slices.get(3));
        assertThat(single.input()).isEqualTo(slices.get(3).image());
    }

    @Test
    void panelsArePngsOfTheDocumentedLayout() {
        Slice s = TinyData.slices(1, 3).get(0);
        Explanation e = twin().explain(s);
        Path strip = e.writePanel(tmp.resolve("a/strip.png"));
        BufferedImage img = PngWriter.read(strip);
        assertThat(img.getWidth()).isEqualTo(4 * 32 + 3 * 2);
        assertThat(img.getHeight()).isEqualTo(32);
        // the mask tile is white exactly where the default mask is on
        float[] mask = e.mask().image().toArray();
        for (int r = 0; r < 32; r++) {
            for (int c = 0; c < 32; c++) {
                int rgb = img.getRGB(3 * 34 + c, r) & 0xFFFFFF;
                assertThat(rgb).isEqualTo(mask[r * 32 + c] == 1f ? 0xFFFFFF : 0);
            }
        }
        Path full = e.writePanel(tmp.resolve("b/full.png"), s.mask("kidney"));
        BufferedImage p = PngWriter.read(full);
        assertThat(p.getWidth()).isEqualTo(3 * 32 + 2 * 2);
        assertThat(p.getHeight()).isEqualTo(2 * 32 + 2);
        // confusion tile (row 0, column 2): TP green / FP red / FN yellow / black, against the kidney mask
        float[] truth = s.mask("kidney").toArray();
        for (int k = 0; k < 32 * 32; k++) {
            boolean pr = mask[k] == 1f;
            boolean tr = truth[k] == 1f;
            int expected = pr ? (tr ? 0x32A852 : 0xEB4034) : (tr ? 0xCFCF1F : 0);
            assertThat(p.getRGB(2 * 34 + k % 32, k / 32) & 0xFFFFFF).isEqualTo(expected);
        }
    }

    @Test
    void badInputIsRefusedWithAFix() {
        FloatImage img = FloatImage.zeros(32, 32);
        assertThatThrownBy(() -> Explanation.of(img, FloatImage.zeros(32, 16), 0.5, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32x16").hasMessageContaining("32x32");
        assertThatThrownBy(() -> Explanation.of(img, img, 1.5, 0.5)).hasMessageContaining("probabilityBefore")
                .hasMessageContaining("1.5").hasMessageContaining("sigmoid");
        assertThatThrownBy(() -> Explanation.of(img, img, 0.5, Double.NaN)).hasMessageContaining("probabilityAfter");
        assertThat(Explanation.of(img, img, 0.9, 0.1).flipped()).isTrue();
        assertThat(Explanation.of(img, img, 0.5, 0.49).flipped()).isTrue();
        assertThat(Explanation.of(img, img, 0.9, 0.5).flipped()).isFalse();
        assertThat(Explanation.of(img, img, 0.4, 0.1).flipped()).isFalse();
        assertThat(Explanation.of(img, img, 0.9, 0.1).mask().area()).isZero();
        List<Slice> withNull = new ArrayList<>(TinyData.slices(2, 1));
        withNull.add(1, null);
        assertThatThrownBy(() -> twin().explain(withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slices[1]");
        assertThatThrownBy(() -> twin().explain(Nd4j.zeros(DataType.FLOAT, 2, 32, 32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B, 1, H, W]");
        assertThatThrownBy(() -> Explanation.of(img, img, 0.9, 0.1).mask(null)).hasMessageContaining("policy");
    }
}
