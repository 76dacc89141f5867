package dev.coin.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ×2 upsampling of NCHW tensors.
 *
 * <p>Nearest uses SameDiff's {@code upsampling2d} (correct gradient). Bilinear is PyTorch's align-corners = TRUE
 * form, built from primitives because SameDiff's resize ops have no gradient: the output is {@code A_H · x · A_Wᵀ}
 * with constant interpolation matrices {@code A_n} of shape (2n, n), applied as two matrix products over reshaped
 * views. Row {@code i} of {@code A_n} samples the source coordinate {@code s = i·(n−1)/(2n−1)} with weights
 * {@code 1−(s−⌊s⌋)} at {@code ⌊s⌋} and {@code s−⌊s⌋} at {@code min(⌊s⌋+1, n−1)}.
 */
public final class Upsample {
    private Upsample() {
    }

    /**
     * Upsamples {@code x} (N, channels, height, width) by 2. The spatial size must be given because the bilinear
     * matrices are graph constants.
     */
    public static SDVariable apply(GraphScope s, UpsampleKind kind, SDVariable x, int channels, int height, int width,
            String name) {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("upsample '" + name + "': channels/height/width must be > 0, got "
                    + channels + "/" + height + "/" + width);
        }
        if (kind == UpsampleKind.NEAREST) {
            return s.sd().cnn().upsampling2d(s.opName(name), x, 2, 2, true);
        }
        SameDiff sd = s.sd();
        DataType dt = s.store().dataType();
        SDVariable awT = matrixConstant(sd, dt, width);   // (W, 2W)
        SDVariable ahT = matrixConstant(sd, dt, height);  // (H, 2H)
        // along W: rows are (n, c, h)
        SDVariable alongW = x.reshape(-1, width).mmul(awT).reshape(-1, channels, height, 2L * width);
        // along H: bring H last, rows are (n, c, w')
        SDVariable hLast = alongW.permute(0, 1, 3, 2).reshape(-1, height);
        SDVariable alongH = hLast.mmul(ahT).reshape(-1, channels, 2L * width, 2L * height);
        return sd.permute(s.opName(name), alongH, 0, 1, 3, 2);
    }

    /** The transposed align-corners interpolation matrix (n, 2n) as a shared graph constant. */
    private static SDVariable matrixConstant(SameDiff sd, DataType dt, int n) {
        String constName = "upsample_bilinear_ac_" + n + "_" + dt.name().toLowerCase(java.util.Locale.ROOT);
        if (sd.hasVariable(constName)) {
            return sd.getVariable(constName);
        }
        return sd.constant(constName, alignCornersMatrix(n, 2 * n, dt).transpose().dup('c'));
    }

    /**
     * The (out, in) align-corners bilinear interpolation matrix: {@code y = A · x} resamples a length-{@code in}
     * signal to length {@code out}.
     */
    public static INDArray alignCornersMatrix(int in, int out, DataType dt) {
        double[] a = new double[out * in];
        double scale = out > 1 ? (in - 1.0) / (out - 1.0) : 0.0;
        for (int i = 0; i < out; i++) {
            double src = i * scale;
            int i0 = Math.min((int) Math.floor(src), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double lambda = src - i0;
            a[i * in + i0] += 1.0 - lambda;
            a[i * in + i1] += lambda;
        }
        return Nd4j.create(a, new long[] {out, in}, DataType.DOUBLE).castTo(dt);
    }
}
