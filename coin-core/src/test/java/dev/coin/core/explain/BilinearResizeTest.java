package dev.coin.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BilinearResizeTest {
    private static final float[] SRC = {0, 1, 2, 3}; // [[0, 1], [2, 3]]

    @Test
    void upsampleTwoByTwoClampedMatchesPytorchAlignCornersFalse() {
        // torch.nn.functional.interpolate(t, size=4, mode="bilinear", align_corners=False) of [[0,1],[2,3]]
        float[] expected = {
                0.00f, 0.25f, 0.75f, 1.00f,
                0.50f, 0.75f, 1.25f, 1.50f,
                1.50f, 1.75f, 2.25f, 2.50f,
                2.00f, 2.25f, 2.75f, 3.00f};
        float[] out = BilinearResize.resize(SRC, 2, 2, 4, 4, BilinearResize.Edge.CLAMP);
        for (int i = 0; i < 16; i++) {
            assertThat(out[i]).as("pixel %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void mirrorEdgesReflectSamplePositionsAboutBorderCentres() {
        // sample positions −0.25, 0.25, 0.75, 1.25 mirror to 0.25, 0.25, 0.75, 0.75 (value = 2·row + col)
        float[] a = {0.25f, 0.25f, 0.75f, 0.75f};
        float[] out = BilinearResize.resize(SRC, 2, 2, 4, 4, BilinearResize.Edge.MIRROR);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(out[r * 4 + c]).isCloseTo(2 * a[r] + a[c], within(1e-6f));
            }
        }
    }

    @Test
    void downsamplingByTwoAveragesPixelPairsAndIdentityIsExact() {
        float[] row = {1, 3, 5, 9};
        float[] out = BilinearResize.resize(row, 1, 4, 1, 2, BilinearResize.Edge.CLAMP);
        assertThat(out).containsExactly(2f, 7f);
        float[] same = BilinearResize.resize(row, 2, 2, 2, 2, BilinearResize.Edge.MIRROR);
        assertThat(same).containsExactly(row);
        assertThatThrownBy(() -> BilinearResize.resize(row, 3, 2, 4, 4, BilinearResize.Edge.CLAMP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inH*inW");
    }
}
