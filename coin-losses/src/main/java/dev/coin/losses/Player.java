package dev.coin.losses;

/**
 * Which player of the two-player game a loss term trains. A pipeline sums the generator terms into the loss of its
 * generator graph (encoder + decoder weights are the variables) and the discriminator terms into the loss of its
 * discriminator graph.
 */
public enum Player {
    /** Terms minimised by the encoder/generator update. */
    GENERATOR,
    /** Terms minimised by the discriminator update. */
    DISCRIMINATOR
}
