package dev.coin.data.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchLoaderTest {

    /** Slice i: image filled with i/100, kidney mask = pixel (0, i mod 4), label i mod 2. */
    static Slice slice(int i, int size) {
        float[] img = new float[size * size];
        java.util.Arrays.fill(img, i / 100f);
        float[] bg = new float[size * size];
        float[] kid = new float[size * size];
        kid[i % 4] = 1;
        for (int p = 0; p < bg.length; p++) {
            bg[p] = 1 - kid[p];
        }
        return new Slice("scan" + (i / 5), i % 5, i % 2, (i % 5) / 4.0, FloatImage.of(size, size, img),
                List.of("background", "kidney"), List.of(FloatImage.of(size, size, bg), FloatImage.of(size, size, kid)));
    }

    static SliceSource source(int n) {
        List<Slice> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(slice(i, 4));
        }
        return SliceSource.of(s);
    }

    @Test
    void stackImagesPutsSliceIIntoRowIAndRefusesMixedSizes() {
        Slice a = slice(3, 4);
        Slice b = slice(7, 4);
        INDArray x = Batch.stackImages(List.of(a, b));
        assertThat(x.shape()).containsExactly(2, 1, 4, 4);
        assertThat(x.getFloat(0, 0, 2, 1)).isEqualTo(0.03f);
        assertThat(x.getFloat(1, 0, 3, 3)).isEqualTo(0.07f);
        assertThatThrownBy(() -> Batch.stackImages(List.of(a, slice(1, 8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slice 1 is 8x8")
                .hasMessageContaining("resize");
        assertThatThrownBy(() -> Batch.stackImages(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no slices");
    }

    @Test
    void batchesAreNchwAndFollowTheSamplerOrder() {
        SliceSource src = source(10);
        BatchLoader loader = BatchLoader.builder(src).sampler(ShuffledSampler.sequential(10)).batchSize(4).build();
        assertThat(loader.batchesIn(0)).isEqualTo(3);
        List<Batch> batches = new ArrayList<>();
        try (BatchLoader.Epoch e = loader.epoch(0)) {
            e.forEachRemaining(batches::add);
        }
        assertThat(batches).hasSize(3);
        Batch b = batches.get(1);
        assertThat(b.images().shape()).containsExactly(4, 1, 4, 4);
        assertThat(b.masks().shape()).containsExactly(4, 2, 4, 4);
        assertThat(b.labels().shape()).containsExactly(4, 1);
        assertThat(b.healthy()).isNull();
        // Row r of batch 1 is item 4 + r.
        for (int r = 0; r < 4; r++) {
            int item = 4 + r;
            assertThat(b.images().getFloat(r, 0, 2, 3)).isEqualTo(item / 100f);
            assertThat(b.labels().getFloat(r, 0)).isEqualTo(item % 2);
            assertThat(b.masks().getFloat(r, 1, 0, item % 4)).isEqualTo(1f);
            assertThat(b.masks().sumNumber().intValue()).isEqualTo(4 * 16); // bg + kidney cover every pixel once
            assertThat(b.infos().get(r).sliceIndex()).isEqualTo(item % 5);
        }
        assertThat(batches.get(2).size()).isEqualTo(2); // last incomplete batch kept by default
        assertThat(BatchLoader.builder(src).batchSize(4).dropLast(true).build().batchesIn(0)).isEqualTo(2);
    }

    @Test
    void sameSeedGivesIdenticalBatchesWhateverThePrefetchDepth() {
        SliceSource src = source(12);
        SliceTransform noise = (s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            float[] px = s.image().toArray();
            for (int i = 0; i < px.length; i++) {
                px[i] += (float) r.nextGaussian();
            }
            return s.withImage(FloatImage.of(s.height(), s.width(), px));
        };
        INDArray a = collect(BatchLoader.builder(src).batchSize(5).transform(noise).seed(9).prefetch(0).build(), 1);
        INDArray b = collect(BatchLoader.builder(src).batchSize(5).transform(noise).seed(9).prefetch(4).build(), 1);
        INDArray c = collect(BatchLoader.builder(src).batchSize(5).transform(noise).seed(10).prefetch(4).build(), 1);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static INDArray collect(BatchLoader loader, int epoch) {
        List<INDArray> parts = new ArrayList<>();
        try (BatchLoader.Epoch e = loader.epoch(epoch)) {
            while (e.hasNext()) {
                parts.add(e.next().images());
            }
        }
        return org.nd4j.linalg.factory.Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    @Test
    void pairedPlansCarryTheHealthyPartner() {
        SliceSource src = source(20);
        PairedHealthySampler sampler = PairedHealthySampler.builder(src.infos()).bins(4).seed(1).build();
        BatchLoader loader = BatchLoader.builder(src).sampler(sampler).batchSize(3).build();
        try (BatchLoader.Epoch e = loader.epoch(0)) {
            Batch b = e.next();
            assertThat(b.healthy().shape()).containsExactly(3, 1, 4, 4);
            EpochPlan plan = sampler.plan(0);
            for (int r = 0; r < 3; r++) {
                assertThat(b.healthy().getFloat(r, 0, 0, 0)).isEqualTo(plan.partner(r) / 100f);
                assertThat(b.labels().getFloat(r, 0)).isEqualTo(1f);
            }
        }
    }

    @Test
    void errorsInTheBackgroundThreadReachTheCaller() {
        SliceTransform broken = (s, seed) -> {
            throw new IllegalStateException("boom at " + s.sliceIndex());
        };
        BatchLoader loader = BatchLoader.builder(source(4)).batchSize(2).transform(broken).build();
        try (BatchLoader.Epoch e = loader.epoch(0)) {
            assertThatThrownBy(e::next).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("boom");
        }
        assertThatThrownBy(() -> BatchLoader.builder(source(4)).batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    }

    /** The first image value of every batch of epoch 0 (which item, after the transform). */
    private static List<Float> firstValues(BatchLoader loader) {
        List<Float> out = new ArrayList<>();
        try (BatchLoader.Epoch e = loader.epoch(0)) {
            while (e.hasNext()) {
                INDArray x = e.next().images();
                for (int r = 0; r < x.size(0); r++) {
                    out.add(x.getFloat(r, 0, 0, 0));
                }
            }
        }
        return out;
    }

    @Test
    void theLoaderSeedSeedsTheTransformsAlsoWithASamplerAndIsRefusedWhereItWouldSeedNothing() {
        SliceSource src = source(10);
        // the transform adds a seed-dependent offset: the loader's seed must reach it with a sampler too
        SliceTransform noise = (s, seed) -> {
            float[] v = s.image().toArray().clone();
            float d = new SplittableRandom(seed).nextInt(1000) / 1e6f;
            for (int i = 0; i < v.length; i++) {
                v[i] += d;
            }
            return s.withImage(FloatImage.of(s.image().height(), s.image().width(), v));
        };
        Sampler order = ShuffledSampler.shuffled(10, 5);
        List<Float> a = firstValues(BatchLoader.builder(src).sampler(order).transform(noise).seed(1).batchSize(4)
                .build());
        List<Float> b = firstValues(BatchLoader.builder(src).sampler(order).transform(noise).seed(2).batchSize(4)
                .build());
        assertThat(a).hasSize(10).isNotEqualTo(b);
        // the order is the sampler's: same items, and the transform moved each value by less than 1e-3
        for (int i = 0; i < a.size(); i++) {
            assertThat(Math.abs(a.get(i) - b.get(i))).isLessThan(1e-3f);
        }
        // with a sampler and no transform, seed(...) would change nothing: refused at build, naming it and the fix
        assertThatThrownBy(() -> BatchLoader.builder(src).seed(42).sampler(order).build())
                .isInstanceOf(IgnoredSettingException.class)
                .hasMessageContaining("seed(42)").hasMessageContaining("no effect")
                .hasMessageContaining("ShuffledSampler.shuffled(n, 42)")
                .satisfies(e -> {
                    assertThat(((IgnoredSettingException) e).setting()).isEqualTo("BatchLoader.Builder.seed");
                    assertThat(((IgnoredSettingException) e).value()).isEqualTo("42");
                });
        // without a sampler the seed shuffles; without seed(...) a sampler alone is fine
        assertThat(firstValues(BatchLoader.builder(src).seed(1).batchSize(10).build()))
                .isNotEqualTo(firstValues(BatchLoader.builder(src).seed(2).batchSize(10).build()));
        assertThat(BatchLoader.builder(src).sampler(order).build().seed()).isEqualTo(777);
    }
}
