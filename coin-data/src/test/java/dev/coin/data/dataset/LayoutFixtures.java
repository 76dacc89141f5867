package dev.coin.data.dataset;

import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.synth.Interval;
import dev.coin.data.synth.LabeledVolume;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.PhantomGenerator;
import dev.coin.data.synth.PhantomScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Phantom scans written in the dataset layouts users hold (TotalSegmentator, KiTS19, KiTS21/23), small (64² in
 * plane, 5 mm slices) so that a whole dataset is written and sliced in about a second.
 *
 * <p>The phantom is generated with i → patient left, j → posterior, k → superior; {@link #axialFirst} re-stores it
 * axial axis first, as KiTS does, with the affine that keeps every voxel where it is in the world.
 */
final class LayoutFixtures {
    /** Healthy kidneys, as TotalSegmentator's (anomalies are inserted synthetically later). */
    static final PhantomConfig HEALTHY = PhantomConfig.builder().seed(11).matrixSize(64)
            .sliceThicknessMm(Interval.of(5, 5)).tumourFraction(0).cystFraction(0).build();
    /** Every scan with tumours (KiTS19 labels: no cysts). */
    static final PhantomConfig TUMOURS = PhantomConfig.builder().seed(12).matrixSize(64)
            .sliceThicknessMm(Interval.of(5, 5)).tumourFraction(1).maxTumoursPerScan(2)
            .tumourDiameterMm(Interval.of(30, 45)).cystFraction(0).build();
    /** Every scan with tumours and cysts, so that KiTS21/23 labels 2 and 3 are present. */
    static final PhantomConfig LESIONS = PhantomConfig.builder().seed(12).matrixSize(64)
            .sliceThicknessMm(Interval.of(5, 5)).tumourFraction(1).maxTumoursPerScan(2)
            .tumourDiameterMm(Interval.of(30, 45)).cystFraction(1).build();

    private LayoutFixtures() {
    }

    static PhantomScan scan(PhantomConfig config, int index) {
        return PhantomGenerator.of(config).generate(index);
    }

    /**
     * TotalSegmentator: {@code root/<id>/ct.nii.gz} and {@code segmentations/kidney_left.nii.gz} (kidney voxels with
     * i ≥ nx/2, the patient's left), {@code kidney_right.nii.gz} (the others) and an unrelated {@code spleen.nii.gz}
     * that the layout must not read into the kidney mask.
     */
    static void writeTotalSegmentator(DatasetLayout layout, String id, PhantomScan scan) throws IOException {
        Volume label = scan.label();
        int n = Math.toIntExact(label.voxelCount());
        float[] left = new float[n];
        float[] right = new float[n];
        float[] spleen = new float[n];
        for (int f = 0; f < n; f++) {
            int i = f % label.nx();
            if (label.getFlat(f) == LabeledVolume.KIDNEY) {
                (i >= label.nx() / 2 ? left : right)[f] = 1;
            } else if (f % 97 == 0) {
                spleen[f] = 1;
            }
        }
        Files.createDirectories(layout.structureFile(id, "x").getParent());
        NiftiVolumes.write(scan.image(), layout.imageFile(id), NiftiDataType.INT16);
        NiftiVolumes.write(like(label, left), layout.structureFile(id, "kidney_left"), NiftiDataType.UINT8);
        NiftiVolumes.write(like(label, right), layout.structureFile(id, "kidney_right"), NiftiDataType.UINT8);
        NiftiVolumes.write(like(label, spleen), layout.structureFile(id, "spleen"), NiftiDataType.UINT8);
    }

    /** KiTS: {@code root/<id>/imaging.nii.gz} and {@code segmentation.nii.gz}, both stored axial axis first. */
    static void writeKits(DatasetLayout layout, String id, PhantomScan scan) throws IOException {
        Files.createDirectories(layout.imageFile(id).getParent());
        NiftiVolumes.write(axialFirst(scan.image()), layout.imageFile(id), NiftiDataType.INT16);
        NiftiVolumes.write(axialFirst(scan.label()), layout.labelFile(id), NiftiDataType.UINT8);
    }

    /** {@code v} stored with voxel axes (k, j, i): new voxel (a, b, c) = old (c, b, a); affine columns swapped. */
    static Volume axialFirst(Volume v) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        float[] out = new float[nx * ny * nz];
        int f = 0;
        for (int i = 0; i < nx; i++) { // new slowest axis: old i
            for (int j = 0; j < ny; j++) {
                for (int k = 0; k < nz; k++) { // new fastest axis: old k
                    out[f++] = v.get(i, j, k);
                }
            }
        }
        double[][] a = v.affine();
        double[][] b = new double[4][4];
        for (int r = 0; r < 3; r++) {
            b[r][0] = a[r][2];
            b[r][1] = a[r][1];
            b[r][2] = a[r][0];
            b[r][3] = a[r][3];
        }
        b[3][3] = 1;
        double[] s = v.spacing();
        return Volume.of(v.id(), new int[] {nz, ny, nx}, out, new double[] {s[2], s[1], s[0]}, b);
    }

    /** Voxels of {@code v} equal to {@code value}, per axial slice k of the phantom's own storage (axis 2). */
    static int[] countPerSlice(Volume v, int value) {
        int[] out = new int[v.nz()];
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++) {
                    if (v.get(i, j, k) == value) {
                        out[k]++;
                    }
                }
            }
        }
        return out;
    }

    private static Volume like(Volume v, float[] voxels) {
        return Volume.of(v.id(), v.shape(), voxels, v.spacing(), v.affine());
    }
}
