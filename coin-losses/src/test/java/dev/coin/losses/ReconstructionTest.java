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

class ReconstructionTest extends DoubleGraphTest {
    private static final int B = 2, C = 1, H = 4, W = 4, N = B * C * H * W;
    private final SplittableRandom rnd = new SplittableRandom(5);
    private final double[] x = uniform(rnd, N, -1, 1);
    private final double[] xcf = uniform(rnd, N, -1, 1);
    private final double[] xcc = uniform(rnd, N, -1, 1);
    private final double[] xrec = uniform(rnd, N, -1, 1);

    private LossInputs images(SameDiff sd) {
        return LossInputs.builder()
                .put(LossInput.X, var(sd, "x", x, B, C, H, W))
                .put(LossInput.X_CF, var(sd, "xcf", xcf, B, C, H, W))
                .put(LossInput.X_CYCLIC, var(sd, "xcc", xcc, B, C, H, W))
                .put(LossInput.X_REC, var(sd, "xrec", xrec, B, C, H, W)).build();
    }

    /** Builds {@code term} over only the inputs it requires (unused variables would break the gradient check). */
    private static String buildRequired(SameDiff sd, LossTerm term, Map<LossInput, double[]> data, long... shape) {
        LossInputs.Builder b = LossInputs.builder();
        for (LossInput in : term.requires()) {
            String n = in.name().toLowerCase();
            b.put(in, in == LossInput.MASKS ? constant(sd, n, data.get(in), shape(data.get(in), shape))
                    : var(sd, n, data.get(in), shape));
        }
        return LossSet.buildTerm(sd, term, b.build()).weighted().name();
    }

    private static long[] shape(double[] masks, long[] imageShape) {
        return new long[] {imageShape[0], masks.length / (imageShape[0] * imageShape[2] * imageShape[3]),
            imageShape[2], imageShape[3]};
    }

    private Map<LossInput, double[]> data() {
        return Map.of(LossInput.X, x, LossInput.X_CF, xcf, LossInput.X_CYCLIC, xcc, LossInput.X_REC, xrec);
    }

    @Test
    void l1KindsMatchHandComputation() {
        double fwd = meanAbsDiff(x, xcf);
        double cyc = meanAbsDiff(x, xcc);
        double cycV2 = meanAbsDiff(xcf, xcc);
        double self = meanAbsDiff(x, xrec);
        Object[][] cases = {
            {Reconstruction.l1(), fwd},
            {Reconstruction.cyclicL1(), fwd + cyc},
            {Reconstruction.cyclicV2(), fwd + cycV2},
            {Reconstruction.onlyCyclic(), cycV2},
            {Reconstruction.singlaL1(), self + cyc},
            {Reconstruction.minc(1.0), fwd},
        };
        for (Object[] c : cases) {
            Reconstruction r = ((Reconstruction) c[0]).weight(1.3);
            SameDiff sd = SameDiff.create();
            String name = LossSet.buildTerm(sd, r, images(sd)).weighted().name();
            assertThat(value(sd, name)).as("%s", r).isCloseTo(1.3 * (double) c[1], within(1e-12));
        }
    }

    @Test
    void cyclicL1GradientsMatchFiniteDifferences() {
        for (Reconstruction r : new Reconstruction[] {Reconstruction.cyclicL1().weight(2.0),
            Reconstruction.cyclicV2(), Reconstruction.singlaL1()}) {
            SameDiff sd = SameDiff.create();
            String name = buildRequired(sd, r, data(), B, C, H, W);
            assertGradientsMatchFiniteDifferences(sd, name);
        }
    }

    @Test
    void mincIsASeparateTermWithItsOwnName() {
        Reconstruction minc = Reconstruction.minc(0.0);
        assertThat(minc.name()).isEqualTo("minc");
        assertThat(minc.weight()).isZero();
        assertThat(Reconstruction.cyclicL1().name()).isEqualTo("rec");
        assertThat(Reconstruction.minc(1.0).toString()).isEqualTo("Reconstruction.minc[λ=1.0: L1(X, X_CF)]");
        assertThat(Reconstruction.cyclicL1().toString())
                .isEqualTo("Reconstruction.cyclicL1[λ=1.0: L1(X, X_CF) + L1(X, X_CYCLIC)]");
        assertThat(Reconstruction.cyclicV2().requires())
                .containsExactlyInAnyOrder(LossInput.X, LossInput.X_CF, LossInput.X_CYCLIC);
        assertThat(Reconstruction.l1().requires()).containsExactlyInAnyOrder(LossInput.X, LossInput.X_CF);
    }

    // ---- CARL ------------------------------------------------------------------------------------------------------

    /** Masks [B, 3, H, W]: channel 0 random background, 1 random kidney, 2 (ignored) all ones; sample 1 has an empty kidney mask. */
    private double[] masks() {
        int m = 3;
        double[] v = new double[B * m * H * W];
        SplittableRandom r = new SplittableRandom(9);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int w = 0; w < W; w++) {
                    v[idx(m, H, W, b, 0, h, w)] = r.nextInt(2);
                    v[idx(m, H, W, b, 1, h, w)] = b == 1 ? 0 : r.nextInt(2);
                    v[idx(m, H, W, b, 2, h, w)] = 1;
                }
            }
        }
        return v;
    }

    /** Singla's CARL for one pair, straight from reference §4.3 (per-sample masked mean, batch mean, Σ channels 0,1). */
    private static double carl(double[] a, double[] b, double[] masks) {
        int m = masks.length / (B * H * W);
        double total = 0;
        for (int ch = 0; ch < 2; ch++) {
            double batch = 0;
            for (int s = 0; s < B; s++) {
                double num = 0;
                double den = 0;
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        double mk = masks[idx(m, H, W, s, ch, h, w)];
                        num += mk * Math.abs(a[idx(C, H, W, s, 0, h, w)] - b[idx(C, H, W, s, 0, h, w)]);
                        den += mk;
                    }
                }
                batch += num / (den + 1e-8);
            }
            total += batch / B;
        }
        return total;
    }

    @Test
    void carlMatchesHandComputationAndFiniteDifferences() {
        double[] masks = masks();
        Map<LossInput, double[]> d = new java.util.HashMap<>(data());
        d.put(LossInput.MASKS, masks);
        SameDiff sd = SameDiff.create();
        Reconstruction carl = Reconstruction.carl().weight(0.5);
        String name = buildRequired(sd, carl, d, B, C, H, W);
        double expected = carl(x, xrec, masks) + carl(x, xcc, masks);
        assertThat(value(sd, name)).isCloseTo(0.5 * expected, within(1e-12));
        assertGradientsMatchFiniteDifferences(sd, name);
        assertThat(carl.requires()).contains(LossInput.MASKS, LossInput.X_REC, LossInput.X_CYCLIC);
        assertThat(carl.toString())
                .isEqualTo("Reconstruction.carl[λ=0.5: CARL[0, 1](X, X_REC) + CARL[0, 1](X, X_CYCLIC)]");
    }

    @Test
    void carlRejectsAMissingMaskChannelAndBadChannelLists() {
        SameDiff sd = SameDiff.create();
        LossInputs in = images(sd).toBuilder()
                .put(LossInput.MASKS, sd.placeHolder("masks", DataType.DOUBLE, -1, 1, H, W)).build();
        assertThatThrownBy(() -> LossSet.buildTerm(sd, Reconstruction.carl(), in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mask channel 1").hasMessageContaining("1 channel");
        assertThatThrownBy(() -> Reconstruction.carl(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 0]");
        assertThatThrownBy(() -> Reconstruction.carl(-1)).isInstanceOf(IllegalArgumentException.class);
        SameDiff sd2 = SameDiff.create();
        assertThatThrownBy(() -> LossSet.buildTerm(sd2, Reconstruction.carl(), images(sd2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'rec'").hasMessageContaining("MASKS");
    }

    // ---- dilation ----------------------------------------------------------------------------------------------

    /** §9.7: Σ over valid k×k max-pool of |x − x_cf|/2, divided by the undilated B·H·W. */
    private static double dilation(double[] a, double[] b, int k, int bs, int h, int w) {
        double sum = 0;
        for (int s = 0; s < bs; s++) {
            for (int i = 0; i + k <= h; i++) {
                for (int j = 0; j + k <= w; j++) {
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int di = 0; di < k; di++) {
                        for (int dj = 0; dj < k; dj++) {
                            int q = idx(1, h, w, s, 0, i + di, j + dj);
                            mx = Math.max(mx, Math.abs((a[q] + 1) / 2 - (b[q] + 1) / 2));
                        }
                    }
                    sum += mx;
                }
            }
        }
        return sum / (bs * h * w);
    }

    @Test
    void dilationMatchesHandComputationWithTheUndilatedDivisor() {
        int h = 4, w = 5, n = B * h * w;
        SplittableRandom r = new SplittableRandom(3);
        double[] a = uniform(r, n, -1, 1);
        double[] b = uniform(r, n, -1, 1);
        for (int k : new int[] {1, 2, 3}) {
            SameDiff sd = SameDiff.create();
            Reconstruction rec = Reconstruction.dilation(k).weight(1.7);
            String name = buildRequired(sd, rec, Map.of(LossInput.X, a, LossInput.X_CF, b), B, 1, h, w);
            double expected = dilation(a, b, k, B, h, w);
            assertThat(value(sd, name)).as("k=%d", k).isCloseTo(1.7 * expected, within(1e-12));
            if (k > 1) {
                assertGradientsMatchFiniteDifferences(sd, name);
            }
        }
        // k = 1 is half the plain L1 (unit space); the quirk makes k > 1 smaller than a mean over the dilated map.
        assertThat(dilation(a, b, 1, B, h, w)).isCloseTo(meanAbsDiff(a, b) / 2, within(1e-12));
    }

    @Test
    void dilationWorksWithAnUnknownBatchSize() {
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.X, sd.placeHolder("x", DataType.DOUBLE, -1, 1, H, W))
                .put(LossInput.X_CF, sd.placeHolder("xcf", DataType.DOUBLE, -1, 1, H, W)).build();
        String name = LossSet.buildTerm(sd, Reconstruction.dilation(2), in).weighted().name();
        INDArray out = sd.output(Map.of("x", arr(x, B, C, H, W), "xcf", arr(xcf, B, C, H, W)), name).get(name);
        assertThat(out.getDouble(0)).isCloseTo(dilation(x, xcf, 2, B, H, W), within(1e-12));
    }

    @Test
    void dilationAddsNoConstantArrays() {
        // the trainer's graphs share one array holder, where auto-named constants of different graphs collide
        SameDiff sd = SameDiff.create();
        LossInputs in = LossInputs.builder()
                .put(LossInput.X, sd.placeHolder("x", DataType.DOUBLE, -1, 1, H, W))
                .put(LossInput.X_CF, sd.placeHolder("xcf", DataType.DOUBLE, -1, 1, H, W)).build();
        LossSet.buildTerm(sd, Reconstruction.dilation(3).weight(2.0), in);
        assertThat(sd.variables()).noneMatch(v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.CONSTANT);
    }

    @Test
    void dilationValidation() {
        assertThatThrownBy(() -> Reconstruction.dilation(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k").hasMessageContaining("got 0");
        assertThat(Reconstruction.dilation(3).kernel()).isEqualTo(3);
        assertThat(Reconstruction.dilation(3).toString())
                .isEqualTo("Reconstruction.dilation[λ=1.0: DilatedL1[k=3](X, X_CF)]");
    }

    @Test
    void weightScalesValueAndGradient() {
        for (Reconstruction r : new Reconstruction[] {Reconstruction.cyclicL1(), Reconstruction.dilation(2)}) {
            SameDiff a = SameDiff.create();
            SameDiff b = SameDiff.create();
            String na = buildRequired(a, r, data(), B, C, H, W);
            String nb = buildRequired(b, r.weight(4.0), data(), B, C, H, W);
            assertThat(value(b, nb)).isCloseTo(4 * value(a, na), within(1e-12));
            INDArray ga = gradients(a, na, "x_cf").get("x_cf");
            INDArray gb = gradients(b, nb, "x_cf").get("x_cf");
            assertThat(ga.mul(4).equalsWithEps(gb, 1e-12)).as("%s gradient ×4", r).isTrue();
            assertThat(ga.norm2Number().doubleValue()).isGreaterThan(0);
        }
        assertThatThrownBy(() -> Reconstruction.l1().weight(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rec'");
        assertThatThrownBy(() -> Reconstruction.minc(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'minc'");
    }
}
