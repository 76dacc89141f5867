package dev.coin.data.dataset;

import dev.coin.data.random.Seeds;

import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a {@link SliceSource} and a {@link Sampler} into NCHW batches, assembling the next batches on a
 * background thread while the caller trains on the current one.
 *
 * <p>Two seeds, two owners: the loader's {@link Builder#seed seed} seeds the per-item transforms (e.g. where an
 * anomaly is drawn) and, when no sampler is given, the default shuffle; a {@link Builder#sampler sampler} carries
 * its own seed for the order. With a sampler and no transform the loader's seed would seed nothing, so
 * {@code build()} refuses an explicit {@code seed(...)} then ({@link IgnoredSettingException}).
 *
 * <pre>{@code
 * BatchLoader loader = BatchLoader.builder(source).sampler(BalancedSampler.of(source.infos(), 777))  // order
 *         .batchSize(16).transform(anomalies).seed(777).build();                                    // anomalies
 * try (BatchLoader.Epoch epoch = loader.epoch(0)) {
 *     while (epoch.hasNext()) { Batch b = epoch.next(); ... }
 * }
 * }</pre>
 *
 * <p>Per-item transforms get the seed {@code derive(seed, epoch, position)}, so batches are identical whatever
 * the prefetch depth or thread timing.
 */
public final class BatchLoader {
    static {
        // Select the fast oneDNN natives before this class can be the first to load ND4J.
        dev.coin.data.runtime.NativeBackend.configure();
    }

    private final SliceSource source;
    private final Sampler sampler;
    private final int batchSize;
    private final SliceTransform transform;
    private final long seed;
    private final int prefetch;
    private final boolean dropLast;

    private BatchLoader(Builder b) {
        this.source = b.source;
        this.sampler = b.sampler == null ? ShuffledSampler.shuffled(b.source.size(), b.seed) : b.sampler;
        this.batchSize = b.batchSize;
        this.transform = b.transform;
        this.seed = b.seed;
        this.prefetch = b.prefetch;
        this.dropLast = b.dropLast;
    }

    public static Builder builder(SliceSource source) {
        return new Builder(source);
    }

    public SliceSource source() {
        return source;
    }

    /** The seed of the per-item transforms (and of the default sampler's shuffle; a given sampler has its own). */
    public long seed() {
        return seed;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches epoch {@code epoch} yields. */
    public int batchesIn(int epoch) {
        int n = sampler.plan(epoch).size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Size of epoch {@code epoch}'s last batch (0 when the epoch yields no batch). */
    public int lastBatchSize(int epoch) {
        int n = sampler.plan(epoch).size();
        if (n == 0 || (dropLast && n < batchSize)) {
            return 0;
        }
        int rest = n % batchSize;
        return dropLast || rest == 0 ? batchSize : rest;
    }

    /** Starts assembling epoch {@code epoch}; close it (try-with-resources) to stop the background thread early. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch, sampler.plan(epoch));
    }

    /** Assembles one batch synchronously: positions [from, to) of the plan. */
    Batch assemble(int epoch, EpochPlan plan, int from, int to) {
        int n = to - from;
        List<SliceInfo> infos = new ArrayList<>(n);
        Slice first = null;
        float[] img = null;
        float[] masks = null;
        float[] labels = new float[n];
        float[] healthy = null;
        int h = 0;
        int w = 0;
        int k = 0;
        for (int r = 0; r < n; r++) {
            int pos = from + r;
            int index = plan.item(pos);
            Slice s = transform.apply(source.get(index), Seeds.derive(seed, epoch, pos));
            if (first == null) {
                first = s;
                h = s.image().height();
                w = s.image().width();
                k = s.masks().size();
                img = new float[n * h * w];
                masks = new float[n * k * h * w];
                healthy = plan.isPaired() ? new float[n * h * w] : null;
            } else if (s.image().height() != h || s.image().width() != w || s.masks().size() != k) {
                throw new IllegalStateException("slices in one batch must share size and mask channels: "
                        + first + " vs " + s + "; resize every scan to the same size in the SliceConfig");
            }
            System.arraycopy(s.image().toArray(), 0, img, r * h * w, h * w);
            for (int c = 0; c < k; c++) {
                System.arraycopy(s.masks().get(c).toArray(), 0, masks, (r * k + c) * h * w, h * w);
            }
            labels[r] = s.label();
            infos.add(SliceInfo.of(s));
            if (healthy != null) {
                FloatImage partner = source.get(plan.partner(pos)).image();
                if (partner.height() != h || partner.width() != w) {
                    throw new IllegalStateException("healthy partner has size " + partner.height() + "x"
                            + partner.width() + ", batch has " + h + "x" + w);
                }
                System.arraycopy(partner.toArray(), 0, healthy, r * h * w, h * w);
            }
        }
        INDArray images = Nd4j.create(img, new long[] {n, 1, h, w}, DataType.FLOAT);
        INDArray maskArr = Nd4j.create(masks, new long[] {n, k, h, w}, DataType.FLOAT);
        INDArray labelArr = Nd4j.create(labels, new long[] {n, 1}, DataType.FLOAT);
        INDArray healthyArr = healthy == null ? null : Nd4j.create(healthy, new long[] {n, 1, h, w}, DataType.FLOAT);
        return new Batch(images, maskArr, labelArr, healthyArr, List.copyOf(infos));
    }

    @Override
    public String toString() {
        return "BatchLoader[" + source + ", " + sampler + ", batch " + batchSize + ", prefetch " + prefetch
                + (dropLast ? ", drop last" : "") + "]";
    }

    /** The batches of one epoch, assembled ahead on a daemon thread. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue;
        private final Thread worker;
        private final int total;
        private int delivered;
        private volatile boolean closed;

        private Epoch(int epoch, EpochPlan plan) {
            int n = plan.size();
            this.total = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
            this.queue = new ArrayBlockingQueue<>(Math.max(1, prefetch) + 1);
            this.worker = new Thread(() -> {
                try {
                    for (int b = 0; b < total && !closed; b++) {
                        int from = b * batchSize;
                        put(assemble(epoch, plan, from, Math.min(n, from + batchSize)));
                    }
                    put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    try {
                        put(e);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "coin-batch-prefetch-epoch-" + epoch);
            worker.setDaemon(true);
            worker.start();
        }

        private void put(Object o) throws InterruptedException {
            while (!closed) {
                if (queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }

        /** Batches in this epoch. */
        public int total() {
            return total;
        }

        @Override
        public boolean hasNext() {
            return !closed && delivered < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch exhausted after " + delivered + " batches");
            }
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (o instanceof RuntimeException re) {
                close();
                throw re;
            }
            if (o instanceof Error err) {
                close();
                throw err;
            }
            if (o == END) {
                throw new IllegalStateException("batch producer ended early after " + delivered + " of " + total);
            }
            delivered++;
            return (Batch) o;
        }

        @Override
        public void close() {
            closed = true;
            worker.interrupt();
        }
    }

    /** Options of {@link BatchLoader}. */
    public static final class Builder {
        private final SliceSource source;
        private Sampler sampler;
        private int batchSize = 16;
        private SliceTransform transform = SliceTransform.identity();
        private long seed = 777;
        private boolean seedSet;
        private boolean transformSet;
        private int prefetch = 2;
        private boolean dropLast;

        private Builder(SliceSource source) {
            if (source == null || source.size() == 0) {
                throw new IllegalArgumentException("source must hold at least one slice, got "
                        + (source == null ? "null" : "an empty source"));
            }
            this.source = source;
        }

        /**
         * Which items an epoch visits, in which order, seeded by the sampler's own seed (the loader's
         * {@link #seed} does not reach it). Default: every item once per epoch, shuffled with the loader's seed.
         */
        public Builder sampler(Sampler sampler) {
            this.sampler = java.util.Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder transform(SliceTransform transform) {
            this.transform = java.util.Objects.requireNonNull(transform, "transform");
            this.transformSet = true;
            return this;
        }

        /**
         * The data seed (default 777): it seeds the per-item transforms ({@code derive(seed, epoch, position)}) and,
         * without a {@link #sampler}, the default shuffle. A sampler's order follows the sampler's own seed; with a
         * sampler and no transform this seed would have no effect, and {@link #build()} refuses it.
         */
        public Builder seed(long seed) {
            this.seed = seed;
            this.seedSet = true;
            return this;
        }

        /** Batches assembled ahead of the consumer (default 2). */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0) {
                throw new IllegalArgumentException("prefetch must be >= 0, got " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        /** Drop a last incomplete batch (default: keep it, as the reference's drop_last = false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @throws IgnoredSettingException when {@link #seed} was set together with a {@link #sampler} but no
         *                                 {@link #transform}: nothing would use that seed
         */
        public BatchLoader build() {
            if (seedSet && sampler != null && !transformSet) {
                throw new IgnoredSettingException("BatchLoader.Builder.seed", seed, "BatchLoader.Builder.seed(" + seed
                        + ") would have no effect: the sampler " + sampler + " draws the order with its own seed and "
                        + "there is no per-item transform for the loader's seed to seed; give the seed to the sampler "
                        + "(e.g. ShuffledSampler.shuffled(n, " + seed + ")) and drop .seed(" + seed + "), or drop "
                        + ".sampler(...) to shuffle with the loader's seed");
            }
            return new BatchLoader(this);
        }
    }
}
