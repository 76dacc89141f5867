/**
 * The composite blocks of the library's own networks: the COIN residual blocks of the generator and the
 * discriminator ({@code EncoderResBlock}, {@code GeneratorResBlock}, {@code DiscriminatorResBlock}), ResNet-18's
 * {@code BasicBlock} and EfficientNetV2's {@code MBConv}, {@code FusedMBConv}, {@code SqueezeExcitation},
 * {@code ConvNormActivation}, {@code DepthwiseConv2d} and {@code StridedConv2d}. Each reproduces one PyTorch
 * module's parameter names and semantics, and is used only by the networks in {@code dev.coin.core.model}.
 *
 * <p>Not API: anything here may change or disappear between versions; applications and examples must not use it
 * (an architecture test checks this). To build a network of your own, use the layers of {@code dev.coin.core.nn}
 * ({@code Conv2d}, {@code BatchNorm2d}, {@code Linear}, ...) through a {@code GraphScope}.
 */
package dev.coin.core.nn.internal;
