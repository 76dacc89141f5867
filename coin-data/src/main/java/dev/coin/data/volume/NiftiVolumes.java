package dev.coin.data.volume;

import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.nifti.NiftiFormatException;
import dev.coin.data.nifti.NiftiHeader;
import dev.coin.data.nifti.NiftiImage;
import dev.coin.data.nifti.NiftiReader;
import dev.coin.data.nifti.NiftiWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads and writes {@link Volume}s as NIfTI files: the bridge between {@code dev.coin.data.nifti} and the rest of
 * the data pipeline.
 *
 * <pre>{@code
 * Volume ct = NiftiVolumes.read(Path.of("case_00000/imaging.nii.gz"));      // id "imaging", HU values
 * NiftiVolumes.write(mask, Path.of("out/mask.nii.gz"), NiftiDataType.UINT8); // labels 0..255
 * }</pre>
 */
public final class NiftiVolumes {
    private NiftiVolumes() {
    }

    /**
     * Reads a 3-D NIfTI file as a volume of scaled float values. Trailing dimensions of size 1 (a 4-D file with
     * t = 1) are accepted; the id is the file name without .nii/.nii.gz (or .hdr/.img).
     *
     * @throws NiftiFormatException when the file is invalid or not 3-D
     */
    public static Volume read(Path path) throws IOException {
        return of(NiftiReader.read(path), path);
    }

    /**
     * The volume of an image already read (e.g. when its header is needed too, for {@link #writeLike}); checked
     * as {@link #read} checks, {@code path} names the file in messages and gives the id.
     *
     * @throws NiftiFormatException when the image is not 3-D or has no voxel size
     */
    public static Volume of(NiftiImage image, Path path) throws NiftiFormatException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(path, "path");
        int[] shape = image.shape();
        if (shape.length < 3) {
            throw new NiftiFormatException(path, "dim[0] is " + shape.length + " (shape " + Arrays.toString(shape)
                    + "), a volume needs 3 dimensions");
        }
        for (int d = 3; d < shape.length; d++) {
            if (shape[d] != 1) {
                throw new NiftiFormatException(path, "dim[" + (d + 1) + "] is " + shape[d] + " (shape "
                        + Arrays.toString(shape) + "): a " + shape.length + "-D series is not a volume; "
                        + "read it with NiftiReader and pick one 3-D frame");
            }
        }
        double[][] affine = image.affine();
        double[] spacing = Arrays.copyOf(image.spacing(), 3);
        for (int d = 0; d < 3; d++) {
            if (!(spacing[d] > 0) || Double.isInfinite(spacing[d])) {
                // pixdim missing: fall back to the length of the affine's column, the size of a voxel step in mm
                double norm = Math.sqrt(affine[0][d] * affine[0][d] + affine[1][d] * affine[1][d]
                        + affine[2][d] * affine[2][d]);
                if (!(norm > 0) || Double.isInfinite(norm)) {
                    throw new NiftiFormatException(path, "pixdim[" + (d + 1) + "] is " + spacing[d]
                            + " and the affine gives no voxel size either; a volume needs a positive spacing");
                }
                spacing[d] = norm;
            }
        }
        return Volume.of(baseName(path), new int[] {shape[0], shape[1], shape[2]},
                image.toFloatArray(), spacing, affine);
    }

    /**
     * Writes a volume with its spacing and affine (as sform and, without shear, qform, code 1).
     *
     * @param type FLOAT32 stores the values as they are; INT16 (CT) fits a slope/intercept (slope 1 when every value
     *             is an integer in range, so HU round-trip exactly; otherwise within slope/2); UINT8 (labels) requires
     *             every value to be an integer 0..255; other types convert as {@link NiftiWriter} does
     * @throws IllegalArgumentException naming the first voxel that the type cannot hold
     */
    public static void write(Volume volume, Path path, NiftiDataType type) throws IOException {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(type, "type");
        float[] voxels = volume.copyVoxels();
        if (type == NiftiDataType.UINT8) {
            checkUint8(volume, voxels);
        }
        // pixdim comes from the affine's column lengths, which keeps the qform consistent with the sform.
        NiftiImage image = NiftiImage.builder().shape(volume.shape()).float32(voxels).affine(volume.affine())
                .build();
        NiftiWriter.builder().dataType(type).build().write(image, path);
    }

    /**
     * Writes a volume in the geometry of another file's header ({@code like}, e.g. the CT a mask was computed
     * from): its qform and sform (codes, quaternion, offsets, rows), pixdim, units and byte order are kept as they
     * are, so viewers overlay the result on the source voxel for voxel. Datatype, scaling (none), shape (the
     * volume's three dimensions), display range (none), intent (none) and description are this volume's.
     *
     * @param type UINT8 for labels (every value an integer 0..255, checked as {@link #write} does), FLOAT32 for
     *             maps; others convert as {@link NiftiWriter} does
     * @throws IllegalArgumentException naming {@code volume} when its shape is not the first three dimensions of
     *                                  {@code like} (or a higher one is not 1), or a value does not fit {@code type}
     */
    public static void writeLike(Volume volume, NiftiHeader like, Path path, NiftiDataType type) throws IOException {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(like, "like");
        Objects.requireNonNull(type, "type");
        int[] src = like.shape();
        boolean fits = src.length >= 3 && src[0] == volume.nx() && src[1] == volume.ny() && src[2] == volume.nz();
        for (int d = 3; d < src.length && fits; d++) {
            fits = src[d] == 1;
        }
        if (!fits) {
            throw new IllegalArgumentException("volume " + volume.id() + " has shape "
                    + Arrays.toString(volume.shape()) + " but the header to copy the geometry from (like) has shape "
                    + Arrays.toString(src) + "; pass the header of the file the volume was computed from");
        }
        float[] voxels = volume.copyVoxels();
        if (type == NiftiDataType.UINT8) {
            checkUint8(volume, voxels);
        }
        NiftiHeader template = like.toBuilder().calibration(0, 0).intent(0, 0, 0, 0, "")
                .description("").auxFile("").build();
        NiftiImage image = NiftiImage.builder().header(template).shape(volume.shape()).float32(voxels)
                .description(truncate("COIN " + volume.id(), 80)).build();
        NiftiWriter.builder().dataType(type).version(like.version()).byteOrder(like.byteOrder()).build()
                .write(image, path);
    }

    private static String truncate(String s, int max) {
        StringBuilder b = new StringBuilder();
        s.chars().filter(ch -> ch > 0 && ch < 256).limit(max).forEach(ch -> b.append((char) ch));
        return b.toString();
    }

    private static void checkUint8(Volume volume, float[] voxels) {
        for (int i = 0; i < voxels.length; i++) {
            float v = voxels[i];
            if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                int x = i % volume.nx();
                int y = (i / volume.nx()) % volume.ny();
                int z = i / (volume.nx() * volume.ny());
                throw new IllegalArgumentException("volume " + volume.id() + " has value " + v + " at voxel ("
                        + x + ", " + y + ", " + z + "); UINT8 labels must be integers 0..255 (write FLOAT32 or "
                        + "INT16 for other values)");
            }
        }
    }

    /** The file name without .nii, .nii.gz, .hdr, .img (or those with .gz). */
    static String baseName(Path p) {
        String name = p.getFileName().toString();
        String n = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".nii.gz", ".nii", ".hdr.gz", ".img.gz", ".hdr", ".img"}) {
            if (n.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }
}
