package dev.coin.core;

import dev.coin.core.report.CounterfactualPanel;
import dev.coin.core.mask.Mask;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.core.mask.Masks;
import dev.coin.data.image.FloatImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * COIN's explanation of one slice: the input, its counterfactual (both in [−1, 1] image space), the unit-space
 * difference map |x − x_cf| / 2 ∈ [0, 1] (reference §7.1 step 4) and the classifier's probability of "abnormal"
 * before and after. Masks are cut from the difference map by a {@link MaskPolicy}. Immutable.
 *
 * <pre>{@code
 * Explanation e = trained.explain(slice);   // Explanation[32x32, p 0.981 → 0.012 (flipped), mask 57 px …]
 * Mask m = e.mask();                         // diff > 0.25
 * Mask clean = e.mask(MaskPolicy.DEFAULT.postProcess(PostProcessing.OPEN_CLOSE_LARGEST));
 * Path png = e.writePanel(Path.of("panel.png"), slice.mask("anomaly"));
 * }</pre>
 */
public final class Explanation {
    private final FloatImage input;
    private final FloatImage reference;
    private final FloatImage counterfactual;
    private final FloatImage differenceMap;
    private final double probabilityBefore;
    private final double probabilityAfter;

    private Explanation(FloatImage input, FloatImage reference, FloatImage counterfactual, double probabilityBefore,
            double probabilityAfter) {
        this.input = input;
        this.reference = reference;
        this.counterfactual = counterfactual;
        this.differenceMap = Masks.differenceMap(reference, counterfactual);
        this.probabilityBefore = probabilityBefore;
        this.probabilityAfter = probabilityAfter;
    }

    /**
     * An explanation from its parts (what {@link TrainedPipeline#explain} builds).
     *
     * @param input             x in [−1, 1]
     * @param counterfactual    x_cf in [−1, 1], same size as {@code input}
     * @param probabilityBefore p(x) in [0, 1]
     * @param probabilityAfter  p(x_cf) in [0, 1]
     * @throws IllegalArgumentException naming the bad argument
     */
    public static Explanation of(FloatImage input, FloatImage counterfactual, double probabilityBefore,
            double probabilityAfter) {
        return of(input, input, counterfactual, probabilityBefore, probabilityAfter);
    }

    /**
     * An explanation whose difference map compares the counterfactual with {@code reference} rather than the input:
     * COIN-Aligned's tanh alignment (reference §9.2) compares x_cf with tanh(x) (see
     * {@link TrainedPipeline.Counterfactual#reference()}).
     *
     * @param reference the image x_cf is compared with, same size as {@code input}
     */
    public static Explanation of(FloatImage input, FloatImage reference, FloatImage counterfactual,
            double probabilityBefore, double probabilityAfter) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(counterfactual, "counterfactual");
        if (input.height() != counterfactual.height() || input.width() != counterfactual.width()) {
            throw new IllegalArgumentException("counterfactual is " + counterfactual.height() + "x"
                    + counterfactual.width() + " but the input is " + input.height() + "x" + input.width()
                    + "; pass the counterfactual of this input");
        }
        if (input.height() != reference.height() || input.width() != reference.width()) {
            throw new IllegalArgumentException("reference is " + reference.height() + "x" + reference.width()
                    + " but the input is " + input.height() + "x" + input.width() + "; pass x or tanh(x) of this input");
        }
        checkProbability("probabilityBefore", probabilityBefore);
        checkProbability("probabilityAfter", probabilityAfter);
        return new Explanation(input, reference, counterfactual, probabilityBefore, probabilityAfter);
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p
                    + "; pass sigmoid(logit), not the logit");
        }
    }

    /** x, image space [−1, 1]. */
    public FloatImage input() {
        return input;
    }

    /** The image x_cf is compared with: x, or tanh(x) for a tanh-aligned pipeline; image space [−1, 1]. */
    public FloatImage reference() {
        return reference;
    }

    /** x_cf, image space [−1, 1]. */
    public FloatImage counterfactual() {
        return counterfactual;
    }

    /** |x − x_cf| / 2 (|tanh(x) − x_cf| / 2 under tanh alignment): the change in unit space, in [0, 1]. */
    public FloatImage differenceMap() {
        return differenceMap;
    }

    /** p(x). */
    public double probabilityBefore() {
        return probabilityBefore;
    }

    /** p(x_cf). */
    public double probabilityAfter() {
        return probabilityAfter;
    }

    /** True when the classifier called the input abnormal (p ≥ 0.5) and its counterfactual normal (q &lt; 0.5). */
    public boolean flipped() {
        return probabilityBefore >= 0.5 && probabilityAfter < 0.5;
    }

    /** The mask of the default policy ({@link MaskPolicy#DEFAULT}: diff &gt; 0.25, no post-processing). */
    public Mask mask() {
        return mask(MaskPolicy.DEFAULT);
    }

    /** The mask of {@code policy}. */
    public Mask mask(MaskPolicy policy) {
        return Objects.requireNonNull(policy, "policy (MaskPolicy.DEFAULT for COIN's default)").apply(differenceMap);
    }

    /**
     * Writes a PNG without ground truth, one row of four tiles: input | counterfactual | difference map | default
     * mask ({@link CounterfactualPanel#renderStrip}). Parent folders are created.
     *
     * @return {@code file}
     */
    public Path writePanel(Path file) {
        Objects.requireNonNull(file, "file");
        CounterfactualPanel.writeStrip(input, counterfactual, differenceMap, mask().image(), file);
        return file;
    }

    /** {@link #writePanel(Path, FloatImage, MaskPolicy)} with the default mask policy. */
    public Path writePanel(Path file, FloatImage truth) {
        return writePanel(file, truth, MaskPolicy.DEFAULT);
    }

    /**
     * Writes the reference's 2×3 PNG panel ({@link CounterfactualPanel}): input, overlay and confusion colours
     * against {@code truth} (TP green, FP red, FN yellow); counterfactual, difference map, the mask of
     * {@code policy}. Parent folders are created.
     *
     * @param truth a 0/1 ground-truth mask of the input's size
     * @return {@code file}
     */
    public Path writePanel(Path file, FloatImage truth, MaskPolicy policy) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(truth, "truth (use writePanel(file) when there is no ground truth)");
        CounterfactualPanel.write(input, counterfactual, differenceMap, mask(policy).image(), truth, file);
        return file;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Explanation e && e.input.equals(input) && e.reference.equals(reference)
                && e.counterfactual.equals(counterfactual) && Double.compare(e.probabilityBefore, probabilityBefore) == 0
                && Double.compare(e.probabilityAfter, probabilityAfter) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, counterfactual, probabilityBefore, probabilityAfter);
    }

    @Override
    public String toString() {
        Mask m = mask();
        return String.format(Locale.ROOT, "Explanation[%dx%d, p %.3f → %.3f%s, mask %d px (%.1f %%) at diff > %s]",
                input.height(), input.width(), probabilityBefore, probabilityAfter, flipped() ? " (flipped)" : "",
                m.area(), 100 * m.areaFraction(), m.policy().threshold());
    }
}
