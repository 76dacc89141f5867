package dev.coin.data.ct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CtWindowTest {

    @Test
    void handValues() {
        CtWindow w = CtWindow.of(-100, 300);
        assertThat(w.apply(-1000f)).isEqualTo(-1f);
        assertThat(w.apply(-100f)).isEqualTo(-1f);
        assertThat(w.apply(0f)).isEqualTo(-0.5f);   // 2*100/400 - 1
        assertThat(w.apply(100f)).isEqualTo(0f);
        assertThat(w.apply(200f)).isEqualTo(0.5f);
        assertThat(w.apply(300f)).isEqualTo(1f);
        assertThat(w.apply(3000f)).isEqualTo(1f);
        assertThat(w.apply(Float.NaN)).isNaN();
    }

    @Test
    void windowEdgesMapToExactlyMinusOneAndOneForAwkwardBounds() {
        CtWindow w = CtWindow.of(-79.3, 304.7);
        assertThat(w.apply(-79.3f)).isEqualTo(-1f);
        assertThat(w.apply(304.7f)).isEqualTo(1f);
        assertThat(w.apply(1e6f)).isEqualTo(1f);
    }

    @Test
    void equalsTheReferenceZScoreThenRescaleFormula() {
        // reference: clip, z-score with mean/std, then map [(lo-mean)/std, (hi-mean)/std] linearly to [-1, 1]
        double lo = -54.0;
        double hi = 242.0;
        double mean = 101.3;
        double std = 77.9;
        CtWindow w = CtWindow.of(lo, hi);
        SplittableRandom rng = new SplittableRandom(5);
        for (int n = 0; n < 1000; n++) {
            double x = rng.nextDouble(-1200, 1500);
            double z = (Math.min(Math.max(x, lo), hi) - mean) / std;
            double zlo = (lo - mean) / std;
            double zhi = (hi - mean) / std;
            double ref = (z - zlo) / (zhi - zlo) * 2 - 1;
            assertThat((double) w.apply((float) x)).isCloseTo(ref, within(2e-6));
        }
    }

    @Test
    void appliesToImagesWithoutTouchingTheInput() {
        FloatImage in = FloatImage.of(1, 3, new float[] {-100, 100, 300});
        FloatImage out = CtWindow.of(-100, 300).apply(in);
        assertThat(out.toArray()).containsExactly(-1f, 0f, 1f);
        assertThat(in.toArray()).containsExactly(-100f, 100f, 300f);
    }

    @Test
    void rejectsEmptyReversedOrNonFiniteWindows() {
        assertThatThrownBy(() -> CtWindow.of(10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lo must be < hi");
        assertThatThrownBy(() -> CtWindow.of(300, -100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lo=300");
        assertThatThrownBy(() -> CtWindow.of(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> CtWindow.of(0, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }
}
