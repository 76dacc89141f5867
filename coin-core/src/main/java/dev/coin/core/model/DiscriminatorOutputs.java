package dev.coin.core.model;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The graph variables of one discriminator application.
 *
 * @param logits raw logits (N, 1)
 * @param pooled the globally sum-pooled features h (N, C)
 * @param slope  the directional derivative of each sample's logit along a given input direction (N, 1), from
 *               {@link ResNetDiscriminator#buildWithSlope}; null from {@link ResNetDiscriminator#build}
 */
public record DiscriminatorOutputs(SDVariable logits, SDVariable pooled, SDVariable slope) {
}
