package dev.coin.data.slice;

import dev.coin.data.image.FloatImage;
import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.nifti.NiftiImage;
import dev.coin.data.nifti.NiftiWriter;
import dev.coin.data.synth.Interval;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.PhantomGenerator;
import dev.coin.data.synth.PhantomScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One phantom scan re-stored in the voxel layouts users hold on disk, each with the affine that keeps the anatomy
 * where it is (so a reader that honours the affine must see the same patient in every file).
 *
 * <p>The phantom is generated with i → patient left, j → posterior, k → superior (LPS storage). A layout is given
 * as, for each new voxel axis, the old axis it takes and whether it is reversed; the new affine column is the old
 * one (negated when reversed) and the translation moves to the old voxel the new origin lands on.
 */
final class PhantomLayouts {
    /** Small, with tumours and cysts, so that kept slices carry both labels. */
    static final PhantomConfig CONFIG = PhantomConfig.builder().seed(5).matrixSize(80).tumourFraction(1)
            .maxTumoursPerScan(2).tumourDiameterMm(Interval.of(30, 45)).cystFraction(1).build();

    enum Layout {
        /** As generated: i → L, j → P, k → S (what DICOM converters write). */
        LPS(new int[] {0, 1, 2}, new boolean[] {false, false, false}, NiftiDataType.INT16),
        /** i → R, j → A, k → S (nibabel's canonical RAS+). */
        RAS(new int[] {0, 1, 2}, new boolean[] {true, true, false}, NiftiDataType.INT16),
        /** i → L, j → A, k → S (FSL-style radiological templates). */
        LAS(new int[] {0, 1, 2}, new boolean[] {false, true, false}, NiftiDataType.INT16),
        /** Axial axis first (KiTS19's layout) with an affine that says so: (k, j, i) → (S, P, L). */
        AXIAL_FIRST(new int[] {2, 1, 0}, new boolean[] {false, false, false}, NiftiDataType.INT16),
        /** Slice index running head to feet: i → R, j → A, k → I. */
        HEAD_FIRST(new int[] {0, 1, 2}, new boolean[] {true, true, true}, NiftiDataType.INT16),
        /** RAS stored as uint16 with intercept −1024 (raw = HU + 1024), as many scanners export. */
        UINT16_INTERCEPT(new int[] {0, 1, 2}, new boolean[] {true, true, false}, NiftiDataType.UINT16);

        final int[] oldAxisOf;
        final boolean[] reversed;
        final NiftiDataType imageType;

        Layout(int[] oldAxisOf, boolean[] reversed, NiftiDataType imageType) {
            this.oldAxisOf = oldAxisOf;
            this.reversed = reversed;
            this.imageType = imageType;
        }

        /** {@code v} re-stored in this layout, same anatomy (world position of every voxel value). */
        Volume restore(Volume v) {
            int[] oldShape = v.shape();
            int[] shape = new int[3];
            for (int d = 0; d < 3; d++) {
                shape[d] = oldShape[oldAxisOf[d]];
            }
            float[] out = new float[shape[0] * shape[1] * shape[2]];
            int[] old = new int[3];
            int n = 0;
            for (int k = 0; k < shape[2]; k++) {
                for (int j = 0; j < shape[1]; j++) {
                    for (int i = 0; i < shape[0]; i++) {
                        int[] idx = {i, j, k};
                        for (int d = 0; d < 3; d++) {
                            old[oldAxisOf[d]] = reversed[d] ? shape[d] - 1 - idx[d] : idx[d];
                        }
                        out[n++] = v.get(old[0], old[1], old[2]);
                    }
                }
            }
            double[][] a = v.affine();
            double[][] b = new double[4][4];
            double[] origin = new double[3];
            for (int d = 0; d < 3; d++) {
                origin[oldAxisOf[d]] = reversed[d] ? shape[d] - 1 : 0;
            }
            for (int r = 0; r < 3; r++) {
                for (int d = 0; d < 3; d++) {
                    b[r][d] = reversed[d] ? -a[r][oldAxisOf[d]] : a[r][oldAxisOf[d]];
                }
                b[r][3] = a[r][3] + a[r][0] * origin[0] + a[r][1] * origin[1] + a[r][2] * origin[2];
            }
            b[3][3] = 1;
            double[] spacing = new double[3];
            for (int d = 0; d < 3; d++) {
                spacing[d] = v.spacing()[oldAxisOf[d]];
            }
            return Volume.of(v.id(), shape, out, spacing, b);
        }

        /** Writes the scan in this layout as {@code <dir>/<layout>/ct.nii.gz} and {@code seg.nii.gz}. */
        Path[] write(PhantomScan scan, Path dir) throws IOException {
            Path folder = dir.resolve(name().toLowerCase());
            java.nio.file.Files.createDirectories(folder);
            Path ct = folder.resolve("ct.nii.gz");
            Path seg = folder.resolve("seg.nii.gz");
            Volume image = restore(scan.image());
            if (imageType == NiftiDataType.UINT16) {
                NiftiImage img = NiftiImage.builder().shape(image.shape()).float32(image.copyVoxels())
                        .affine(image.affine()).build();
                NiftiWriter.builder().dataType(NiftiDataType.UINT16).scaling(1, -1024).build().write(img, ct);
            } else {
                NiftiVolumes.write(image, ct, imageType);
            }
            NiftiVolumes.write(restore(scan.label()), seg, NiftiDataType.UINT8);
            return new Path[] {ct, seg};
        }
    }

    private PhantomLayouts() {
    }

    static PhantomScan scan() {
        return PhantomGenerator.of(CONFIG).generate(0);
    }

    /** SHA-256 over every slice's index, label, height bits, image bits and mask bits, in list order. */
    static String digest(List<Slice> slices) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Slice s : slices) {
                ByteBuffer b = ByteBuffer.allocate(16);
                b.putInt(s.sliceIndex()).putInt(s.label()).putDouble(s.relativeHeight());
                md.update(b.array());
                update(md, s.image());
                md.update(String.join(",", s.maskNames()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (FloatImage m : s.masks()) {
                    update(md, m);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void update(MessageDigest md, FloatImage img) {
        float[] px = img.toArray();
        ByteBuffer b = ByteBuffer.allocate(px.length * 4 + 8);
        b.putInt(img.height()).putInt(img.width());
        for (float v : px) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        md.update(b.array());
    }
}
