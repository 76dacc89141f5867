package dev.coin.examples.bench;

import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random slices for the training benchmarks: what is timed is the arithmetic of a step, which does not depend on
 * image content, so uniform noise in [−0.9, 0.9] with a fixed kidney/background mask pair stands in for data and
 * keeps the probes free of data files. Labels alternate so both classes occur.
 */
final class RandomSlices {
    private RandomSlices() {
    }

    /** {@code count} square slices of side {@code size}, reproducible from {@code seed}. */
    static SliceSource of(int count, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Slice> slices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] img = new float[size * size];
            float[] bg = new float[size * size];
            float[] kid = new float[size * size];
            for (int p = 0; p < img.length; p++) {
                img[p] = (float) (rng.nextDouble() * 1.8 - 0.9);
                kid[p] = p % 7 == 0 ? 1 : 0;
                bg[p] = 1 - kid[p];
            }
            slices.add(new Slice("bench", i, i % 2, 0.5, FloatImage.of(size, size, img),
                    List.of("background", "kidney"),
                    List.of(FloatImage.of(size, size, bg), FloatImage.of(size, size, kid))));
        }
        return SliceSource.of(slices);
    }
}
