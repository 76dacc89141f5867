package dev.coin.core.nn;

import java.util.Random;

/**
 * A module with named parameters: it can declare (allocate and initialise) them into a {@link ParameterStore} and
 * count them without allocating anything. Each layer also has an {@code apply} method that adds its ops to a
 * graph through a {@link GraphScope}.
 */
public interface Layer {
    /** The state_dict prefix of this layer's parameters (e.g. {@code enc.blocks.0.right_branch.3}). */
    String name();

    /** Allocates and initialises this layer's parameters and state buffers in {@code store}. */
    void declare(ParameterStore store, Random rng);

    /** Trainable parameters (weights, biases, BN affine, embeddings); excludes running stats and SN vectors. */
    long parameterCount();
}
