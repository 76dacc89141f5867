package dev.coin.data.synth;

import dev.coin.data.image.FloatImage;
import java.util.Objects;
import java.util.Optional;

/**
 * The output of one synthetic-anomaly draw: the (possibly) edited slice, the anomaly mask (all zero when nothing
 * was inserted), the slice label and what happened.
 *
 * @param image       slice in [−1, 1]; bit-identical to the input when nothing was inserted
 * @param anomalyMask 0/1 mask of the inserted blob (same size as the image)
 * @param label       1 iff an anomaly was inserted
 * @param outcome     why the draw ended as it did
 * @param placement   where and how the blob was inserted, when it was
 */
public record AnomalyResult(FloatImage image, FloatImage anomalyMask, int label, Outcome outcome,
                            Optional<Placement> placement) {
    /** How a draw ended. Everything but {@link #INSERTED} leaves the image untouched with label 0. */
    public enum Outcome {
        INSERTED,
        /** The insertion coin (probability p) came up tails. */
        SKIPPED,
        /** The kidney mask is empty (no external contour). */
        NO_CONTOUR,
        /** The chosen contour's bounding box has area w·h &le; the minimum (400 in the reference). */
        REGION_TOO_SMALL,
        /** No centre strictly inside the contour within the attempt budget (or an empty sampling range). */
        NO_CENTRE,
        /** The blob would cross the image border at the chosen centre. */
        OUT_OF_BOUNDS
    }

    /**
     * Where and how the template was inserted.
     *
     * @param centreRow  cy
     * @param centreCol  cx
     * @param size       side of the transformed template (15–19 px with the reference scale range)
     * @param scale      the RandomScale factor
     * @param stretchX   grid-distortion x factor (1 when not applied)
     * @param stretchY   grid-distortion y factor (1 when not applied)
     * @param angleDeg   rotation angle (0 when not applied)
     * @param contour    the kidney contour the centre was drawn in
     */
    public record Placement(int centreRow, int centreCol, int size, double scale, double stretchX, double stretchY,
                            double angleDeg, Contour contour) {
    }

    public AnomalyResult {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(anomalyMask, "anomalyMask");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(placement, "placement");
    }

    public boolean inserted() {
        return outcome == Outcome.INSERTED;
    }
}
