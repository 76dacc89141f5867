package dev.coin.core.nn;

/**
 * How a weight is initialised: Xavier normal / uniform with a gain (the reference uses gain 1 and √2), or PyTorch's
 * default for {@code nn.Linear} (U(±1/√fan_in)).
 *
 * @param kind which distribution
 * @param gain Xavier gain (ignored for {@link Kind#PYTORCH_DEFAULT})
 */
public record WeightInit(Kind kind, double gain) {
    /** The distributions. */
    public enum Kind { XAVIER_NORMAL, XAVIER_UNIFORM, PYTORCH_DEFAULT }

    public WeightInit {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain must be finite and > 0, got " + gain);
        }
    }

    /** Xavier normal with {@code gain}. */
    public static WeightInit xavierNormal(double gain) {
        return new WeightInit(Kind.XAVIER_NORMAL, gain);
    }

    /** Xavier uniform with {@code gain}. */
    public static WeightInit xavierUniform(double gain) {
        return new WeightInit(Kind.XAVIER_UNIFORM, gain);
    }

    /** PyTorch's default Linear/Conv weight init, U(±1/√fan_in). */
    public static WeightInit pytorchDefault() {
        return new WeightInit(Kind.PYTORCH_DEFAULT, 1.0);
    }

    org.nd4j.linalg.api.ndarray.INDArray sample(java.util.Random rng, org.nd4j.linalg.api.buffer.DataType dt,
            long fanIn, long fanOut, long... shape) {
        switch (kind) {
            case XAVIER_NORMAL:
                return Init.xavierNormal(rng, dt, fanIn, fanOut, gain, shape);
            case XAVIER_UNIFORM:
                return Init.xavierUniform(rng, dt, fanIn, fanOut, gain, shape);
            default:
                return Init.defaultBias(rng, dt, fanIn, shape);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.PYTORCH_DEFAULT ? "default" : kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + gain + ")";
    }
}
