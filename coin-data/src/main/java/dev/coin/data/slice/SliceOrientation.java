package dev.coin.data.slice;

/**
 * How an axial slice's voxels are laid out as image rows and columns.
 *
 * <p>{@link #CANONICAL} reads the layout from each volume's affine and shows every scan in one anatomical frame,
 * defined in {@link DisplayFrame}; use it whenever scans come from more than one source or converter. The other
 * three are fixed permutations of voxel indices that ignore the affine's in-plane columns — the reference's
 * behaviour, kept to reproduce its numbers bit for bit.
 *
 * <p>Let {@code p < q} be the two in-plane voxel axes ({@link dev.coin.data.volume.AxialAxis#firstInPlaneAxis()},
 * {@code secondInPlaneAxis()}; for the usual layout with the axial axis last, {@code p = 0 (i)} and
 * {@code q = 1 (j)}). The <em>voxel-index image</em> of slice {@code k} has row {@code r} = index along {@code p}
 * and column {@code c} = index along {@code q}: {@code img[r][c] = voxel(p = r, q = c, axial = k)}, which is
 * what {@code array[:, :, k]} is in the reference. The {@link Slicer} extracts that image, resizes it, then applies
 * the orientation, so the order of resize and reorientation is the reference's (for the fixed orientations).
 *
 * <ul>
 *   <li>{@link #CANONICAL}: the radiological frame of {@link DisplayFrame} (row 0 anterior, column 0 the patient's
 *       right), from the signs and order of the affine's in-plane columns; the native slice is reoriented
 *       <em>before</em> resizing, so the same anatomy stored RAS, LPS, LAS or axial-axis-first gives identical
 *       images and masks.</li>
 *   <li>{@link #VOXEL}: the voxel-index image as is (row = p, column = q). The reference's synthetic
 *       (TotalSegmentator) data.</li>
 *   <li>{@link #ANTI_TRANSPOSED}: the reference's TUH display orientation, a reflection about the anti-diagonal
 *       applied after resizing: {@code out[a][b] = in[R−1−b][C−1−a]} for an {@code R × C} resized voxel-index
 *       image, i.e. row = q reversed, column = p reversed. For an {@code H × W} output the voxel-index image is
 *       resized to {@code W × H} first.</li>
 *   <li>{@link #TRANSPOSED}: row = q, column = p ({@code out[a][b] = in[b][a]}). For volumes stored the way
 *       DICOM converters write NIfTI (i towards the patient's left, j towards the back), this is the radiological
 *       view: anterior at the top, the patient's right on the image's left. The embedded phantom uses it.</li>
 * </ul>
 */
public enum SliceOrientation {
    /** The anatomical frame of {@link DisplayFrame}, from the affine; reoriented before resizing. */
    CANONICAL,
    /** Row = first in-plane voxel axis, column = second (no reorientation). */
    VOXEL,
    /** Row = second in-plane voxel axis reversed, column = first reversed (TUH display orientation). */
    ANTI_TRANSPOSED,
    /** Row = second in-plane voxel axis, column = first (radiological view of DICOM-converted volumes). */
    TRANSPOSED;

    /** Rows of the voxel-index image to resize to, for an {@code outHeight × outWidth} result. */
    int resizedRows(int outHeight, int outWidth) {
        return this == VOXEL || this == CANONICAL ? outHeight : outWidth;
    }

    /** Columns of the voxel-index image to resize to, for an {@code outHeight × outWidth} result. */
    int resizedCols(int outHeight, int outWidth) {
        return this == VOXEL || this == CANONICAL ? outWidth : outHeight;
    }

    /**
     * Reorients a row-major {@code rows × cols} voxel-index image.
     *
     * @return {@code in} itself for {@link #VOXEL}, else a new {@code cols × rows} array
     */
    float[] apply(float[] in, int rows, int cols) {
        if (this == CANONICAL) {
            throw new IllegalStateException("CANONICAL depends on the volume's affine; the Slicer reorients with "
                    + "DisplayFrame before resizing");
        }
        if (this == VOXEL) {
            return in;
        }
        float[] out = new float[in.length];
        if (this == TRANSPOSED) {
            for (int a = 0; a < cols; a++) {
                for (int b = 0; b < rows; b++) {
                    out[a * rows + b] = in[b * cols + a];
                }
            }
            return out;
        }
        // out has cols rows and rows columns: out[a][b] = in[rows-1-b][cols-1-a]
        for (int a = 0; a < cols; a++) {
            int o = a * rows;
            int srcCol = cols - 1 - a;
            for (int b = 0; b < rows; b++) {
                out[o + b] = in[(rows - 1 - b) * cols + srcCol];
            }
        }
        return out;
    }
}
