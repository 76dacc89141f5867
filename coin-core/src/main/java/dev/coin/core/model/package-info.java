/**
 * COIN's networks as immutable specs: {@link dev.coin.core.model.UNetPerturbation} (encoder {@code enc.…} +
 * decoder {@code gen.…} + fusion) and {@link dev.coin.core.model.ResNetDiscriminator} ({@code disc.…}). A spec
 * counts its parameters without allocating, declares them into a {@link dev.coin.core.nn.ParameterStore}, and
 * builds its ops into any SameDiff through a {@link dev.coin.core.nn.GraphScope}.
 *
 * <pre>{@code
 * UNetPerturbation g = UNetPerturbation.withSkips(4).upsample(UpsampleKind.BILINEAR).build();   // 53,106,945 params
 * ResNetDiscriminator d = ResNetDiscriminator.fiveBlocks().build();                              // 19,543,489 params
 * ParameterStore store = ParameterStore.create(DataType.FLOAT);
 * g.declare(store, 777L);
 * d.declare(store, 778L);
 * SingleThreadArrayHolder holder = new SingleThreadArrayHolder();
 * // graph G: generator trainable, discriminator frozen (constants), both reading the same arrays
 * SameDiff sdG = GraphScope.newSameDiff(holder);
 * GraphScope gScope = GraphScope.create(sdG, store).withMode(Mode.TRAIN);
 * GeneratorOutputs fake = g.build(gScope.withCallPrefix("g"), x, labels, 256, 256);
 * DiscriminatorOutputs dFake = d.build(gScope.withTrainable(false).withCallPrefix("d_fake"), fake.counterfactual(),
 *         labels, 256, 256);
 * }</pre>
 */
package dev.coin.core.model;
