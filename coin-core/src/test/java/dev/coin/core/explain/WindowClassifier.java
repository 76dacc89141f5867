package dev.coin.core.explain;

import dev.coin.core.model.Classifier;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.ParameterStore;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A toy classifier whose evidence location is known: logit = a · mean(x over an 8×8 window) + b.
 *
 * <p>Layer {@code "pool"} is [B, 2, H/4, W/4]: the 4×4 average-pooled input split into channel 0 = the pooled cells
 * inside the window, channel 1 = the cells outside it. The logit reads channel 0 only:
 * logit = a · sum(channel 0) / 4 + b (4 pooled cells of 16 pixels = the 64-pixel window mean). The window must be
 * aligned to the 4-pixel pooling grid.
 */
final class WindowClassifier implements Classifier {
    static final String LAYER = "pool";
    final int height;
    final int width;
    final int row0;
    final int col0;
    final double a;
    final double b;
    private final float[] windowCells; // [h*w] indicator of the pooled cells inside the window

    WindowClassifier(int height, int width, int row0, int col0, double a, double b) {
        if (row0 % 4 != 0 || col0 % 4 != 0 || height % 4 != 0 || width % 4 != 0) {
            throw new IllegalArgumentException("window and image must align to the 4-pixel pooling grid");
        }
        this.height = height;
        this.width = width;
        this.row0 = row0;
        this.col0 = col0;
        this.a = a;
        this.b = b;
        int h = height / 4;
        int w = width / 4;
        windowCells = new float[h * w];
        for (int r = row0 / 4; r < row0 / 4 + 2; r++) {
            for (int c = col0 / 4; c < col0 / 4 + 2; c++) {
                windowCells[r * w + c] = 1f;
            }
        }
    }

    boolean inWindow(int row, int col) {
        return row >= row0 && row < row0 + 8 && col >= col0 && col < col0 + 8;
    }

    @Override
    public Object spec() {
        return "WindowClassifier[" + row0 + "," + col0 + "]";
    }

    @Override
    public ParameterStore parameters() {
        return ParameterStore.create(DataType.FLOAT);
    }

    @Override
    public List<String> layerNames() {
        return List.of(LAYER);
    }

    private INDArray indicator(boolean inside) {
        float[] v = windowCells.clone();
        if (!inside) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 1f - v[i];
            }
        }
        return Nd4j.create(v, new long[] {1, 1, height / 4, width / 4});
    }

    @Override
    public ClassifierOutputs apply(GraphScope scope, SDVariable x, String... layers) {
        SameDiff sd = scope.sd();
        SDVariable pooled = sd.cnn().avgPooling2d(x, org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig
                .builder().kH(4).kW(4).sH(4).sW(4).isNHWC(false).build());
        SDVariable in = pooled.mul(sd.constant(scope.opName("win_in"), indicator(true)));
        SDVariable out = pooled.mul(sd.constant(scope.opName("win_out"), indicator(false)));
        SDVariable act = sd.concat(scope.opName(LAYER), 1, in, out);
        INDArray sel = Nd4j.concat(1, Nd4j.onesLike(indicator(true)), Nd4j.zerosLike(indicator(true)));
        SDVariable ch0 = act.mul(sd.constant(scope.opName("select_ch0"), sel));
        SDVariable logits = ch0.sum(true, 1, 2, 3).reshape(-1, 1).mul(a / 4.0).add(b);
        List<SDVariable> requested = new java.util.ArrayList<>();
        for (String l : layers) {
            if (!LAYER.equals(l)) {
                throw new IllegalArgumentException("layer '" + l + "' unknown; use " + LAYER);
            }
            requested.add(act);
        }
        return new ClassifierOutputs(logits, pooled.reshape(-1, (long) (height / 4) * (width / 4)), requested);
    }

    @Override
    public INDArray activations(INDArray x, String layer) {
        if (!LAYER.equals(layer)) {
            throw new IllegalArgumentException("layer '" + layer + "' unknown; use " + LAYER);
        }
        int n = (int) x.size(0);
        int h = height / 4;
        int w = width / 4;
        float[] xs = x.castTo(DataType.FLOAT).dup().data().asFloat();
        float[] out = new float[n * 2 * h * w];
        for (int s = 0; s < n; s++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    double sum = 0;
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            sum += xs[s * height * width + (4 * r + i) * width + 4 * c + j];
                        }
                    }
                    int ch = windowCells[r * w + c] > 0 ? 0 : 1;
                    out[((s * 2 + ch) * h + r) * w + c] = (float) (sum / 16);
                }
            }
        }
        return Nd4j.create(out, new long[] {n, 2, h, w});
    }

    @Override
    public INDArray logits(INDArray x) {
        int n = (int) x.size(0);
        float[] xs = x.castTo(DataType.FLOAT).dup().data().asFloat();
        float[] out = new float[n];
        for (int s = 0; s < n; s++) {
            double sum = 0;
            for (int r = row0; r < row0 + 8; r++) {
                for (int c = col0; c < col0 + 8; c++) {
                    sum += xs[s * height * width + r * width + c];
                }
            }
            out[s] = (float) (a * sum / 64 + b);
        }
        return Nd4j.create(out, new long[] {n, 1});
    }

    @Override
    public INDArray features(INDArray x) {
        INDArray act = activations(x, LAYER);
        return act.reshape(act.size(0), act.length() / act.size(0));
    }
}
