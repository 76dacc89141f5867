package dev.coin.examples;

import dev.coin.core.Explanation;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.synth.AnomalyInsertion;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How much each model's counterfactual changes the healthy part of the organ on the abnormal validation slices: the
 * kidney pixels outside the inserted anomaly (ground-truth masks of the synthetic set). Three numbers per model:
 * the mean difference |reference − x_cf| / 2 there, the fraction of those pixels above the 0.25 threshold (edits
 * that would count as tumour), and — when a segmentor is given — the mean relative change of the kidney area the
 * segmentor predicts (p > 0.5) between x and x_cf. Lower is better for all three.
 */
final class KidneyEdit {
    private static final double THRESHOLD = 0.25;

    private KidneyEdit() {
    }

    /** A Markdown table, one row per model. */
    static String table(Map<String, TrainedPipeline> models, List<Slice> slices, UNetSegmentor segmentor) {
        List<Slice> abnormal = slices.stream().filter(s -> s.label() == 1).toList();
        StringBuilder b = new StringBuilder();
        b.append("| model | mean edit on healthy kidney | healthy kidney pixels edited > 0.25 | kidney area change "
                + "(segmentor) |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, TrainedPipeline> m : models.entrySet()) {
            List<Explanation> ex = m.getValue().explain(abnormal);
            double editSum = 0;
            long edited = 0;
            long healthy = 0;
            double areaChange = 0;
            for (int i = 0; i < abnormal.size(); i++) {
                Slice s = abnormal.get(i);
                float[] kidney = s.mask(LabelMap.KIDNEY).toArray();
                float[] anomaly = s.mask(AnomalyInsertion.MASK).toArray();
                float[] diff = ex.get(i).differenceMap().toArray();
                for (int k = 0; k < diff.length; k++) {
                    if (kidney[k] >= 0.5f && anomaly[k] < 0.5f) {
                        healthy++;
                        editSum += diff[k];
                        if (diff[k] > THRESHOLD) {
                            edited++;
                        }
                    }
                }
                if (segmentor != null) {
                    double before = area(segmentor, s.image());
                    double after = area(segmentor, ex.get(i).counterfactual());
                    areaChange += before > 0 ? Math.abs(after - before) / before : 0;
                }
            }
            b.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s |%n", m.getKey(),
                    healthy == 0 ? Double.NaN : editSum / healthy, healthy == 0 ? Double.NaN : (double) edited / healthy,
                    segmentor == null ? "n/a" : String.format(Locale.ROOT, "%.4f", areaChange / abnormal.size())));
        }
        b.append(String.format(Locale.ROOT, "%n%d abnormal validation slices; the healthy kidney is the kidney mask "
                + "minus the inserted anomaly.%n", abnormal.size()));
        return b.toString();
    }

    /** Kidney pixels the segmentor predicts (p > 0.5) in one image. */
    private static double area(UNetSegmentor segmentor, FloatImage image) {
        INDArray x = org.nd4j.linalg.factory.Nd4j.create(image.toArray(), new long[] {1, 1, image.height(),
                image.width()}, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        return segmentor.probabilities(x).gt(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber()
                .doubleValue();
    }
}
