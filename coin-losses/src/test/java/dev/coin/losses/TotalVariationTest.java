package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TotalVariationTest extends DoubleGraphTest {
    private static final int B = 2, C = 2, H = 4, W = 5, N = B * C * H * W;
    private final SplittableRandom rnd = new SplittableRandom(17);
    private final double[] x = uniform(rnd, N, -1, 1);
    private final double[] xcf = uniform(rnd, N, -1, 1);

    /** §4.4 in plain Java: d = 255·|(x+1)/2 − (x_cf+1)/2|; batch mean of mean-squared h and w differences. */
    private static double tv(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = 255 * Math.abs((a[i] + 1) / 2 - (b[i] + 1) / 2);
        }
        double total = 0;
        for (int s = 0; s < B; s++) {
            double wSum = 0;
            double hSum = 0;
            for (int c = 0; c < C; c++) {
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        if (w + 1 < W) {
                            double t = d[idx(C, H, W, s, c, h, w + 1)] - d[idx(C, H, W, s, c, h, w)];
                            wSum += t * t;
                        }
                        if (h + 1 < H) {
                            double t = d[idx(C, H, W, s, c, h + 1, w)] - d[idx(C, H, W, s, c, h, w)];
                            hSum += t * t;
                        }
                    }
                }
            }
            total += wSum / (C * H * (W - 1)) + hSum / (C * (H - 1) * W);
        }
        return total / B;
    }

    private String build(SameDiff sd, TotalVariationTerm tv) {
        return LossSet.buildTerm(sd, tv, LossInputs.builder().put(LossInput.X, var(sd, "x", x, B, C, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, C, H, W)).build()).weighted().name();
    }

    @Test
    void valueMatchesHandComputationAndGradientsMatchFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        String name = build(sd, TotalVariation.weight(5e-5));
        double expected = tv(x, xcf);
        assertThat(expected).isGreaterThan(1000); // the ×255 scale: why λ_tv is tiny
        assertThat(value(sd, "loss/tv/raw")).isCloseTo(expected, within(1e-9 * expected));
        assertThat(value(sd, name)).isCloseTo(5e-5 * expected, within(1e-12));
        assertGradientsMatchFiniteDifferences(sd, name);
    }

    @Test
    void weightScalesValueAndGradient() {
        SameDiff a = SameDiff.create();
        SameDiff b = SameDiff.create();
        String na = build(a, TotalVariation.weight(1e-3));
        String nb = build(b, TotalVariation.weight(1e-3).weight(3e-3));
        assertThat(value(b, nb)).isCloseTo(3 * value(a, na), within(1e-9));
        INDArray ga = gradients(a, na, "xcf").get("xcf");
        INDArray gb = gradients(b, nb, "xcf").get("xcf");
        assertThat(ga.mul(3).equalsWithEps(gb, 1e-12)).isTrue();
        assertThat(ga.norm2Number().doubleValue()).isGreaterThan(0);
    }

    @Test
    void worksWithAnUnknownBatchSize() {
        SameDiff sd = SameDiff.create();
        String name = LossSet.buildTerm(sd, TotalVariation.weight(1), LossInputs.builder()
                .put(LossInput.X, sd.placeHolder("x", DataType.DOUBLE, -1, C, H, W))
                .put(LossInput.X_CF, sd.placeHolder("xcf", DataType.DOUBLE, -1, C, H, W)).build()).weighted().name();
        INDArray out = sd.output(Map.of("x", arr(x, B, C, H, W), "xcf", arr(xcf, B, C, H, W)), name).get(name);
        assertThat(out.getDouble(0)).isCloseTo(tv(x, xcf), within(1e-9 * tv(x, xcf)));
    }

    @Test
    void toStringAndValidation() {
        assertThat(TotalVariation.weight(5e-5).toString()).isEqualTo("TotalVariation[λ=5.0E-5]");
        assertThat(TotalVariation.weight(0.05)).isEqualTo(TotalVariation.weight(0.05));
        assertThatThrownBy(() -> TotalVariation.weight(-5e-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tv'").hasMessageContaining("-5.0E-5");
        SameDiff sd = SameDiff.create();
        LossInputs onlyX = LossInputs.builder().put(LossInput.X, var(sd, "x", x, B, C, H, W)).build();
        SameDiff twice = SameDiff.create();
        LossInputs in = LossInputs.builder().put(LossInput.X, var(twice, "x", x, B, C, H, W))
                .put(LossInput.X_CF, var(twice, "xcf", xcf, B, C, H, W)).build();
        LossSet.buildTerm(twice, TotalVariation.weight(1), in);
        assertThatThrownBy(() -> LossSet.buildTerm(twice, TotalVariation.weight(2), in))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'tv'").hasMessageContaining("already built");
        assertThatThrownBy(() -> LossSet.buildTerm(sd, TotalVariation.weight(1), onlyX))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'tv'").hasMessageContaining("X_CF");
    }
}
