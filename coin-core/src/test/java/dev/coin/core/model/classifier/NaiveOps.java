package dev.coin.core.model.classifier;

import dev.coin.core.nn.ParameterStore;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain-Java loops over double[][][][] (N,C,H,W) that recompute the classifier layers from the store's arrays,
 * independently of SameDiff, as PyTorch defines them.
 */
final class NaiveOps {
    private NaiveOps() {
    }

    static double[][][][] toArray(INDArray x) {
        long[] s = x.shape();
        double[][][][] a = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int h = 0; h < s[2]; h++) {
                    for (int w = 0; w < s[3]; w++) {
                        a[n][c][h][w] = x.getDouble(n, c, h, w);
                    }
                }
            }
        }
        return a;
    }

    /** Convolution with weight in store layout [k,k,in,out] (groups = 1) or [k,k,1,C] when depthwise. */
    static double[][][][] conv(double[][][][] x, ParameterStore st, String name, int stride, int pad, boolean depthwise) {
        INDArray w = st.array(name + ".weight");
        double[] wd = w.dup('c').data().asDouble();
        int k = (int) w.size(0);
        int cin = x[0].length;
        int cout = (int) w.size(3);
        double[] bias = st.contains(name + ".bias") ? st.array(name + ".bias").data().asDouble() : null;
        int h = x[0][0].length;
        int wi = x[0][0][0].length;
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (wi + 2 * pad - k) / stride + 1;
        double[][][][] y = new double[x.length][cout][oh][ow];
        int wIn = depthwise ? 1 : cin;
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias == null ? 0 : bias[o];
                        for (int c = depthwise ? o : 0; c < (depthwise ? o + 1 : cin); c++) {
                            int cw = depthwise ? 0 : c;
                            for (int a = 0; a < k; a++) {
                                for (int b = 0; b < k; b++) {
                                    int r = i * stride - pad + a;
                                    int q = j * stride - pad + b;
                                    if (r >= 0 && r < h && q >= 0 && q < wi) {
                                        acc += x[n][c][r][q] * wd[((a * k + b) * wIn + cw) * cout + o];
                                    }
                                }
                            }
                        }
                        y[n][o][i][j] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Eval-mode batch norm with the running statistics. */
    static double[][][][] bn(double[][][][] x, ParameterStore st, String name, double eps) {
        double[] g = st.array(name + ".weight").data().asDouble();
        double[] b = st.array(name + ".bias").data().asDouble();
        double[] m = st.array(name + ".running_mean").data().asDouble();
        double[] v = st.array(name + ".running_var").data().asDouble();
        double[][][][] y = new double[x.length][x[0].length][x[0][0].length][x[0][0][0].length];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[0].length; c++) {
                for (int i = 0; i < x[0][0].length; i++) {
                    for (int j = 0; j < x[0][0][0].length; j++) {
                        y[n][c][i][j] = (x[n][c][i][j] - m[c]) / Math.sqrt(v[c] + eps) * g[c] + b[c];
                    }
                }
            }
        }
        return y;
    }

    static double[][][][] relu(double[][][][] x) {
        return map(x, v -> Math.max(0, v));
    }

    static double[][][][] silu(double[][][][] x) {
        return map(x, v -> v / (1 + Math.exp(-v)));
    }

    static double[][][][] map(double[][][][] x, java.util.function.DoubleUnaryOperator f) {
        double[][][][] y = new double[x.length][x[0].length][x[0][0].length][x[0][0][0].length];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[0].length; c++) {
                for (int i = 0; i < x[0][0].length; i++) {
                    for (int j = 0; j < x[0][0][0].length; j++) {
                        y[n][c][i][j] = f.applyAsDouble(x[n][c][i][j]);
                    }
                }
            }
        }
        return y;
    }

    static double[][][][] add(double[][][][] a, double[][][][] b) {
        double[][][][] y = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        for (int n = 0; n < a.length; n++) {
            for (int c = 0; c < a[0].length; c++) {
                for (int i = 0; i < a[0][0].length; i++) {
                    for (int j = 0; j < a[0][0][0].length; j++) {
                        y[n][c][i][j] = a[n][c][i][j] + b[n][c][i][j];
                    }
                }
            }
        }
        return y;
    }

    /** Max pooling; padded positions never win (PyTorch pads with −∞). */
    static double[][][][] maxPool(double[][][][] x, int k, int stride, int pad) {
        int h = x[0][0].length;
        int w = x[0][0][0].length;
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        double[][][][] y = new double[x.length][x[0].length][oh][ow];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[0].length; c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                int r = i * stride - pad + a;
                                int q = j * stride - pad + b;
                                if (r >= 0 && r < h && q >= 0 && q < w) {
                                    m = Math.max(m, x[n][c][r][q]);
                                }
                            }
                        }
                        y[n][c][i][j] = m;
                    }
                }
            }
        }
        return y;
    }

    /** Global average pool → [N][C]. */
    static double[][] avgPool(double[][][][] x) {
        double[][] y = new double[x.length][x[0].length];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[0].length; c++) {
                double s = 0;
                for (double[] row : x[n][c]) {
                    for (double v : row) {
                        s += v;
                    }
                }
                y[n][c] = s / (x[n][c].length * x[n][c][0].length);
            }
        }
        return y;
    }

    /** x·W + b with W in store layout [in, out]. */
    static double[][] linear(double[][] x, ParameterStore st, String name) {
        INDArray w = st.array(name + ".weight");
        double[] b = st.array(name + ".bias").data().asDouble();
        int out = (int) w.size(1);
        double[][] y = new double[x.length][out];
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int i = 0; i < x[n].length; i++) {
                    acc += x[n][i] * w.getDouble(i, o);
                }
                y[n][o] = acc;
            }
        }
        return y;
    }

    static double maxAbsDiff(double[][][][] a, INDArray b) {
        double d = 0;
        for (int n = 0; n < a.length; n++) {
            for (int c = 0; c < a[0].length; c++) {
                for (int i = 0; i < a[0][0].length; i++) {
                    for (int j = 0; j < a[0][0][0].length; j++) {
                        d = Math.max(d, Math.abs(a[n][c][i][j] - b.getDouble(n, c, i, j)));
                    }
                }
            }
        }
        return d;
    }
}
