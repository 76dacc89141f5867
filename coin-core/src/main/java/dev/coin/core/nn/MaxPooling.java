package dev.coin.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** {@code nn.MaxPool2d(kernel, stride, padding)} on NCHW tensors (padding never wins: it acts as −∞). */
public final class MaxPooling {
    private MaxPooling() {
    }

    /**
     * Max pooling with a square window; output size {@code ⌊(H + 2·padding − kernel)/stride⌋ + 1}. ResNet's stem uses
     * {@code (3, 2, 1)}.
     */
    public static SDVariable maxPool(GraphScope s, SDVariable x, String name, int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("max pool '" + name + "': need kernel, stride > 0 and 0 <= padding <= kernel/2, got kernel="
                    + kernel + ", stride=" + stride + ", padding=" + padding);
        }
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return s.sd().cnn().maxPooling2d(s.opName(name), x, cfg);
    }
}
