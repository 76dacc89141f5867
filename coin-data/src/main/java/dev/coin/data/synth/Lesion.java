package dev.coin.data.synth;

/**
 * A lesion painted into a phantom scan, recorded for tests and for checking what a model found.
 *
 * @param kind        tumour or cyst
 * @param side        which kidney it grows from
 * @param centreVoxel centre in voxel coordinates {i, j, k} (fractional)
 * @param radiiMm     semi-axes of the main ellipsoid in mm (a cyst is a sphere: three equal radii)
 * @param diameterMm  drawn diameter; every voxel of the lesion lies within a sphere of this diameter around the centre
 * @param lobes       number of ellipsoids in the union (1 = ellipsoidal, 2–3 = lobulated)
 * @param hu          the lesion's HU before texture, blur and noise
 * @param contrastHu  {@code hu} minus the host kidney's cortex HU
 * @param voxels      number of voxels labelled with this lesion's label by this lesion
 */
public record Lesion(Kind kind, Side side, double[] centreVoxel, double[] radiiMm, double diameterMm, int lobes,
                     float hu, float contrastHu, int voxels) {
    /** Lesion type, with its label value. */
    public enum Kind {
        TUMOUR(LabeledVolume.TUMOUR), CYST(LabeledVolume.CYST);

        private final int label;

        Kind(int label) {
            this.label = label;
        }

        /** The value this lesion has in the label volume. */
        public int label() {
            return label;
        }
    }

    /** Patient side of the host kidney. */
    public enum Side { LEFT, RIGHT }

    public Lesion {
        centreVoxel = centreVoxel.clone();
        radiiMm = radiiMm.clone();
    }

    @Override
    public double[] centreVoxel() {
        return centreVoxel.clone();
    }

    @Override
    public double[] radiiMm() {
        return radiiMm.clone();
    }

    @Override
    public String toString() {
        return String.format("%s[%s kidney, centre voxel (%.1f, %.1f, %.1f), Ø %.1f mm, radii (%.1f, %.1f, %.1f) mm,"
                        + " lobes %d, %.0f HU (contrast %+.0f), %d voxels]", kind, side, centreVoxel[0],
                centreVoxel[1], centreVoxel[2], diameterMm, radiiMm[0], radiiMm[1], radiiMm[2], lobes, hu,
                contrastHu, voxels);
    }
}
