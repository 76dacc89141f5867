package dev.coin.data.synth;

import dev.coin.data.volume.Volume;
import java.util.List;
import java.util.Objects;

/**
 * One generated phantom scan: the HU and label volumes, the lesions painted into it and the per-scan acquisition
 * parameters that were drawn.
 *
 * @param id            scan id, e.g. {@code phantom_s42_0007}
 * @param volumes       image (HU, rounded to integers in [−1024, 3071]) and labels (0/1/2/3)
 * @param lesions       tumours and cysts, in painting order
 * @param noiseSigmaHu  the scanner noise standard deviation drawn for this scan
 * @param rotationDeg   in-plane rotation of the anatomy
 * @param phase         the contrast phase drawn for this scan, or {@code null} for a
 *                      {@link PhantomConfig#singlePhase() single-phase} config
 */
public record PhantomScan(String id, LabeledVolume volumes, List<Lesion> lesions, double noiseSigmaHu,
                          double rotationDeg, ScanPhase phase) {
    public PhantomScan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(volumes, "volumes");
        lesions = List.copyOf(lesions);
    }

    public Volume image() {
        return volumes.image();
    }

    public Volume label() {
        return volumes.label();
    }

    /** True when at least one tumour was painted. */
    public boolean hasTumour() {
        return lesions.stream().anyMatch(l -> l.kind() == Lesion.Kind.TUMOUR);
    }

    @Override
    public String toString() {
        return "PhantomScan[" + id + ", " + volumes.image() + ", " + lesions.size() + " lesions, noise σ "
                + String.format("%.1f", noiseSigmaHu) + " HU" + (phase == null ? "" : ", " + phase) + "]";
    }
}
