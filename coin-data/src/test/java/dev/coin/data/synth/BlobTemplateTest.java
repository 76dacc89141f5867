package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BlobTemplateTest {
    @Test
    void referenceTemplateHasTheHandComputedMaximumAndA120PixelMask() {
        BlobTemplate t = BlobTemplate.of(20, 0.4, 0.25);
        // Grid x = (2c − 19)/19: the points nearest the origin are (±1/19, ±1/19), d² = 2/361,
        // so max = exp(−(2/361)/0.32) = 0.98284.
        assertThat(t.image().max()).isCloseTo((float) Math.exp(-(2.0 / 361) / 0.32), within(1e-6f));
        assertThat(t.image().max()).isCloseTo(0.9828f, within(1e-4f));
        // Mask: blob > 0.25 ⇔ a² + b² < 361·0.32·ln 4 = 160.14 for odd a, b in [−19, 19]. Counting by hand per
        // positive a: a=1,3,5 → |b| ≤ 11 (6 values each), a=7 → |b| ≤ 9 (5), a=9 → |b| ≤ 7 (4), a=11 → |b| ≤ 5 (3),
        // a ≥ 13 → none; (6+6+6+5+4+3) = 30 per quadrant row-half, ×2 signs of b ×2 signs of a = 120.
        assertThat(t.mask().countPositive()).isEqualTo(120);
        // 12 px across (|a| ≤ 11 in the middle rows).
        int across = 0;
        for (int c = 0; c < 20; c++) {
            across += t.mask().get(9, c) > 0.5f ? 1 : 0;
        }
        assertThat(across).isEqualTo(12);
        // Symmetric under both mirrors.
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 20; c++) {
                assertThat(t.image().get(r, c)).isEqualTo(t.image().get(19 - r, c)).isEqualTo(t.image().get(r, 19 - c));
            }
        }
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> BlobTemplate.of(1, 0.4, 0.25)).hasMessageContaining("size");
        assertThatThrownBy(() -> BlobTemplate.of(20, 0, 0.25)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> BlobTemplate.of(20, 0.4, 1.5)).hasMessageContaining("threshold");
    }
}
