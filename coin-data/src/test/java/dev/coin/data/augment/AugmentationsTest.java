package dev.coin.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationsTest {
    static final int H = 32;
    static final int W = 40;

    static AugmentTarget target(long seed) {
        float[] img = WarpsTest.random(H, W, seed);
        float[] mask = new float[H * W];
        for (int r = 8; r < 20; r++) {
            for (int c = 5; c < 17; c++) {
                mask[r * W + c] = 1;
            }
        }
        return AugmentTarget.of(FloatImage.of(H, W, img), FloatImage.of(H, W, mask));
    }

    @Test
    void flipsMirrorImageAndMasksExactly() {
        AugmentTarget t = target(1);
        AugmentTarget h = HorizontalFlip.of(1).apply(t, new SplittableRandom(0));
        AugmentTarget v = VerticalFlip.of(1).apply(t, new SplittableRandom(0));
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                assertThat(h.image().get(r, c)).isEqualTo(t.image().get(r, W - 1 - c));
                assertThat(h.masks().get(0).get(r, c)).isEqualTo(t.masks().get(0).get(r, W - 1 - c));
                assertThat(v.image().get(r, c)).isEqualTo(t.image().get(H - 1 - r, c));
            }
        }
        assertThat(HorizontalFlip.of(0).apply(t, new SplittableRandom(0))).isSameAs(t);
        int flipped = 0;
        for (int i = 0; i < 1000; i++) {
            flipped += VerticalFlip.of(0.1).apply(t, new SplittableRandom(i)) != t ? 1 : 0;
        }
        assertThat(flipped).isBetween(100 - 38, 100 + 38); // Binomial(1000, 0.1), 4 sd
    }

    @Test
    void shiftScaleRotateByZeroIsExactAndIntegerShiftsMovePixels() {
        AugmentTarget t = target(2);
        ShiftScaleRotate ssr = ShiftScaleRotate.reference();
        AugmentTarget id = ssr.warp(t, 0, 1, 0, 0);
        assertThat(id.image()).isEqualTo(t.image());
        assertThat(id.masks()).isEqualTo(t.masks());
        // dx = 4/40 → 4 px right; dy = −2/32 → 2 px up; border 0.
        AugmentTarget s = ssr.warp(t, 0, 1, 4.0 / W, -2.0 / H);
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                int sr = r + 2;
                int sc = c - 4;
                float expected = sr < H && sc >= 0 ? t.image().get(sr, sc) : 0f;
                assertThat(s.image().get(r, c)).isCloseTo(expected, within(1e-6f));
            }
        }
    }

    @Test
    void masksStayBinaryUnderRandomGeometricTransforms() {
        AugmentTarget t = target(3);
        ShiftScaleRotate ssr = new ShiftScaleRotate(0.07, 0.1, 10, 1, 0f);
        for (int i = 0; i < 50; i++) {
            AugmentTarget o = ssr.apply(t, new SplittableRandom(i));
            float[] m = o.masks().get(0).toArray();
            int ones = 0;
            for (float v : m) {
                assertThat(v == 0f || v == 1f).isTrue();
                ones += v == 1f ? 1 : 0;
            }
            // 144 px square, scale 0.9–1.1 → area 117–174 (± rounding along the edges).
            assertThat(ones).isBetween(95, 200);
        }
    }

    @Test
    void brightnessContrastIsAnAffineMapWithinTheLimitsAndLeavesMasksAlone() {
        AugmentTarget t = target(4);
        BrightnessContrast bc = new BrightnessContrast(0.1, 0.1, 1);
        for (int i = 0; i < 20; i++) {
            AugmentTarget o = bc.apply(t, new SplittableRandom(i));
            assertThat(o.masks()).isEqualTo(t.masks());
            float[] in = t.image().toArray();
            float[] out = o.image().toArray();
            // Recover alpha and beta from two pixels, then every pixel must follow them.
            double alpha = (out[0] - out[1]) / (double) (in[0] - in[1]);
            double beta = out[0] - alpha * in[0];
            assertThat(alpha).isBetween(0.9 - 1e-5, 1.1 + 1e-5);
            assertThat(beta).isBetween(-0.1 - 1e-5, 0.1 + 1e-5);
            for (int q = 0; q < in.length; q++) {
                assertThat((double) out[q]).isCloseTo(alpha * in[q] + beta, within(1e-5));
            }
        }
    }

    @Test
    void tanhIsDeterministicElementwise() {
        AugmentTarget t = target(5);
        AugmentTarget o = Tanh.of().apply(t, new SplittableRandom(0));
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                assertThat(o.image().get(r, c)).isEqualTo((float) Math.tanh(t.image().get(r, c)));
            }
        }
        assertThat(o.masks()).isEqualTo(t.masks());
    }

    @Test
    void blackHolesDrawCountsRadiiCentresAndOffsetsInRangeAndPaintThem() {
        BlackHoles bh = new BlackHoles(1, 20, 60, 0.001, 0.05);
        assertThat(bh.maxRadius(512)).isEqualTo(25); // r < 25.6
        assertThat(bh.maxRadius(100)).isEqualTo(4); // r < 5.0
        assertThat(bh.minRadius(512)).isZero();
        assertThat(bh.minRadius(2000)).isEqualTo(2);
        int minN = Integer.MAX_VALUE;
        int maxN = 0;
        int maxR = 0;
        for (int i = 0; i < 300; i++) {
            List<BlackHoles.Disc> discs = bh.plan(512, 400, new SplittableRandom(i));
            minN = Math.min(minN, discs.size());
            maxN = Math.max(maxN, discs.size());
            for (BlackHoles.Disc d : discs) {
                assertThat(d.radius()).isBetween(0, 25);
                maxR = Math.max(maxR, d.radius());
                assertThat(d.cx()).isBetween(80, 319); // [0.2·400, 0.8·400)
                assertThat(d.cy()).isBetween(103, 409); // [⌈0.2·512⌉, ⌈0.8·512⌉)
                assertThat(d.offset()).isBetween(-2f, 0f);
            }
        }
        assertThat(minN).isBetween(20, 22);
        assertThat(maxN).isBetween(57, 59);
        assertThat(maxR).isEqualTo(25);

        // Painting: compare with a naive all-pixel loop over the same plan.
        AugmentTarget t = target(6);
        AugmentTarget o = bh.apply(t, new SplittableRandom(42));
        List<BlackHoles.Disc> discs = bh.plan(H, W, new SplittableRandom(42));
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                float v = t.image().get(r, c);
                for (BlackHoles.Disc d : discs) {
                    if ((c - d.cx()) * (c - d.cx()) + (r - d.cy()) * (r - d.cy()) <= d.radius() * d.radius()) {
                        v += d.offset();
                    }
                }
                assertThat(o.image().get(r, c)).isEqualTo(Math.max(-1f, Math.min(1f, v)));
            }
        }
        assertThat(o.masks()).isEqualTo(t.masks());
        assertThat(new BlackHoles(0, 20, 60, 0.001, 0.05).apply(t, new SplittableRandom(1))).isSameAs(t);
    }

    @Test
    void pipelineIsReproducibleForSeedEpochAndItemAndVariesOtherwise() {
        AugmentPipeline p = AugmentPipeline.builder().seed(5)
                .add(BlackHoles.reference()).add(HorizontalFlip.of(0.5)).add(VerticalFlip.of(0.1))
                .add(ShiftScaleRotate.reference()).add(BrightnessContrast.reference()).build();
        AugmentTarget t = target(7);
        AugmentTarget a = p.apply(t, 2, 11);
        p.apply(t, 0, 3);
        assertThat(p.apply(t, 2, 11)).isEqualTo(a);
        assertThat(p.toBuilder().build().apply(t, 2, 11)).isEqualTo(a);
        int seedDiff = 0;
        int itemDiff = 0;
        int epochDiff = 0;
        AugmentPipeline q = p.toBuilder().seed(6).build();
        for (int i = 0; i < 10; i++) {
            AugmentTarget x = p.apply(t, 0, i);
            seedDiff += x.equals(q.apply(t, 0, i)) ? 0 : 1;
            itemDiff += x.equals(p.apply(t, 0, i + 100)) ? 0 : 1;
            epochDiff += x.equals(p.apply(t, 1, i)) ? 0 : 1;
        }
        assertThat(seedDiff).isGreaterThan(6);
        assertThat(itemDiff).isGreaterThan(6);
        assertThat(epochDiff).isGreaterThan(6);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> HorizontalFlip.of(1.2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p");
        assertThatThrownBy(() -> new BlackHoles(0.5, 60, 20, 0.001, 0.05)).hasMessageContaining("minCount");
        assertThatThrownBy(() -> new ShiftScaleRotate(0.07, 1.5, 10, 0.5, 0f)).hasMessageContaining("scaleLimit");
        assertThatThrownBy(() -> AugmentTarget.of(FloatImage.zeros(4, 4), FloatImage.zeros(4, 5)))
                .hasMessageContaining("masks[0]");
    }
}
