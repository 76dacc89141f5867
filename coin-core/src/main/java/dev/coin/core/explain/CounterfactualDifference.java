package dev.coin.core.explain;

import dev.coin.core.mask.Masks;

import dev.coin.data.image.FloatImage;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * COIN's explanation as a {@link SaliencyMethod}: the unit-space difference |x − x_cf| / 2 ∈ [0, 1] between each
 * input and its counterfactual (reference §7.1 step 4). Not min–max normalised: the COIN threshold (0.25) is an
 * absolute intensity change.
 *
 * <pre>{@code
 * SaliencyMethod coin = new CounterfactualDifference("COIN", x -> generator.counterfactual(x));
 * FloatImage[] diffs = coin.saliency(x);
 * }</pre>
 */
public final class CounterfactualDifference implements SaliencyMethod {
    private final String name;
    private final UnaryOperator<INDArray> counterfactuals;

    /** @param counterfactuals maps a [B, 1, H, W] batch in [−1, 1] to its counterfactuals (same shape and range) */
    public CounterfactualDifference(String name, UnaryOperator<INDArray> counterfactuals) {
        this.name = Objects.requireNonNull(name, "name");
        this.counterfactuals = Objects.requireNonNull(counterfactuals, "counterfactuals");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FloatImage[] saliency(INDArray x) {
        int[] hw = SaliencyMethod.checkInput(x);
        INDArray cf = counterfactuals.apply(x);
        if (cf == null || !java.util.Arrays.equals(cf.shape(), x.shape())) {
            throw new IllegalStateException("the counterfactual function returned shape "
                    + (cf == null ? "null" : java.util.Arrays.toString(cf.shape())) + " for input "
                    + java.util.Arrays.toString(x.shape()));
        }
        float[] a = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] b = cf.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int pixels = hw[0] * hw[1];
        FloatImage[] out = new FloatImage[(int) x.size(0)];
        for (int s = 0; s < out.length; s++) {
            // the one difference-map formula (also used by Explanation and the evaluation)
            out[s] = Masks.differenceMap(
                    FloatImage.wrap(hw[0], hw[1], java.util.Arrays.copyOfRange(a, s * pixels, (s + 1) * pixels)),
                    FloatImage.wrap(hw[0], hw[1], java.util.Arrays.copyOfRange(b, s * pixels, (s + 1) * pixels)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "CounterfactualDifference[" + name + "]";
    }
}
