/**
 * Array and weight files: {@link dev.coin.core.nn.io.Npy} and {@link dev.coin.core.nn.io.Npz} (NumPy's formats, for
 * arrays exchanged with PyTorch and the reference vectors) and {@link dev.coin.core.nn.io.StateDict} (PyTorch-style
 * parameter names ↔ a {@link dev.coin.core.nn.ParameterStore}).
 */
package dev.coin.core.nn.io;
