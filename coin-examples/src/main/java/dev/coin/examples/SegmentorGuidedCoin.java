package dev.coin.examples;

import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.model.Classifier;
import dev.coin.core.model.segmentor.UNetSegmentor;
import dev.coin.core.train.ProgressBar;
import dev.coin.core.train.SegmentorTrainer;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.losses.SegmentorGuidance;
import dev.coin.losses.SegmentorInputs;
import java.nio.file.Path;

/**
 * COIN with a segmentor-guided term (Seg-CFT style), in two steps on the main job's data: train a small kidney
 * segmentor on the slices' masks (anomalies inside the kidney count as kidney), then add its frozen structure term
 * to a COIN preset, so the counterfactual removes the anomaly without eroding the organ. Not wired into
 * {@link Main}; call it from your own program or JShell.
 *
 * <pre>{@code
 * StoryData data = StoryData.open(Path.of("coin-work"));
 * UNetSegmentor seg = SegmentorGuidedCoin.trainSegmentor(data, Path.of("coin-work/segmentor"), 5);
 * Pipeline p = SegmentorGuidedCoin.pipeline(classifier, seg, 1.0);
 * // PipelineTrainer.builder(p).runDirectory(...).build().fit(loader, epochs);   // logs loss/seg, loss/seg/raw
 * }</pre>
 */
public final class SegmentorGuidedCoin {
    private SegmentorGuidedCoin() {
    }

    /**
     * Trains a 2-level U-Net (widths 8, 16, 32) on the kidney channel of {@code data}'s training slices, with the
     * main job's anomaly insertion as the loader's transform, for {@code epochs} epochs; the run folder gets
     * provenance, metrics and the segmentor ({@code <run>/model}, read back with {@link UNetSegmentor#load}).
     */
    public static UNetSegmentor trainSegmentor(StoryData data, Path run, int epochs) {
        BatchLoader loader = BatchLoader.builder(data.dataset().train()).batchSize(16).seed(7).dropLast(true)
                .transform(data.trainTransform()).build();
        SegmentorTrainer.Result r = SegmentorTrainer.builder(UNetSegmentor.builder().widths(8, 16, 32).build())
                .seed(7)
                .targetChannels(1)                       // the kidney channel, which covers the inserted anomalies
                .validation(data.validation())
                .runDirectory(run)
                .listeners(new ProgressBar())
                .build().fit(loader, epochs);
        return r.segmentor();
    }

    /**
     * The synthetic COIN preset with the segmentor-guided term (per-pixel L1 of the structure map, weight
     * {@code lambda}) and {@code classifier}; {@code Presets.coin(classifier)} takes the term the same way.
     */
    public static Pipeline pipeline(Classifier classifier, UNetSegmentor segmentor, double lambda) {
        SegmentorInputs seg = SegmentorInputs.of(segmentor);   // keys seg_x, seg_xcf: share them with your own terms
        return Presets.coinSynthetic(classifier).toBuilder()
                .loss(SegmentorGuidance.of(seg).weight(lambda))
                .build();
    }
}
