package dev.coin.core.nn;

/**
 * Where the per-sample γ/β of a {@link ConditionalBatchNorm2d} come from.
 *
 * <ul>
 *   <li>{@link #none()}: no condition; an ordinary affine batch norm ({@code <name>.bn.weight/bias}).</li>
 *   <li>{@link #labels(int)}: COIN — row {@code label} of an embedding table {@code (numClasses, 2C)}
 *       ({@code <name>.embed.weight}); first C entries γ ~ N(1, 0.02), last C entries β = 0.</li>
 *   <li>{@link #features(int)}: COIN-Aligned — a bridge {@code Linear(featureDim → 2C)} of classifier features
 *       ({@code <name>.fc.weight/bias}, PyTorch default init).</li>
 * </ul>
 *
 * @param kind      which source
 * @param size      number of classes (LABELS) or feature width (FEATURES); 0 for NONE
 */
public record Conditioning(Kind kind, int size) {
    /** The sources. */
    public enum Kind { NONE, LABELS, FEATURES }

    public Conditioning {
        if (kind == Kind.NONE ? size != 0 : size <= 0) {
            throw new IllegalArgumentException("conditioning " + kind + " needs size " + (kind == Kind.NONE ? "0" : "> 0")
                    + ", got " + size);
        }
    }

    public static Conditioning none() {
        return new Conditioning(Kind.NONE, 0);
    }

    /** Label embedding with {@code numClasses} rows (COIN uses 2). */
    public static Conditioning labels(int numClasses) {
        return new Conditioning(Kind.LABELS, numClasses);
    }

    /** Bridge from classifier features of width {@code featureDim} (1280 for EfficientNetV2-S). */
    public static Conditioning features(int featureDim) {
        return new Conditioning(Kind.FEATURES, featureDim);
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind == Kind.LABELS ? "labels(" + size + ")" : "features(" + size + ")";
    }
}
