/**
 * Weights in and out: {@link dev.coin.core.io.StateDict} maps a {@link dev.coin.core.nn.ParameterStore} to and
 * from the reference PyTorch state_dict names and layouts (npz via {@link dev.coin.core.io.Npz}, which also
 * writes the 0-d {@code num_batches_tracked} arrays ND4J's reader rejects); {@link dev.coin.core.io.NetworkFile} is
 * our own zip (JSON specs + npz state) with bit-identical save → load.
 *
 * <pre>{@code
 * StateDict.load(store, Npz.read(Path.of("coin_state_dict.npz")), "");
 * NetworkFile.save(Path.of("coin.zip"), generator, discriminator, store);
 * }</pre>
 */
package dev.coin.core.io;
