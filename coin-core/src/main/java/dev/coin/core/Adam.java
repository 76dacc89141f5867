package dev.coin.core;

import java.util.Objects;

/**
 * Adam settings of one player's optimiser (both players use the same settings, as in the reference §4.6).
 * Immutable; the withers return copies.
 *
 * <pre>{@code
 * Adam adam = Adam.lr(2e-4).betas(0.0, 0.999);          // Adam[lr=2.0E-4, betas=(0.0, 0.999), eps=1.0E-8]
 * }</pre>
 */
public final class Adam {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Adam learning rate must be finite and > 0, got " + learningRate
                    + "; COIN uses 2e-4");
        }
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam eps must be finite and > 0, got " + epsilon + "; COIN uses 1e-8");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    private static void checkBeta(String name, double b) {
        if (!(b >= 0 && b < 1)) {
            throw new IllegalArgumentException("Adam " + name + " must be in [0, 1), got " + b
                    + "; COIN uses betas (0.0, 0.999)");
        }
    }

    /** Adam with learning rate {@code lr}, PyTorch's default betas (0.9, 0.999) and eps 1e-8. */
    public static Adam lr(double lr) {
        return new Adam(lr, 0.9, 0.999, 1e-8);
    }

    /** A copy with betas (β1, β2). */
    public Adam betas(double b1, double b2) {
        return new Adam(learningRate, b1, b2, epsilon);
    }

    /** A copy with epsilon {@code e}. */
    public Adam eps(double e) {
        return new Adam(learningRate, beta1, beta2, e);
    }

    public double learningRate() {
        return learningRate;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /** The ND4J updater configuration. */
    public org.nd4j.linalg.learning.config.Adam toUpdater() {
        return new org.nd4j.linalg.learning.config.Adam(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Adam a && a.learningRate == learningRate && a.beta1 == beta1 && a.beta2 == beta2
                && a.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "Adam[lr=" + learningRate + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + epsilon + "]";
    }
}
