package dev.coin.core.train;

import dev.coin.core.Pipeline;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** 32×32 test slices (dark noisy background, a bright disc in every other slice) and tiny networks. */
final class TinyData {
    static final int SIZE = 32;

    private TinyData() {
    }

    static List<Slice> slices(int n, long seed) {
        return slices(n, seed, SIZE);
    }

    /** {@code n} slices of {@code size}² (body radius and blob scale with the size). */
    static List<Slice> slices(int n, long seed, int size) {
        final int SIZE = size;
        double scale = size / 32.0;
        SplittableRandom rng = new SplittableRandom(seed);
        List<Slice> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            float[] img = new float[SIZE * SIZE];
            float[] body = new float[SIZE * SIZE];
            float[] bg = new float[SIZE * SIZE];
            boolean abnormal = s % 2 == 0;
            int cr = (int) (scale * (8 + rng.nextInt(16)));
            int cc = (int) (scale * (8 + rng.nextInt(16)));
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    int i = r * SIZE + c;
                    double dr = r - (SIZE - 1) / 2.0;
                    double dc = c - (SIZE - 1) / 2.0;
                    boolean inBody = dr * dr + dc * dc < 14 * 14 * scale * scale;
                    img[i] = (float) (inBody ? -0.3 + 0.2 * rng.nextDouble() : -1.0 + 0.05 * rng.nextDouble());
                    body[i] = inBody ? 1 : 0;
                    bg[i] = inBody ? 0 : 1;
                    if (abnormal && (r - cr) * (r - cr) + (c - cc) * (c - cc) <= 16 * scale * scale) {
                        img[i] = (float) (0.85 + 0.1 * rng.nextDouble());
                    }
                }
            }
            out.add(new Slice("scan" + (s / 4), s, abnormal ? 1 : 0, 0.5, FloatImage.of(SIZE, SIZE, img),
                    List.of("background", "kidney"), List.of(FloatImage.of(SIZE, SIZE, bg), FloatImage.of(SIZE, SIZE, body))));
        }
        return out;
    }

    static SliceSource source(int n, long seed) {
        return SliceSource.of(slices(n, seed));
    }

    static UNetPerturbation generator() {
        return UNetPerturbation.builder().stemChannels(4).channels(4, 8, 8, 16, 16).upsample(UpsampleKind.NEAREST)
                .spectralNorm(true).build();
    }

    static ResNetDiscriminator discriminator() {
        return ResNetDiscriminator.builder().blocks(new int[] {4, 8, 8, 16, 16}, new int[] {2, 2, 2, 2, 2}).build();
    }

    /** The synthetic COIN preset shrunk to test size. */
    static Pipeline.Builder tinyCoin(dev.coin.core.model.Classifier clf) {
        return dev.coin.core.Presets.coinSynthetic().classifier(clf).generator(generator())
                .discriminator(discriminator()).seed(11);
    }
}
