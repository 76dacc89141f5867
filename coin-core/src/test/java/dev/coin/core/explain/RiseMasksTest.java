package dev.coin.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RiseMasksTest {

    @Test
    void maskMeanIsAboutTheKeepProbabilityAndValuesAreInUnitRange() {
        RiseMasks masks = RiseMasks.generate(400, 8, 0.1, 32, 32, 17L);
        float[] m = new float[32 * 32];
        double sum = 0;
        double gridSum = 0;
        for (int i = 0; i < masks.count(); i++) {
            masks.fill(i, m, 0);
            for (float v : m) {
                assertThat(v).isBetween(0f, 1f);
                sum += v;
            }
            for (float g : masks.grid(i)) {
                gridSum += g;
            }
            int[] off = masks.offset(i);
            assertThat(off[0]).isBetween(0, 3); // cell = ceil(32/8) = 4
            assertThat(off[1]).isBetween(0, 3);
        }
        assertThat(gridSum / (400.0 * 64)).isCloseTo(0.1, within(0.01));
        assertThat(sum / (400.0 * 32 * 32)).isCloseTo(0.1, within(0.01));
    }

    @Test
    void eachMaskIsACropOfTheMirroredUpsampledGrid() {
        RiseMasks masks = RiseMasks.generate(5, 4, 0.5, 10, 12, 3L);
        int cellH = 3; // ceil(10/4)
        int cellW = 3; // ceil(12/4)
        float[] m = new float[10 * 12];
        for (int i = 0; i < 5; i++) {
            float[] up = BilinearResize.resize(masks.grid(i), 4, 4, 5 * cellH, 5 * cellW, BilinearResize.Edge.MIRROR);
            int[] off = masks.offset(i);
            masks.fill(i, m, 0);
            for (int r = 0; r < 10; r++) {
                for (int c = 0; c < 12; c++) {
                    assertThat(m[r * 12 + c]).isEqualTo(up[(r + off[0]) * 5 * cellW + c + off[1]]);
                }
            }
        }
    }

    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        RiseMasks a = RiseMasks.generate(20, 8, 0.1, 16, 16, 5L);
        RiseMasks b = RiseMasks.generate(20, 8, 0.1, 16, 16, 5L);
        RiseMasks c = RiseMasks.generate(20, 8, 0.1, 16, 16, 6L);
        boolean anyDifferent = false;
        for (int i = 0; i < 20; i++) {
            assertThat(a.grid(i)).containsExactly(b.grid(i));
            assertThat(a.offset(i)).containsExactly(b.offset(i));
            anyDifferent |= !java.util.Arrays.equals(a.grid(i), c.grid(i));
        }
        assertThat(anyDifferent).isTrue();
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> RiseMasks.generate(10, 8, 0.0, 16, 16, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepProbability");
        assertThatThrownBy(() -> RiseMasks.generate(0, 8, 0.1, 16, 16, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }
}
