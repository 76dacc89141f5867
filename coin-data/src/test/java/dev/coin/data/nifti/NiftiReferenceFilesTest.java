package dev.coin.data.nifti;

import static dev.coin.data.nifti.NiftiTestFiles.file;
import static dev.coin.data.nifti.NiftiTestFiles.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Reads files written by other tools (nibabel's and NiBabel/ITK test data) and compares with the values nibabel
 * 5.0.0 reports: shape, two voxels ({@code get_fdata()}, scaled), the sum and the affine.
 */
class NiftiReferenceFilesTest {
    private static final double SUM_RELATIVE = 1e-9;

    private static void assertSum(NiftiImage img, double expected) {
        assertThat(sum(img)).isCloseTo(expected, within(Math.abs(expected) * SUM_RELATIVE + 1e-9));
    }

    private static void assertAffine(double[][] actual, double[][] expected3x4, double tol) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(actual[r][c]).as("affine[%d][%d]", r, c).isCloseTo(expected3x4[r][c], within(tol));
            }
        }
        assertThat(actual[3]).containsExactly(0, 0, 0, 1);
    }

    @Test
    void bigEndianInt32FiveDimensionalWithScaling() throws Exception {
        NiftiImage img = NiftiReader.read(file("ATestReferenceImageForReadingAndWriting.nii.gz"));
        assertThat(img.header().byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(img.dataType()).isEqualTo(NiftiDataType.INT32);
        assertThat(img.shape()).containsExactly(23, 17, 11, 7, 3);
        assertThat(img.header().sclSlope()).isEqualTo(0.25);
        assertThat(img.header().sclInter()).isEqualTo(128);
        assertThat(img.get(1, 2, 2, 0, 0)).isEqualTo(335.25);
        assertThat(img.get(11, 8, 5, 3, 1)).isEqualTo(11418);
        assertSum(img, 1031285178);
        // sform (code 1) is preferred over the qform, which differs in this file
        assertAffine(img.affine(), new double[][] {{0.5, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 2, 0}}, 1e-12);
        assertThat(img.header().qformCode()).isEqualTo(1);
        assertThat(img.header().qformAffine()[0][3]).isEqualTo(11.5);
    }

    @Test
    void bigEndianInt16Anatomical() throws Exception {
        NiftiImage img = NiftiReader.read(file("anatomical.nii"));
        assertThat(img.header().byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(img.dataType()).isEqualTo(NiftiDataType.INT16);
        assertThat(img.shape()).containsExactly(33, 41, 25);
        assertThat(img.get(1, 2, 2)).isEqualTo(7339);
        assertThat(img.get(16, 20, 12)).isEqualTo(11881);
        assertSum(img, 284166082);
        assertAffine(img.affine(), new double[][] {{-2, 0, 0, 32}, {0, 2, 0, -40}, {0, 0, 2, -16}}, 1e-6);
        assertThat(img.spacing()).containsExactly(2, 2, 2);
    }

    @Test
    void functionalWithSlopeAndIntercept() throws Exception {
        NiftiImage img = NiftiReader.read(file("functional.nii"));
        assertThat(img.shape()).containsExactly(17, 21, 3, 20);
        assertThat(img.get(1, 2, 2, 0)).isCloseTo(3704.545, within(5e-4));
        assertThat(img.get(8, 10, 1, 10)).isCloseTo(3937.251, within(5e-4));
        assertSum(img, 77913290.36);
        // flat index agrees with the multi-index (first axis fastest)
        long flat = 8 + 17L * (10 + 21L * (1 + 3L * 10));
        assertThat(img.getDouble(flat)).isEqualTo(img.get(8, 10, 1, 10));
        assertThat(img.toFloatArray()[(int) flat]).isEqualTo((float) img.get(8, 10, 1, 10));
    }

    @Test
    void example4dWithExtensionsAndObliqueAffine() throws Exception {
        NiftiImage img = NiftiReader.read(file("example4d.nii.gz"));
        assertThat(img.header().voxOffset()).isEqualTo(416);
        assertThat(img.shape()).containsExactly(128, 96, 24, 2);
        assertThat(img.get(1, 2, 2, 0)).isEqualTo(0);
        assertThat(img.get(64, 48, 12, 1)).isEqualTo(266);
        assertSum(img, 101985356);
        double[][] expected = {{-2, 0, 0, 117.8551}, {0, 1.9737, -0.3555, -35.7229}, {0, 0.3232, 2.1711, -7.2488}};
        assertAffine(img.affine(), expected, 1e-4);
        // The qform of this file describes the same orientation: checks the quaternion formula independently.
        assertAffine(img.header().qformAffine(), expected, 1e-4);
    }

    @Test
    void nifti2SingleFile() throws Exception {
        NiftiImage img = NiftiReader.read(file("example_nifti2.nii.gz"));
        assertThat(img.header().version()).isEqualTo(NiftiVersion.NIFTI2);
        assertThat(img.shape()).containsExactly(32, 20, 12, 2);
        assertThat(img.get(1, 2, 2, 0)).isEqualTo(345);
        assertThat(img.get(16, 10, 6, 1)).isEqualTo(266);
        assertSum(img, 6926802);
    }

    @Test
    void sformOnly() throws Exception {
        NiftiImage img = NiftiReader.read(file("standard.nii.gz"));
        assertThat(img.header().qformCode()).isZero();
        assertThat(img.shape()).containsExactly(4, 5, 7);
        assertSum(img, 7650);
        assertAffine(img.affine(), new double[][] {{1, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 2, 0}}, 1e-12);
    }

    @Test
    void bigEndianFloat32() throws Exception {
        NiftiImage img = NiftiReader.read(file("reoriented_anat_moved.nii"));
        assertThat(img.dataType()).isEqualTo(NiftiDataType.FLOAT32);
        assertThat(img.shape()).containsExactly(21, 26, 22);
        assertThat(img.get(10, 13, 11)).isCloseTo(8117.22, within(5e-3));
        assertSum(img, 32739769.45);
    }

    @Test
    void nanValuesAreKept() throws Exception {
        NiftiImage img = NiftiReader.read(file("resampled_anat_moved.nii"));
        long nans = 0;
        float[] all = img.toFloatArray();
        for (float v : all) {
            if (Float.isNaN(v)) {
                nans++;
            }
        }
        assertThat(nans).isPositive();
        assertThat(nans).isLessThan(all.length); // not all NaN: real values are read as well
    }

    @Test
    void headerOnlyFilesReadAsHeadersButNotAsImages() throws Exception {
        for (String name : new String[] {"nifti1.hdr", "nifti2.hdr"}) {
            NiftiHeader h = NiftiReader.readHeader(file(name));
            assertThat(h.singleFile()).isFalse();
            assertThat(h.shape()).containsExactly(91, 109, 91);
            assertThat(h.dataType()).isEqualTo(NiftiDataType.INT16);
            assertThat(h.spacing()).containsExactly(2, 2, 2);
            assertThat(h.version()).isEqualTo(name.startsWith("nifti1") ? NiftiVersion.NIFTI1 : NiftiVersion.NIFTI2);
            java.nio.file.Path hdr = file(name);
            assertThatThrownBy(() -> NiftiReader.read(hdr))
                    .isInstanceOf(NiftiFormatException.class)
                    .hasMessageContaining("missing .img")
                    .hasMessageContaining(name.replace(".hdr", ".img"));
        }
    }

    @Test
    void analyzeIsRejectedByName() {
        java.nio.file.Path analyze = file("analyze.hdr");
        assertThatThrownBy(() -> NiftiReader.readHeader(analyze))
                .isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("analyze.hdr")
                .hasMessageContaining("Analyze 7.5")
                .hasMessageContaining("magic");
    }

    @Test
    void cifti2DenseConnectivityNifti2With6Dims() throws Exception {
        // NIfTI-2 with a CIFTI extension before vox_offset 1488; 10x10 float32 matrix in dims 5 and 6.
        NiftiImage img = NiftiReader.read(file("row_major.dconn.nii"));
        assertThat(img.shape()).containsExactly(1, 1, 1, 1, 10, 10);
        assertThat(img.header().voxOffset()).isEqualTo(1488);
        assertThat(img.voxelCount()).isEqualTo(100);
        // numpy on the raw bytes (little-endian float32 at 1488): first value 0.1621823, sum 46.74536418868229
        assertThat(img.get(0, 0, 0, 0, 0, 0)).isCloseTo(0.1621823, within(1e-7));
        assertThat(img.get(0, 0, 0, 0, 1, 0)).isCloseTo(0.7942845, within(1e-7));
        assertSum(img, 46.74536418868229);
    }
}
