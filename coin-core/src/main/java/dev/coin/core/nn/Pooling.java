package dev.coin.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Pooling of NCHW tensors: 2×2 average pooling with stride 2, and global sum pooling over H and W. */
public final class Pooling {
    private Pooling() {
    }

    /** {@code nn.AvgPool2d(2)}: (N,C,H,W) → (N,C,H/2,W/2); H and W must be even. */
    public static SDVariable avgPool2x2(GraphScope s, SDVariable x, String name) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .type(Pooling2D.Pooling2DType.AVG).divisor(Pooling2D.Divisor.INCLUDE_PADDING)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return s.sd().cnn().avgPooling2d(s.opName(name), x, cfg);
    }

    /** {@code torch.sum(x, dim=(2,3))}: (N,C,H,W) → (N,C). */
    public static SDVariable sumPool(GraphScope s, SDVariable x, String name) {
        return s.sd().sum(s.opName(name), x, 2, 3);
    }
}
