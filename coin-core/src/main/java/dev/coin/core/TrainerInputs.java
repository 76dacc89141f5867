package dev.coin.core;

import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.Player;
import java.util.Set;

/**
 * The built-in loss inputs the two-player trainer can build, per player; {@link Pipeline.Builder#build()} checks a
 * pipeline's terms against them so that an unsupported input fails when the pipeline is built, not deep in training.
 * A term may also declare inputs of its own ({@link LossInput#derived} from these in the graph, or
 * {@link LossInput#fed} from the step's host arrays, {@link #stepArrays()}): the trainer builds those for it.
 */
final class TrainerInputs {
    private TrainerInputs() {
    }

    /**
     * Host-side arrays a {@linkplain LossInput#fed fed input}'s feed may read each step: the batch images, the
     * segmentation masks, p(x) and the desired probability.
     */
    public static Set<LossInput> stepArrays() {
        return Set.of(LossInput.X, LossInput.MASKS, LossInput.CLASSIFIER_PROB_X, LossInput.TARGET_PROB);
    }

    /** Built-in inputs the generator graph provides. */
    public static Set<LossInput> generator() {
        return Set.of(LossInput.X, LossInput.X_CF, LossInput.X_CYCLIC, LossInput.X_REC, LossInput.D_REAL_LOGITS,
                LossInput.D_FAKE_LOGITS, LossInput.CLASSIFIER_PROB_CF, LossInput.CLASSIFIER_PROB_X,
                LossInput.TARGET_PROB, LossInput.MASKS);
    }

    /** Built-in inputs the discriminator graph provides. */
    public static Set<LossInput> discriminator() {
        return Set.of(LossInput.X, LossInput.X_CF, LossInput.D_REAL_LOGITS, LossInput.D_FAKE_LOGITS,
                LossInput.D_REAL_SLOPE, LossInput.D_FAKE_SLOPE, LossInput.CLASSIFIER_PROB_X, LossInput.TARGET_PROB,
                LossInput.MASKS);
    }

    /** The built-in inputs {@code player}'s graph provides. */
    public static Set<LossInput> of(Player player) {
        return player == Player.GENERATOR ? generator() : discriminator();
    }

    static void check(String pipeline, LossSet set) {
        for (Player p : Player.values()) {
            for (LossInput in : set.builtInInputs(p)) {
                if (!of(p).contains(in)) {
                    throw new IllegalStateException("Pipeline '" + pipeline + "': a " + p.name().toLowerCase(
                            java.util.Locale.ROOT) + " loss term needs input " + in + ", which the trainer cannot "
                            + "build yet (it provides " + of(p) + "); remove that term or set its weight to 0");
                }
            }
        }
    }
}
