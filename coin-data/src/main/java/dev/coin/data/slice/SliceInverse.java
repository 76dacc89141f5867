package dev.coin.data.slice;

import dev.coin.data.image.FloatImage;
import dev.coin.data.volume.AxialAxis;
import dev.coin.data.volume.Volume;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The way back from a {@link Slicer}'s output to the scan it came from: an {@code outputHeight × outputWidth}
 * image of one axial slice (a mask, a difference map) is mapped to the native in-plane voxels of that slice,
 * undoing the resize and the display orientation in the reverse of the order the slicer applied them.
 *
 * <ul>
 *   <li>{@link SliceOrientation#CANONICAL}: the slicer reoriented the native slice into the {@link DisplayFrame}
 *       and then resized; here the image is resized back to the frame's native rows × columns, then every pixel
 *       goes to the voxel the frame took it from (row axis, column axis, their reversals).</li>
 *   <li>The fixed orientations ({@link SliceOrientation#VOXEL}, {@code TRANSPOSED}, {@code ANTI_TRANSPOSED}): the
 *       slicer resized the voxel-index image, then reoriented; here the reorientation is undone first (its
 *       inverse permutation), then the voxel-index image is resized back to {@code size(p) × size(q)}.</li>
 * </ul>
 *
 * <p>The reorientations are exact permutations; the resize is not invertible, so the way back resamples:
 * {@link Interpolation#NEAREST} for masks and labels (values stay in the set the image holds), {@link
 * Interpolation#BILINEAR} for continuous maps, both with the conventions of {@link Resize}. When the output size
 * equals the native size the round trip slice → native → slice is the identity for masks.
 *
 * <pre>{@code
 * Slicer slicer = new Slicer(config);
 * SliceInverse back = slicer.inverse(ct);                 // axis and display frame of this scan
 * float[] voxels = new float[(int) ct.voxelCount()];
 * back.paste(maskImage, slice.sliceIndex(), voxels, SliceInverse.Interpolation.NEAREST);
 * Volume mask = ct.withVoxels(ct.id() + "_mask", voxels);
 * }</pre>
 */
public final class SliceInverse {
    /** How an output-size image is resampled to the native slice. */
    public enum Interpolation {
        /** {@link Resize#nearest}: for masks and labels. */
        NEAREST,
        /** {@link Resize#bilinear}: for continuous maps (difference maps, probabilities). */
        BILINEAR
    }

    private final SliceConfig config;
    private final String volumeId;
    private final int[] shape;
    private final AxialAxis axis;
    private final DisplayFrame frame; // null for the fixed orientations
    /** Voxel axis of the native image's rows / columns, and whether they run against the voxel index. */
    private final int rowAxis;
    private final boolean rowsReversed;
    private final int columnAxis;
    private final boolean columnsReversed;

    private SliceInverse(SliceConfig config, Volume image, AxialAxis axis, DisplayFrame frame) {
        this.config = config;
        this.volumeId = image.id();
        this.shape = image.shape();
        this.axis = axis;
        this.frame = frame;
        if (frame != null) {
            rowAxis = frame.rowAxis();
            rowsReversed = frame.rowsReversed();
            columnAxis = frame.columnAxis();
            columnsReversed = frame.columnsReversed();
        } else {
            rowAxis = axis.firstInPlaneAxis();
            rowsReversed = false;
            columnAxis = axis.secondInPlaneAxis();
            columnsReversed = false;
        }
    }

    /**
     * The inverse of {@code new Slicer(config)} on {@code image}: the same axial axis (override or affine) and, for
     * {@link SliceOrientation#CANONICAL}, the same display frame.
     *
     * @throws IllegalArgumentException as {@link Slicer#axialAxisOf} and {@link DisplayFrame#of} do
     */
    public static SliceInverse of(SliceConfig config, Volume image) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(image, "image");
        Slicer slicer = new Slicer(config);
        AxialAxis axis = slicer.axialAxisOf(image);
        DisplayFrame frame = config.orientation() == SliceOrientation.CANONICAL ? DisplayFrame.of(image, axis) : null;
        return new SliceInverse(config, image, axis, frame);
    }

    /** The axial axis whose index is the slice index. */
    public AxialAxis axis() {
        return axis;
    }

    /** The display frame, for {@link SliceOrientation#CANONICAL}; empty for the fixed orientations. */
    public Optional<DisplayFrame> frame() {
        return Optional.ofNullable(frame);
    }

    /** Number of axial slices (valid slice indices are 0 .. sliceCount − 1). */
    public int sliceCount() {
        return shape[axis.axis()];
    }

    /** The volume shape this inverse writes into, {nx, ny, nz}. */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The native slice of {@code image} as a voxel-index image: {@code size(p)} rows × {@code size(q)} columns,
     * {@code out[u * size(q) + v]} = the value for voxel {@code (p = u, q = v)} ({@link SliceOrientation}).
     *
     * @param image an {@code outputHeight × outputWidth} image as the slicer produces
     * @throws IllegalArgumentException naming the size when {@code image} is not the configured output size
     */
    public float[] toVoxelIndexImage(FloatImage image, Interpolation interpolation) {
        Objects.requireNonNull(interpolation, "interpolation");
        float[] nativeImage = toNativeFrame(image, interpolation);
        int rows = shape[rowAxis];
        int cols = shape[columnAxis];
        int p = axis.firstInPlaneAxis();
        int q = axis.secondInPlaneAxis();
        int qSize = shape[q];
        float[] out = new float[shape[p] * qSize];
        for (int r = 0; r < rows; r++) {
            int ri = rowsReversed ? rows - 1 - r : r;
            for (int c = 0; c < cols; c++) {
                int ci = columnsReversed ? cols - 1 - c : c;
                // rowAxis/columnAxis are p/q in some order
                int u = rowAxis == p ? ri : ci;
                int v = rowAxis == p ? ci : ri;
                out[u * qSize + v] = nativeImage[r * cols + c];
            }
        }
        return out;
    }

    /**
     * Writes the native-resolution values of {@code image} into axial slice {@code sliceIndex} of a flat voxel
     * array (first axis fastest, the volume's shape); other slices are untouched.
     *
     * @param image      an {@code outputHeight × outputWidth} image, e.g. a slice mask
     * @param sliceIndex storage index along the axial axis ({@link Slice#sliceIndex()})
     * @param voxels     nx·ny·nz values of the target volume
     * @throws IllegalArgumentException naming the argument when a size or the index does not fit
     */
    public void paste(FloatImage image, int sliceIndex, float[] voxels, Interpolation interpolation) {
        Objects.requireNonNull(voxels, "voxels");
        long n = (long) shape[0] * shape[1] * shape[2];
        if (voxels.length != n) {
            throw new IllegalArgumentException("voxels must hold nx*ny*nz = " + n + " values for volume " + volumeId
                    + " of shape " + Arrays.toString(shape) + ", got " + voxels.length
                    + "; allocate new float[(int) volume.voxelCount()]");
        }
        if (sliceIndex < 0 || sliceIndex >= sliceCount()) {
            throw new IllegalArgumentException("sliceIndex must be in 0.." + (sliceCount() - 1) + " (axial axis "
                    + axis.axis() + " of volume " + volumeId + "), got " + sliceIndex
                    + "; pass the Slice.sliceIndex() of a slice cut from this volume");
        }
        float[] vi = toVoxelIndexImage(image, interpolation);
        int[] stride = {1, shape[0], shape[0] * shape[1]};
        int p = axis.firstInPlaneAxis();
        int q = axis.secondInPlaneAxis();
        int base = sliceIndex * stride[axis.axis()];
        int qSize = shape[q];
        for (int u = 0; u < shape[p]; u++) {
            int o = base + u * stride[p];
            for (int v = 0; v < qSize; v++) {
                voxels[o + v * stride[q]] = vi[u * qSize + v];
            }
        }
    }

    /** Undoes the display orientation (fixed ones) and the resize: rows × cols of the native frame. */
    private float[] toNativeFrame(FloatImage image, Interpolation interpolation) {
        Objects.requireNonNull(image, "image");
        int outH = config.outputHeight();
        int outW = config.outputWidth();
        if (image.height() != outH || image.width() != outW) {
            throw new IllegalArgumentException("image is " + image.height() + "x" + image.width() + " but the slice "
                    + "config cuts " + outH + "x" + outW + " slices; resize it back to " + outH + "x" + outW
                    + " (Resize.nearest for masks) or use the config the slices were cut with");
        }
        float[] px = image.toArray();
        int rRows = outH;
        int rCols = outW;
        SliceOrientation o = config.orientation();
        if (o == SliceOrientation.TRANSPOSED) {
            // forward: out[a][b] = in[b][a], out is rCols x rRows of the in image
            rRows = outW;
            rCols = outH;
            float[] in = new float[px.length];
            for (int x = 0; x < rRows; x++) {
                for (int y = 0; y < rCols; y++) {
                    in[x * rCols + y] = px[y * outW + x];
                }
            }
            px = in;
        } else if (o == SliceOrientation.ANTI_TRANSPOSED) {
            // forward: out[a][b] = in[R-1-b][C-1-a] for an R x C image in, out is C x R
            rRows = outW;
            rCols = outH;
            float[] in = new float[px.length];
            for (int x = 0; x < rRows; x++) {
                for (int y = 0; y < rCols; y++) {
                    in[x * rCols + y] = px[(rCols - 1 - y) * outW + (rRows - 1 - x)];
                }
            }
            px = in;
        }
        int rows = shape[rowAxis];
        int cols = shape[columnAxis];
        if (rows == rRows && cols == rCols) {
            return px;
        }
        return interpolation == Interpolation.NEAREST ? Resize.nearest(px, rRows, rCols, rows, cols)
                : Resize.bilinear(px, rRows, rCols, rows, cols);
    }

    @Override
    public String toString() {
        return "SliceInverse[" + volumeId + " " + Arrays.toString(shape) + ", " + axis + ", "
                + (frame == null ? config.orientation() : frame) + ", from " + config.outputHeight() + "x"
                + config.outputWidth() + "]";
    }
}
