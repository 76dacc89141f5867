package dev.coin.data.synth;

import dev.coin.data.image.FloatImage;
import dev.coin.data.random.Seeds;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a dataset gets its synthetic anomalies from. The reference re-draws anomalies on every access, validation
 * included, so its validation ground truth changes every epoch; here validation and test sets use a
 * {@link #fixed fixed} source (the anomaly of item i is a pure function of (seed, i)) and training uses a
 * {@link #stream stream} (a new draw on every access, reproducible for the same access sequence).
 *
 * <pre>{@code
 * AnomalySource val = AnomalySource.fixed(1234);        // same anomaly for item 17 in every epoch
 * AnomalySource train = AnomalySource.stream(99);       // fresh anomaly per access
 * AnomalyResult r = val.apply(17, slice, kidneyMask);
 * }</pre>
 */
public interface AnomalySource {
    /**
     * The anomaly draw for item {@code itemIndex}.
     *
     * @param image      slice in [−1, 1]
     * @param kidneyMask kidney mask of the slice, same size
     */
    AnomalyResult apply(long itemIndex, FloatImage image, FloatImage kidneyMask);

    /** A fixed set with the reference parameters: the draw for item i depends only on (seed, i). */
    static AnomalySource fixed(long seed) {
        return fixed(GaussianBlobAnomaly.coin(), seed);
    }

    static AnomalySource fixed(GaussianBlobAnomaly anomaly, long seed) {
        Objects.requireNonNull(anomaly, "anomaly");
        return new AnomalySource() {
            @Override
            public AnomalyResult apply(long itemIndex, FloatImage image, FloatImage kidneyMask) {
                return anomaly.apply(image, kidneyMask, Seeds.rng(seed, itemIndex));
            }

            @Override
            public String toString() {
                return "AnomalySource.fixed(seed=" + seed + ", " + anomaly + ")";
            }
        };
    }

    /** A stream with the reference parameters: the n-th call (any item) draws from (seed, n, item). */
    static AnomalySource stream(long seed) {
        return stream(GaussianBlobAnomaly.coin(), seed);
    }

    static AnomalySource stream(GaussianBlobAnomaly anomaly, long seed) {
        Objects.requireNonNull(anomaly, "anomaly");
        AtomicLong calls = new AtomicLong();
        return new AnomalySource() {
            @Override
            public AnomalyResult apply(long itemIndex, FloatImage image, FloatImage kidneyMask) {
                long n = calls.getAndIncrement();
                return anomaly.apply(image, kidneyMask, Seeds.rng(seed, Long.MIN_VALUE + 1, n, itemIndex));
            }

            @Override
            public String toString() {
                return "AnomalySource.stream(seed=" + seed + ", " + calls.get() + " draws, " + anomaly + ")";
            }
        };
    }
}
