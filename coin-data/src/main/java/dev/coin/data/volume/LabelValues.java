package dev.coin.data.volume;

/**
 * Reads label voxels as class indices. Label volumes arrive as floats (NIfTI readers scale everything to float);
 * a voxel that is not a non-negative integer means the file is not a label map (or was resampled with
 * interpolation), so it is rejected rather than truncated.
 */
public final class LabelValues {
    private LabelValues() {
    }

    /**
     * The class index stored at a flat voxel index of a label volume.
     *
     * @throws IllegalArgumentException if the value is negative, fractional or NaN, naming the volume and voxel
     */
    public static int classAt(Volume label, int flatIndex) {
        float v = label.getFlat(flatIndex);
        int c = (int) v;
        if (c != v || c < 0) {
            throw notAClass(label, flatIndex, v);
        }
        return c;
    }

    private static IllegalArgumentException notAClass(Volume label, int flat, float v) {
        int i = flat % label.nx();
        int j = (flat / label.nx()) % label.ny();
        int k = flat / (label.nx() * label.ny());
        return new IllegalArgumentException("label volume " + label.id() + " holds " + v + " at voxel (" + i + ", "
                + j + ", " + k + "); labels must be non-negative integer class indices: pass the label map (not the "
                + "image), resampled with nearest-neighbour interpolation");
    }
}
