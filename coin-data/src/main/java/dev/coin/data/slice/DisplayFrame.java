package dev.coin.data.slice;

import dev.coin.data.volume.AxialAxis;
import dev.coin.data.volume.Volume;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one anatomical display frame of {@link SliceOrientation#CANONICAL} slices, and how a volume's voxel axes
 * are turned into it — the single place this frame is defined; other classes refer here.
 *
 * <p><b>The frame (radiological convention)</b>: looking at an axial slice from the patient's feet, image row 0 is
 * the most <em>anterior</em> row and rows run towards posterior; image column 0 is the patient's <em>right</em>
 * and columns run towards the patient's left. This is how radiologists and most viewers show axial CT, and what
 * MONAI {@code Orientation} / TorchIO {@code ToCanonical} followed by the usual display transpose give.
 *
 * <p><b>How it is decided</b>: the NIfTI affine maps voxels to RAS+ world (x towards the patient's left is −x,
 * y towards anterior is +y). Of the two in-plane voxel axes, the one whose affine column is closer to world x
 * becomes the column axis, the other (closer to world y) the row axis, choosing the assignment with the larger
 * summed |cos|. The column axis is reversed when its column points towards +x (the patient's right), the row axis
 * when its column points towards +y (anterior). So RAS, LPS, LAS, axial-axis-first and any other axis-aligned
 * storage of the same anatomy give the same picture, and the reorientation is an exact permutation of native
 * pixels, done before resizing.
 *
 * <p><b>Oblique affines</b> get the nearest axis-aligned frame (no resampling). The obliquity is the largest angle
 * between a voxel axis and the world axis it was assigned to (the axial axis to z); above
 * {@link #OBLIQUITY_WARNING_DEGREES} (5°, where the picture visibly tilts) a warning is logged. At 45° or more
 * the nearest frame is a guess and {@link #of} refuses.
 *
 * <pre>{@code
 * DisplayFrame f = DisplayFrame.of(ct, AxialAxis.detect(ct));
 * // a RAS volume: DisplayFrame[rows = voxel axis 1 reversed, columns = voxel axis 0 reversed, obliquity 0.0°]
 * }</pre>
 */
public final class DisplayFrame {
    private static final Logger LOG = LoggerFactory.getLogger(DisplayFrame.class);
    /** Obliquity (degrees) above which {@link #of} logs a warning: the picture is then visibly tilted. */
    public static final double OBLIQUITY_WARNING_DEGREES = 5;
    /** Obliquity (degrees) from which {@link #of} refuses: two world axes are about equally near. */
    static final double OBLIQUITY_LIMIT_DEGREES = 45 - 1e-6;

    private final int rowAxis;
    private final boolean rowsReversed;
    private final int columnAxis;
    private final boolean columnsReversed;
    private final double obliquityDegrees;

    private DisplayFrame(int rowAxis, boolean rowsReversed, int columnAxis, boolean columnsReversed,
                         double obliquityDegrees) {
        this.rowAxis = rowAxis;
        this.rowsReversed = rowsReversed;
        this.columnAxis = columnAxis;
        this.columnsReversed = columnsReversed;
        this.obliquityDegrees = obliquityDegrees;
    }

    /**
     * The display frame of {@code image}'s axial slices along {@code axis}, from the affine's in-plane columns.
     *
     * @throws IllegalArgumentException naming the volume and the affine if an in-plane column is zero, not finite,
     *                                  or 45° or more away from every in-plane world axis (e.g. an axial axis fixed
     *                                  by hand over an affine that does not describe the voxels, as in KiTS19):
     *                                  use a fixed {@link SliceOrientation} for such files
     */
    public static DisplayFrame of(Volume image, AxialAxis axis) {
        double[][] a = image.affine();
        int p = axis.firstInPlaneAxis();
        int q = axis.secondInPlaneAxis();
        double[] up = unit(a, p, image);
        double[] uq = unit(a, q, image);
        double[] ua = unit(a, axis.axis(), image);
        // p -> columns (world x), q -> rows (world y), or the other way round
        double straight = Math.abs(up[0]) + Math.abs(uq[1]);
        double swapped = Math.abs(up[1]) + Math.abs(uq[0]);
        int col = straight >= swapped ? p : q;
        int row = straight >= swapped ? q : p;
        double[] uc = col == p ? up : uq;
        double[] ur = row == p ? up : uq;
        double obliquity = Math.max(angle(uc[0]), Math.max(angle(ur[1]), angle(ua[2])));
        if (obliquity >= OBLIQUITY_LIMIT_DEGREES) {
            throw new IllegalArgumentException("volume " + image.id() + ": the affine " + Arrays.deepToString(a)
                    + " puts an in-plane voxel axis " + String.format(Locale.ROOT, "%.1f", obliquity)
                    + "° from the nearest world axis, so no axis-aligned display frame is near it; if the axial axis "
                    + "is fixed by hand the affine probably does not describe the voxels: slice with a fixed "
                    + "orientation (SliceConfig.builder().orientation(SliceOrientation.VOXEL)) instead of CANONICAL");
        }
        if (obliquity > OBLIQUITY_WARNING_DEGREES) {
            LOG.warn("volume {}: the affine is {}° oblique; canonical slices use the nearest axis-aligned frame "
                    + "(no resampling), so the anatomy is tilted by up to that much", image.id(),
                    String.format(Locale.ROOT, "%.1f", obliquity));
        }
        return new DisplayFrame(row, ur[1] > 0, col, uc[0] > 0, obliquity);
    }

    private static double[] unit(double[][] a, int d, Volume image) {
        double x = a[0][d];
        double y = a[1][d];
        double z = a[2][d];
        double norm = Math.sqrt(x * x + y * y + z * z);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("volume " + image.id() + ": affine column " + d + " is "
                    + Arrays.toString(new double[] {x, y, z}) + ", so voxel axis " + d + " has no world direction; "
                    + "fix the affine or slice with a fixed orientation (SliceOrientation.VOXEL)");
        }
        return new double[] {x / norm, y / norm, z / norm};
    }

    private static double angle(double cos) {
        return Math.toDegrees(Math.acos(Math.min(1, Math.abs(cos))));
    }

    /** The voxel axis whose index becomes the image row (anterior to posterior). */
    public int rowAxis() {
        return rowAxis;
    }

    /** True when row 0 is the last voxel along {@link #rowAxis()} (that axis points anterior). */
    public boolean rowsReversed() {
        return rowsReversed;
    }

    /** The voxel axis whose index becomes the image column (patient's right to left). */
    public int columnAxis() {
        return columnAxis;
    }

    /** True when column 0 is the last voxel along {@link #columnAxis()} (that axis points to the patient's right). */
    public boolean columnsReversed() {
        return columnsReversed;
    }

    /** Largest angle in degrees between a voxel axis and the world axis it was assigned to; 0 if axis-aligned. */
    public double obliquityDegrees() {
        return obliquityDegrees;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DisplayFrame f && f.rowAxis == rowAxis && f.rowsReversed == rowsReversed
                && f.columnAxis == columnAxis && f.columnsReversed == columnsReversed
                && Double.compare(f.obliquityDegrees, obliquityDegrees) == 0;
    }

    @Override
    public int hashCode() {
        return ((rowAxis * 2 + (rowsReversed ? 1 : 0)) * 3 + columnAxis) * 2 + (columnsReversed ? 1 : 0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DisplayFrame[rows = voxel axis %d%s, columns = voxel axis %d%s, "
                + "obliquity %.1f°]", rowAxis, rowsReversed ? " reversed" : "", columnAxis,
                columnsReversed ? " reversed" : "", obliquityDegrees);
    }
}
