/**
 * Verified building blocks on SameDiff 1.0.0-M2.1 with PyTorch semantics: {@link dev.coin.core.nn.Conv2d},
 * {@link dev.coin.core.nn.BatchNorm2d} (train/eval, running statistics),
 * {@link dev.coin.core.nn.ConditionalBatchNorm2d}, {@link dev.coin.core.nn.Upsample} (nearest and align-corners
 * bilinear), {@link dev.coin.core.nn.Pooling}, {@link dev.coin.core.nn.Linear}, {@link dev.coin.core.nn.Embedding},
 * host-side {@link dev.coin.core.nn.SpectralNorm}, and what a network is made of and run through ({@link
 * dev.coin.core.nn.Layer}, {@link dev.coin.core.nn.ParameterStore}, {@link dev.coin.core.nn.GraphScope}). The
 * composite blocks the library's own networks are built from (the three COIN residual blocks, ResNet-18's basic
 * block, EfficientNetV2's MBConv and its parts) are in {@code dev.coin.core.nn.internal}, which is not API.
 *
 * <p>Runtime layout: all arrays live in a {@link dev.coin.core.nn.ParameterStore} keyed by the reference
 * state_dict names; a module adds its ops to a SameDiff through a {@link dev.coin.core.nn.GraphScope} (mode,
 * trainable or frozen, call prefix), referencing the store's arrays; the scope's
 * {@link dev.coin.core.nn.ForwardHooks} advance spectral norm before and update batch-norm running statistics
 * after every forward.
 *
 * <pre>{@code
 * ParameterStore store = ParameterStore.create(DataType.FLOAT);
 * Conv2d conv = Conv2d.of("c", 1, 8, 3).withBias(true).withSpectralNorm(true);
 * BatchNorm2d bn = new BatchNorm2d("bn", 8, true);
 * conv.declare(store, new Random(1));
 * bn.declare(store, new Random(2));
 * SameDiff sd = GraphScope.newSameDiff(new SingleThreadArrayHolder());
 * GraphScope scope = GraphScope.create(sd, store).withMode(Mode.TRAIN);
 * SDVariable y = bn.apply(scope, conv.apply(scope, sd.placeHolder("x", DataType.FLOAT, -1, 1, 32, 32)));
 * INDArray out = scope.hooks().output(Map.of("x", x), y.name()).get(y.name());  // u advanced, stats updated
 * }</pre>
 *
 * <p>SameDiff M2.1 traps handled here (each found or confirmed by a test): the fused batch norm has no usable
 * gradient (primitives instead), a single float mean over N·H·W loses ~1e-5 relative accuracy (nested means),
 * {@code gather}'s gradient is wrong for repeated indices (one-hot matmul instead), {@code tensorMmul}'s backward
 * fails on shape checks and resize ops have no gradient (bilinear by reshaped matmuls), {@code sd.var(name, arr)}
 * duplicates an array another graph on the same holder already uses (variables registered by hand).
 */
package dev.coin.core.nn;
