package dev.coin.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Forward values of every block against naive Java loops (double precision). */
class BlockForwardTest {
    private static final double TOL = 1e-10;

    /** A one-block graph: x placeholder → block → output; keeps the scope for its hooks. */
    private static final class OneBlock {
        final GraphScope scope;
        final SDVariable out;

        OneBlock(ParameterStore store, Mode mode, long[] shape, BiFunction<GraphScope, SDVariable, SDVariable> block) {
            SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
            scope = GraphScope.create(sd, store).withMode(mode);
            long[] ph = shape.clone();
            ph[0] = -1;
            out = block.apply(scope, sd.placeHolder("x", DataType.DOUBLE, ph));
        }

        INDArray run(INDArray x) {
            return scope.hooks().output(Map.of("x", x), out.name()).get(out.name());
        }
    }

    private static INDArray input(long... shape) {
        return Init.uniform(new Random(5), DataType.DOUBLE, 1.0, shape);
    }

    private static ParameterStore declared(Layer layer) {
        ParameterStore s = ParameterStore.create(DataType.DOUBLE);
        layer.declare(s, new Random(9));
        BlockGradientCheckTest.perturbStatistics(s, new Random(10));
        return s;
    }

    /** Naive zero-padded stride-1 convolution with kernel [k][k][in][out] in graph layout. */
    static double[][][][] naiveConv(INDArray x, INDArray w, INDArray b, int k) {
        int n = (int) x.size(0), ci = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3), co = (int) w.size(3);
        int p = k / 2;
        double[][][][] y = new double[n][co][h][wd];
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < co; o++) {
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < wd; c++) {
                        double acc = b == null ? 0 : b.getDouble(o);
                        for (int i = 0; i < ci; i++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int yy = r + dy - p, xx = c + dx - p;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        acc += w.getDouble(dy, dx, i, o) * x.getDouble(a, i, yy, xx);
                                    }
                                }
                            }
                        }
                        y[a][o][r][c] = acc;
                    }
                }
            }
        }
        return y;
    }

    static void assertEqual(INDArray actual, double[][][][] expected, double tol) {
        for (int a = 0; a < expected.length; a++) {
            for (int b = 0; b < expected[a].length; b++) {
                for (int c = 0; c < expected[a][b].length; c++) {
                    for (int d = 0; d < expected[a][b][c].length; d++) {
                        assertThat(actual.getDouble(a, b, c, d)).as("[%d,%d,%d,%d]", a, b, c, d)
                                .isCloseTo(expected[a][b][c][d], within(tol));
                    }
                }
            }
        }
    }

    @Test
    void convolutionMatchesNaiveLoop() {
        for (int k : new int[] {1, 3}) {
            Conv2d conv = Conv2d.of("c", 3, 4, k).withBias(k == 3);
            ParameterStore s = declared(conv);
            INDArray x = input(2, 3, 5, 6);
            INDArray y = new OneBlock(s, Mode.TRAIN, x.shape(), conv::apply).run(x);
            assertThat(y.shape()).containsExactly(2, 4, 5, 6);
            assertEqual(y, naiveConv(x, s.array("c.weight"), k == 3 ? s.array("c.bias") : null, k), TOL);
        }
    }

    @Test
    void batchNormTrainNormalisesWithBiasedVarianceAndUpdatesRunningStatsWithUnbiased() {
        BatchNorm2d bn = new BatchNorm2d("bn", 3, true);
        ParameterStore s = declared(bn);
        INDArray rm0 = s.array("bn.running_mean").dup();
        INDArray rv0 = s.array("bn.running_var").dup();
        INDArray x = input(2, 3, 4, 5).muli(3).addi(0.7);
        OneBlock g = new OneBlock(s, Mode.TRAIN, x.shape(), bn::apply);
        INDArray y = g.run(x);
        int n = 2 * 4 * 5;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int a = 0; a < 2; a++) for (int r = 0; r < 4; r++) for (int q = 0; q < 5; q++) sum += x.getDouble(a, c, r, q);
            double mean = sum / n;
            double ss = 0;
            for (int a = 0; a < 2; a++) for (int r = 0; r < 4; r++) for (int q = 0; q < 5; q++) ss += Math.pow(x.getDouble(a, c, r, q) - mean, 2);
            double biased = ss / n;
            double gamma = s.array("bn.weight").getDouble(c), beta = s.array("bn.bias").getDouble(c);
            for (int a = 0; a < 2; a++) for (int r = 0; r < 4; r++) for (int q = 0; q < 5; q++) {
                double e = (x.getDouble(a, c, r, q) - mean) / Math.sqrt(biased + 1e-5) * gamma + beta;
                assertThat(y.getDouble(a, c, r, q)).isCloseTo(e, within(TOL));
            }
            assertThat(s.array("bn.running_mean").getDouble(c)).isCloseTo(0.9 * rm0.getDouble(c) + 0.1 * mean, within(TOL));
            assertThat(s.array("bn.running_var").getDouble(c))
                    .isCloseTo(0.9 * rv0.getDouble(c) + 0.1 * ss / (n - 1), within(TOL));
        }
        assertThat(s.array("bn.num_batches_tracked").getLong(0)).isEqualTo(1L);
        g.run(x);
        assertThat(s.array("bn.num_batches_tracked").getLong(0)).isEqualTo(2L);
    }

    @Test
    void batchNormEvalUsesRunningStatsAndLeavesThemAlone() {
        BatchNorm2d bn = new BatchNorm2d("bn", 2, true);
        ParameterStore s = declared(bn);
        INDArray rm = s.array("bn.running_mean").dup();
        INDArray rv = s.array("bn.running_var").dup();
        INDArray x = input(2, 2, 3, 3);
        INDArray y = new OneBlock(s, Mode.EVAL, x.shape(), bn::apply).run(x);
        for (int a = 0; a < 2; a++) for (int c = 0; c < 2; c++) for (int r = 0; r < 3; r++) for (int q = 0; q < 3; q++) {
            double e = (x.getDouble(a, c, r, q) - rm.getDouble(c)) / Math.sqrt(rv.getDouble(c) + 1e-5)
                    * s.array("bn.weight").getDouble(c) + s.array("bn.bias").getDouble(c);
            assertThat(y.getDouble(a, c, r, q)).isCloseTo(e, within(TOL));
        }
        assertThat(s.array("bn.running_mean")).isEqualTo(rm);
        assertThat(s.array("bn.num_batches_tracked").getLong(0)).isZero();
    }

    @Test
    void bilinearAlignCornersMatchesFormula() {
        int h = 3, w = 5;
        INDArray x = input(2, 2, h, w);
        INDArray y = new OneBlock(ParameterStore.create(DataType.DOUBLE), Mode.TRAIN, x.shape(),
                (sc, v) -> Upsample.apply(sc, UpsampleKind.BILINEAR, v, 2, h, w, "up")).run(x);
        assertThat(y.shape()).containsExactly(2, 2, 2 * h, 2 * w);
        for (int a = 0; a < 2; a++) for (int c = 0; c < 2; c++) for (int i = 0; i < 2 * h; i++) for (int j = 0; j < 2 * w; j++) {
            double sy = i * (h - 1.0) / (2 * h - 1.0), sx = j * (w - 1.0) / (2 * w - 1.0);
            int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx);
            int y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
            double fy = sy - y0, fx = sx - x0;
            double e = (1 - fy) * (1 - fx) * x.getDouble(a, c, y0, x0) + (1 - fy) * fx * x.getDouble(a, c, y0, x1)
                    + fy * (1 - fx) * x.getDouble(a, c, y1, x0) + fy * fx * x.getDouble(a, c, y1, x1);
            assertThat(y.getDouble(a, c, i, j)).isCloseTo(e, within(TOL));
        }
        // align corners: the four corners are copied exactly
        assertThat(y.getDouble(1, 1, 0, 0)).isEqualTo(x.getDouble(1, 1, 0, 0));
        assertThat(y.getDouble(1, 1, 2 * h - 1, 2 * w - 1)).isCloseTo(x.getDouble(1, 1, h - 1, w - 1), within(1e-15));
    }

    @Test
    void nearestAvgPoolAndSumPoolMatchLoops() {
        INDArray x = input(2, 3, 4, 6);
        INDArray up = new OneBlock(ParameterStore.create(DataType.DOUBLE), Mode.TRAIN, x.shape(),
                (sc, v) -> Upsample.apply(sc, UpsampleKind.NEAREST, v, 3, 4, 6, "up")).run(x);
        INDArray pool = new OneBlock(ParameterStore.create(DataType.DOUBLE), Mode.TRAIN, x.shape(),
                (sc, v) -> Pooling.avgPool2x2(sc, v, "p")).run(x);
        INDArray sum = new OneBlock(ParameterStore.create(DataType.DOUBLE), Mode.TRAIN, x.shape(),
                (sc, v) -> Pooling.sumPool(sc, v, "s")).run(x);
        assertThat(up.shape()).containsExactly(2, 3, 8, 12);
        assertThat(pool.shape()).containsExactly(2, 3, 2, 3);
        assertThat(sum.shape()).containsExactly(2, 3);
        for (int a = 0; a < 2; a++) for (int c = 0; c < 3; c++) {
            double total = 0;
            for (int i = 0; i < 8; i++) for (int j = 0; j < 12; j++) {
                assertThat(up.getDouble(a, c, i, j)).isEqualTo(x.getDouble(a, c, i / 2, j / 2));
            }
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
                double e = (x.getDouble(a, c, 2 * i, 2 * j) + x.getDouble(a, c, 2 * i + 1, 2 * j)
                        + x.getDouble(a, c, 2 * i, 2 * j + 1) + x.getDouble(a, c, 2 * i + 1, 2 * j + 1)) / 4;
                assertThat(pool.getDouble(a, c, i, j)).isCloseTo(e, within(TOL));
            }
            for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) total += x.getDouble(a, c, i, j);
            assertThat(sum.getDouble(a, c)).isCloseTo(total, within(TOL));
        }
    }

    @Test
    void conditionalBatchNormAppliesPerSampleGammaBetaFromTheLabelRow() {
        ConditionalBatchNorm2d cbn = new ConditionalBatchNorm2d("cbn", 2, Conditioning.labels(3));
        ParameterStore s = declared(cbn);
        INDArray table = s.array("cbn.embed.weight");
        INDArray x = input(3, 2, 2, 2);
        INDArray labels = Nd4j.createFromArray(2, 0, 2);
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope sc = GraphScope.create(sd, s).withMode(Mode.EVAL);
        SDVariable out = cbn.apply(sc, sd.placeHolder("x", DataType.DOUBLE, -1, 2, 2, 2), sd.placeHolder("y", DataType.INT32, -1));
        INDArray y = sc.hooks().output(Map.of("x", x, "y", labels), out.name()).get(out.name());
        for (int a = 0; a < 3; a++) for (int c = 0; c < 2; c++) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
            double norm = (x.getDouble(a, c, i, j) - s.array("cbn.bn.running_mean").getDouble(c))
                    / Math.sqrt(s.array("cbn.bn.running_var").getDouble(c) + 1e-5);
            int l = labels.getInt(a);
            assertThat(y.getDouble(a, c, i, j)).isCloseTo(table.getDouble(l, c) * norm + table.getDouble(l, 2 + c), within(TOL));
        }
        // initial γ ~ N(1, 0.02), β = 0 before the perturbation in declared(): check on a fresh declaration
        ParameterStore fresh = ParameterStore.create(DataType.DOUBLE);
        new ConditionalBatchNorm2d("cbn", 64, Conditioning.labels(2)).declare(fresh, new Random(1));
        INDArray t = fresh.array("cbn.embed.weight");
        assertThat(t.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(64, 128))
                .sumNumber().doubleValue()).isZero();
        INDArray gam = t.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64));
        assertThat(gam.meanNumber().doubleValue()).isCloseTo(1.0, within(0.01));
        assertThat(gam.stdNumber().doubleValue()).isCloseTo(0.02, within(0.005));
        // labels outside the table are rejected, not mapped to a zero row
        assertThatThrownBy(() -> sc.hooks().output(Map.of("x", x, "y", Nd4j.createFromArray(0, 3, 1)), out.name()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels must be in [0, 2]");
    }

    @Test
    void powerIterationMatchesNaiveLoopAndConvergesToTheLargestSingularValue() {
        Random rng = new Random(4);
        INDArray w = Init.uniform(rng, DataType.DOUBLE, 1.0, 3, 3, 2, 4);   // conv [k,k,in,out]
        INDArray u = Init.normal(rng, DataType.DOUBLE, 0, 1, 1, 4);
        // naive: W_mat[o][i*9 + ky*3 + kx] in the reference's (out, in·k·k) order
        double[][] wm = new double[4][18];
        for (int o = 0; o < 4; o++) for (int i = 0; i < 2; i++) for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) {
            wm[o][i * 9 + ky * 3 + kx] = w.getDouble(ky, kx, i, o);
        }
        double[] u0 = u.toDoubleVector();
        double[] v = new double[18];
        for (int j = 0; j < 18; j++) for (int o = 0; o < 4; o++) v[j] += u0[o] * wm[o][j];
        double nv = Math.sqrt(java.util.Arrays.stream(v).map(q -> q * q).sum()) + 1e-12;
        for (int j = 0; j < 18; j++) v[j] /= nv;
        double[] u1 = new double[4];
        for (int o = 0; o < 4; o++) for (int j = 0; j < 18; j++) u1[o] += v[j] * wm[o][j];
        double nu = Math.sqrt(java.util.Arrays.stream(u1).map(q -> q * q).sum()) + 1e-12;
        for (int o = 0; o < 4; o++) u1[o] /= nu;
        double sigma = 0;
        for (int o = 0; o < 4; o++) for (int j = 0; j < 18; j++) sigma += u1[o] * wm[o][j] * v[j];

        double got = SpectralNorm.powerIterate(w, ParameterKind.CONV_WEIGHT, u);
        assertThat(got).isCloseTo(sigma, within(1e-12));
        for (int o = 0; o < 4; o++) {
            assertThat(u.getDouble(0, o)).isCloseTo(u1[o], within(1e-12));
        }

        // W_mat = diag(3, 1, 0.5) (out=3, in=4) as a linear weight [in,out]: σ → 3
        INDArray lin = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        lin.putScalar(0, 0, 3.0);
        lin.putScalar(1, 1, 1.0);
        lin.putScalar(2, 2, 0.5);
        INDArray ul = Nd4j.createFromArray(new double[][] {{0.3, 0.9, -0.2}});
        double s = 0;
        for (int it = 0; it < 60; it++) {
            s = SpectralNorm.powerIterate(lin, ParameterKind.LINEAR_WEIGHT, ul);
        }
        assertThat(s).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void spectralNormConvUsesWeightOverSigmaAndAdvancesUOnEveryForward() {
        Conv2d conv = Conv2d.of("c", 2, 3, 3).withBias(true).withSpectralNorm(true);
        ParameterStore s = declared(conv);
        INDArray x = input(1, 2, 4, 4);
        OneBlock g = new OneBlock(s, Mode.EVAL, x.shape(), conv::apply);
        for (int call = 0; call < 2; call++) {
            INDArray uCopy = s.array("c.u").dup();
            double sigma = SpectralNorm.powerIterate(s.array("c.weight"), ParameterKind.CONV_WEIGHT, uCopy);
            INDArray y = g.run(x);
            assertThat(s.array("c.u")).isEqualTo(uCopy);
            // bias is not scaled
            assertEqual(y, naiveConv(x, s.array("c.weight").div(sigma), s.array("c.bias"), 3), 1e-9);
        }
    }

    @Test
    void linearAndEmbeddingMatchLoops() {
        Linear lin = new Linear("fc", 3, 2, true, WeightInit.pytorchDefault(), false);
        ParameterStore s = declared(lin);
        INDArray x = input(4, 3);
        INDArray y = new OneBlock(s, Mode.TRAIN, x.shape(), lin::apply).run(x);
        for (int a = 0; a < 4; a++) for (int o = 0; o < 2; o++) {
            double e = s.array("fc.bias").getDouble(o);
            for (int i = 0; i < 3; i++) e += x.getDouble(a, i) * s.array("fc.weight").getDouble(i, o);
            assertThat(y.getDouble(a, o)).isCloseTo(e, within(TOL));
        }
        Embedding emb = new Embedding("emb", 3, 2, WeightInit.xavierUniform(1.0));
        ParameterStore es = declared(emb);
        SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        GraphScope sc = GraphScope.create(sd, es);
        SDVariable out = emb.apply(sc, sd.placeHolder("i", DataType.INT32, -1));
        INDArray r = sc.hooks().output(Map.of("i", Nd4j.createFromArray(2, 2, 0)), out.name()).get(out.name());
        assertThat(r).isEqualTo(Nd4j.vstack(es.array("emb.weight").getRow(2), es.array("emb.weight").getRow(2),
                es.array("emb.weight").getRow(0)));
    }

    @Test
    void badArgumentsAreRejectedWithTheFix() {
        assertThatThrownBy(() -> Conv2d.of("c", 3, 4, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel must be 1 or 3, got 5");
        assertThatThrownBy(() -> new BatchNorm2d("bn", 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels must be > 0");
        ParameterStore s = ParameterStore.create(DataType.FLOAT);
        assertThatThrownBy(() -> s.array("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
        BatchNormState st = BatchNormState.of(declared(new BatchNorm2d("bn", 2, false)), "bn");
        assertThatThrownBy(() -> st.update(Nd4j.zeros(DataType.DOUBLE, 2), Nd4j.ones(DataType.DOUBLE, 2), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=1");
    }
}
