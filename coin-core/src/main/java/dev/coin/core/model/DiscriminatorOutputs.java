package dev.coin.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The graph variables of one discriminator application.
 *
 * @param logits raw logits (N, 1)
 * @param pooled the globally sum-pooled features h (N, C)
 */
public record DiscriminatorOutputs(SDVariable logits, SDVariable pooled) {
}
