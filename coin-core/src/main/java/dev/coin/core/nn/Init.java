package dev.coin.core.nn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference initialisations, filled from an explicit seeded {@link Random} (values differ from PyTorch's RNG
 * stream; the distributions are the same).
 *
 * <p>Fans follow PyTorch: for a conv kernel {@code fan_in = in·k·k}, {@code fan_out = out·k·k}; for a 2-D tensor of
 * PyTorch shape {@code (rows, cols)} {@code fan_in = cols}, {@code fan_out = rows}.
 */
public final class Init {
    private Init() {
    }

    /** Xavier/Glorot normal: N(0, gain²·2/(fan_in+fan_out)). */
    public static INDArray xavierNormal(Random rng, DataType dt, long fanIn, long fanOut, double gain, long... shape) {
        double std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
        return normal(rng, dt, 0.0, std, shape);
    }

    /** Xavier/Glorot uniform: U(±gain·√(6/(fan_in+fan_out))). */
    public static INDArray xavierUniform(Random rng, DataType dt, long fanIn, long fanOut, double gain, long... shape) {
        double a = gain * Math.sqrt(6.0 / (fanIn + fanOut));
        return uniform(rng, dt, a, shape);
    }

    /** PyTorch's default bias (and default Linear weight) init: U(±1/√fan_in). */
    public static INDArray defaultBias(Random rng, DataType dt, long fanIn, long... shape) {
        return uniform(rng, dt, 1.0 / Math.sqrt(fanIn), shape);
    }

    /** U(−bound, bound). */
    public static INDArray uniform(Random rng, DataType dt, double bound, long... shape) {
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2.0 * rng.nextDouble() - 1.0) * bound;
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dt);
    }

    /** N(mean, std²). */
    public static INDArray normal(Random rng, DataType dt, double mean, double std, long... shape) {
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * rng.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dt);
    }

    /** A constant-filled array. */
    public static INDArray constant(DataType dt, double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, dt);
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
