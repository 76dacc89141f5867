package dev.coin.data.nifti;

/**
 * Converts an image's scaled values to another datatype for writing: integer targets get raw values
 * {@code rint((value − inter) / slope)} with either a given slope/intercept or one fitted to the value range
 * (slope 1, intercept 0 when all values are integers that fit, so integer data stay exact); float targets store
 * the values themselves.
 */
final class VoxelConverter {
    private VoxelConverter() {
    }

    /**
     * @param slope         explicit slope, or NaN to choose one
     * @param inter         explicit intercept (used when slope is given)
     * @param float32Fields true for NIfTI-1, whose scl fields are 32-bit: quantise with the value the file will hold
     * @throws IllegalArgumentException for NaN/infinite values in an integer target, values outside the target
     *                                  range, or an invalid slope
     */
    static NiftiImage convert(NiftiImage src, NiftiDataType target, double slope, double inter,
            boolean float32Fields) {
        boolean explicit = !Double.isNaN(slope);
        if (explicit && (slope == 0 || Double.isInfinite(slope) || !Double.isFinite(inter))) {
            throw new IllegalArgumentException("scaling slope must be finite and non-zero and intercept finite, got "
                    + slope + "/" + inter);
        }
        int n = (int) src.voxelCount();
        VoxelData in = src.data();
        double srcSlope = src.header().effectiveSlope();
        double srcInter = src.header().effectiveInter();
        VoxelData out = VoxelData.allocate(target, n);
        if (!target.isInteger()) {
            if (!explicit) {
                slope = 1;
                inter = 0;
            }
            for (int i = 0; i < n; i++) {
                double raw = (in.raw(i) * srcSlope + srcInter - inter) / slope;
                if (target == NiftiDataType.FLOAT32 && Math.abs(raw) > Float.MAX_VALUE && Double.isFinite(raw)) {
                    throw new IllegalArgumentException("voxel " + i + " has value " + (in.raw(i) * srcSlope + srcInter)
                            + ", beyond the float32 range; write FLOAT64");
                }
                out.set(i, raw);
            }
        } else {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            boolean integers = true;
            for (int i = 0; i < n; i++) {
                double v = in.raw(i) * srcSlope + srcInter;
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("voxel " + i + " is " + v + ", which " + target
                            + " cannot store; write FLOAT32 (or replace non-finite values first)");
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
                integers &= v == Math.rint(v);
            }
            double tmin = target.minValue();
            double tmax = target.maxValue();
            if (!explicit) {
                if (integers && min >= tmin && max <= tmax) {
                    slope = 1;
                    inter = 0;
                } else if (max == min) {
                    slope = 1;
                    inter = min - Math.max(tmin, 0);
                } else {
                    slope = (max - min) / (tmax - tmin);
                    inter = min - slope * tmin;
                }
            }
            if (float32Fields) {
                float s = (float) slope;
                // Round the slope up, never down, so the fitted range cannot grow past the type's range.
                slope = !explicit && s < slope ? Math.nextUp(s) : s;
                inter = (float) inter;
            }
            for (int i = 0; i < n; i++) {
                double v = in.raw(i) * srcSlope + srcInter;
                double raw = Math.rint((v - inter) / slope);
                if (raw < tmin || raw > tmax) {
                    // A fitted scaling maps [min, max] onto the range up to float rounding of its fields: clamp that.
                    if (!explicit && raw >= tmin - 1 && raw <= tmax + 1) {
                        raw = Math.max(tmin, Math.min(tmax, raw));
                    } else {
                        throw new IllegalArgumentException("voxel " + i + " has value " + v + ", which maps to raw "
                                + raw + " with slope " + slope + " / intercept " + inter + ", outside the " + target
                                + " range [" + (long) tmin + ", " + (long) tmax + "]; choose another scaling or "
                                + "let the writer fit one");
                    }
                }
                out.set(i, raw);
            }
        }
        NiftiHeader.Builder h = src.header().toBuilder().dataType(target).scaling(slope, inter);
        return new NiftiImage(h.build(), out);
    }
}
