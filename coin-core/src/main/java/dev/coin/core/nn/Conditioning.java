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
 * <p><b>Classifier features, code against paper</b> (reference §9.5): the features are the classifier's
 * penultimate (globally pooled) vector of the <em>raw</em> real image, computed without gradient, in training and
 * in evaluation; the condition labels are ignored. Two places where the published code and the description differ:
 * <ul>
 *   <li>the reference hard-wires the width 1280 (EfficientNetV2-S): {@code GeneratorResBlock} never passes
 *       {@code classifier_output_dim}, so a ResNet18 classifier (512 features) breaks it. Here F is a parameter and
 *       {@code Pipeline.build()} checks it against the classifier's
 *       {@link dev.coin.core.model.classifier.ClassifierSpec#featureWidth() feature width};</li>
 *   <li>the bridge has PyTorch's default init U(±1/√F) for weight and bias, so γ starts near 0, not near 1 as a
 *       conditional batch norm's scale usually does (and as the label embedding's does, N(1, 0.02)): at the start
 *       the normalised activations are almost switched off. Kept as the reference has it.</li>
 * </ul>
 * The cyclic reconstruction pass of the reference passes no features and crashes, so the trainer refuses
 * {@code X_CYCLIC} / {@code X_REC} terms with feature conditioning.
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

    /**
     * Bridge from classifier features of width {@code featureDim}: the classifier's feature width (1280 for
     * EfficientNetV2-S, 512 for ResNet18; see the class comment on the reference's hard-wired 1280).
     */
    public static Conditioning features(int featureDim) {
        return new Conditioning(Kind.FEATURES, featureDim);
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind == Kind.LABELS ? "labels(" + size + ")" : "features(" + size + ")";
    }
}
