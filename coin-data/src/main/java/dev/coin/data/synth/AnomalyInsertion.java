package dev.coin.data.synth;

import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.random.Seeds;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * COIN's synthetic-anomaly experiment on slices: a Gaussian blob inside the kidney turns a slice abnormal; the
 * slice gains an {@value #MASK} mask channel (all zero when nothing was inserted) and label 1 exactly when a blob
 * was inserted (reference §6.6). Ground-truth lesions already in the label volume are not used for the label.
 *
 * <pre>{@code
 * SliceTransform train = AnomalyInsertion.training(GaussianBlobAnomaly.coin());   // a new draw per access
 * SliceSource val = AnomalyInsertion.fixedSet(dataset.validation(), GaussianBlobAnomaly.coin(), 1234);
 * }</pre>
 */
public final class AnomalyInsertion {
    /** Name of the appended mask channel. */
    public static final String MASK = "anomaly";

    private AnomalyInsertion() {
    }

    /**
     * A transform for training loaders: each access draws from the seed the loader passes in (a pure function of
     * loader seed, epoch and position), so a resumed run sees the same anomalies.
     */
    public static SliceTransform training(GaussianBlobAnomaly anomaly) {
        Objects.requireNonNull(anomaly, "anomaly");
        return (slice, seed) -> insert(slice, anomaly, seed);
    }

    /**
     * A fixed, seeded evaluation set: the anomaly of slice i depends only on (seed, i), drawn once here, so every
     * epoch and every method sees the same ground truth (the reference re-draws them on each access).
     */
    public static SliceSource fixedSet(SliceSource source, GaussianBlobAnomaly anomaly, long seed) {
        List<Slice> out = new ArrayList<>(source.size());
        for (int i = 0; i < source.size(); i++) {
            out.add(insert(source.get(i), anomaly, Seeds.derive(seed, i)));
        }
        return SliceSource.of(out);
    }

    static Slice insert(Slice slice, GaussianBlobAnomaly anomaly, long seed) {
        if (!slice.hasMask(LabelMap.KIDNEY)) {
            throw new IllegalArgumentException("slice " + slice.scanId() + "#" + slice.sliceIndex()
                    + " has no '" + LabelMap.KIDNEY + "' mask (masks: " + slice.maskNames()
                    + "); synthetic anomalies are placed inside the kidney");
        }
        AnomalyResult r = anomaly.apply(slice.image(), slice.mask(LabelMap.KIDNEY), Seeds.rng(seed));
        return slice.withImage(r.image()).withMask(MASK, r.anomalyMask()).withLabel(r.label());
    }
}
