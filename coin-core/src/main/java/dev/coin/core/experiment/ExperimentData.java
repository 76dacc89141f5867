package dev.coin.core.experiment;

import dev.coin.core.RealSamples;
import dev.coin.data.augment.Transform;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.slice.Slice;
import java.util.List;

/**
 * The data an experiment table trains and evaluates on, owned by the caller (the runner does not know where slices
 * come from): loaders for the counterfactual trainers and the classifiers, and the evaluation slices with their
 * ground-truth masks. The same evaluation slices, in the same order, for every cell: per-image results line up
 * across rows and seeds.
 *
 * <p>The main job's implementation is the embedded synthetic phantom ({@code StoryData} in coin-examples).
 */
public interface ExperimentData {

    /**
     * Batches for a counterfactual trainer. {@link RealSamples#INPUT}: the balanced training slices (the COIN and
     * Singla rows); {@link RealSamples#PAIRED_HEALTHY}: tumour-only slices each paired with a healthy one
     * (COIN-Aligned rows 3–8), e.g. through {@code PairedHealthySampler}. Neither may end an epoch with a batch of one.
     */
    BatchLoader counterfactualBatches(RealSamples realSamples, int batchSize, long seed);

    /**
     * Batches for a classifier: the reference augmentations followed by {@code extraAugmentations}, {@code steps}
     * batches of {@code batchSize} per epoch.
     */
    BatchLoader classifierBatches(List<Transform> extraAugmentations, int batchSize, int steps, long seed);

    /** Labelled slices the classifier trainer selects its best epoch on. */
    SliceSource classifierValidation();

    /** The evaluated slices (labels 0 and 1; label-1 slices carry {@link #truthMask()}). */
    List<Slice> evaluationSlices();

    /**
     * The evaluated slices before their synthetic anomalies were inserted, same order, for the perfect-counterfactual
     * ceiling; empty when the anomalies are real (no ceiling row).
     */
    List<Slice> cleanEvaluationSlices();

    /** The name of the tumour mask on abnormal evaluation slices. */
    String truthMask();

    /** The split's fingerprint, recorded in every cell's provenance. */
    String splitHash();

    /** One line for the table's header, e.g. "synthetic phantom, 16 scans, 128²". */
    String describe();
}
