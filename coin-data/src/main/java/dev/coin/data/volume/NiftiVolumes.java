package dev.coin.data.volume;

import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.nifti.NiftiFormatException;
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
        NiftiImage image = NiftiReader.read(path);
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
        // pixdim comes from the affine's column lengths, which keeps the qform consistent with the sform.
        NiftiImage image = NiftiImage.builder().shape(volume.shape()).float32(voxels).affine(volume.affine())
                .build();
        NiftiWriter.builder().dataType(type).build().write(image, path);
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
