package dev.coin.data.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.nifti.NiftiFormatException;
import dev.coin.data.nifti.NiftiHeader;
import dev.coin.data.nifti.NiftiImage;
import dev.coin.data.nifti.NiftiReader;
import dev.coin.data.nifti.NiftiWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiVolumesTest {
    private static final double[][] OBLIQUE = {
        {0, -0.8, 0, 100}, {0.7, 0, 0, -50}, {0, 0, 2.5, 12}, {0, 0, 0, 1}};

    @TempDir
    Path dir;

    private static Volume volume(float[] v) {
        return Volume.of("scan", new int[] {6, 5, 4}, v, new double[] {0.7, 0.8, 2.5}, OBLIQUE);
    }

    @Test
    void readsAReferenceFileAsAVolume() throws Exception {
        String data = System.getProperty("coin.nifti.testdata");
        assumeTrue(data != null && Files.isDirectory(Path.of(data)), "NIfTI reference files not found at " + data);
        Volume v = NiftiVolumes.read(Path.of(data, "anatomical.nii"));
        assertThat(v.id()).isEqualTo("anatomical");
        assertThat(v.shape()).containsExactly(33, 41, 25);
        assertThat(v.get(1, 2, 2)).isEqualTo(7339f); // nibabel get_fdata
        assertThat(v.get(16, 20, 12)).isEqualTo(11881f);
        assertThat(v.spacing()).containsExactly(2, 2, 2);
        assertThat(v.affine()[0]).containsExactly(-2, 0, 0, 32);
    }

    @Test
    void fourDimensionalWithOneFrameIsAVolumeButTwoFramesAreNot() throws Exception {
        Path one = dir.resolve("one.nii.gz");
        NiftiWriter.defaults().write(NiftiImage.builder().shape(3, 2, 2, 1).float32(new float[12]).build(), one);
        Volume v = NiftiVolumes.read(one);
        assertThat(v.id()).isEqualTo("one");
        assertThat(v.shape()).containsExactly(3, 2, 2);

        Path two = dir.resolve("two.nii");
        NiftiWriter.defaults().write(NiftiImage.builder().shape(3, 2, 2, 2).float32(new float[24]).build(), two);
        assertThatThrownBy(() -> NiftiVolumes.read(two)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("two.nii").hasMessageContaining("dim[4] is 2");

        Path flat = dir.resolve("flat.nii");
        NiftiWriter.defaults().write(NiftiImage.builder().shape(3, 2).float32(new float[6]).build(), flat);
        assertThatThrownBy(() -> NiftiVolumes.read(flat)).isInstanceOf(NiftiFormatException.class)
                .hasMessageContaining("dim[0] is 2");
    }

    @Test
    void float32RoundTripIsExactWithGeometry() throws Exception {
        float[] v = new float[120];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        Path p = dir.resolve("case_7.nii.gz");
        NiftiVolumes.write(volume(v), p, NiftiDataType.FLOAT32);
        Volume back = NiftiVolumes.read(p);
        assertThat(back.id()).isEqualTo("case_7");
        assertThat(back.copyVoxels()).containsExactly(v);
        for (int r = 0; r < 4; r++) {
            assertThat(back.affine()[r]).containsExactly(OBLIQUE[r], within(1e-6));
        }
        assertThat(back.spacing()).containsExactly(new double[] {0.7, 0.8, 2.5}, within(1e-6));
        // the qform written alongside agrees with the sform
        double[][] q = NiftiReader.readHeader(p).qformAffine();
        for (int r = 0; r < 4; r++) {
            assertThat(q[r]).containsExactly(OBLIQUE[r], within(1e-5));
        }
    }

    @Test
    void int16KeepsHuWithinHalfASlope() throws Exception {
        float[] hu = new float[120];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (float) (-1000 + 4000 * rnd.nextDouble()); // fractional HU force a fitted slope
        }
        Path p = dir.resolve("ct.nii.gz");
        NiftiVolumes.write(volume(hu), p, NiftiDataType.INT16);
        NiftiImage raw = NiftiReader.read(p);
        assertThat(raw.dataType()).isEqualTo(NiftiDataType.INT16);
        double slope = raw.header().sclSlope();
        assertThat(slope).isPositive().isLessThan(4000.0 / 65535 * 1.001);
        float[] back = NiftiVolumes.read(p).copyVoxels();
        for (int i = 0; i < hu.length; i++) {
            assertThat((double) back[i]).as("voxel %d", i).isCloseTo(hu[i], within(slope / 2 + Math.ulp(4000f)));
        }

        float[] integers = new float[120];
        for (int i = 0; i < integers.length; i++) {
            integers[i] = -1024 + 37 * i;
        }
        Path q = dir.resolve("ct-int.nii");
        NiftiVolumes.write(volume(integers), q, NiftiDataType.INT16);
        assertThat(NiftiVolumes.read(q).copyVoxels()).containsExactly(integers);
    }

    @Test
    void uint8LabelsMustBeIntegersInRange() throws Exception {
        float[] labels = new float[120];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        labels[7] = 255;
        Path p = dir.resolve("labels.nii.gz");
        NiftiVolumes.write(volume(labels), p, NiftiDataType.UINT8);
        assertThat(NiftiReader.read(p).dataType()).isEqualTo(NiftiDataType.UINT8);
        assertThat(NiftiVolumes.read(p).copyVoxels()).containsExactly(labels);

        float[] bad = labels.clone();
        bad[6 * 5 * 2 + 6 * 3 + 4] = 1.5f; // voxel (4, 3, 2)
        assertThatThrownBy(() -> NiftiVolumes.write(volume(bad), dir.resolve("bad.nii.gz"), NiftiDataType.UINT8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5").hasMessageContaining("(4, 3, 2)").hasMessageContaining("0..255");
        float[] big = labels.clone();
        big[0] = 256;
        assertThatThrownBy(() -> NiftiVolumes.write(volume(big), dir.resolve("big.nii.gz"), NiftiDataType.UINT8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThat(dir.resolve("bad.nii.gz")).doesNotExist();
    }

    @Test
    void writeLikeKeepsTheSourceQformSformCodesAndPixdim() throws Exception {
        // a source whose sform (code 2, aligned) and qform (code 1, scanner) differ in code, stored big-endian,
        // 4-D with one frame, with a display range and a description that must not leak into the mask
        double[][] lps = {{-0.75, 0, 0, 90}, {0, -0.75, 0, 120}, {0, 0, 2.5, -300}, {0, 0, 0, 1}};
        NiftiHeader h = NiftiHeader.builder().shape(6, 5, 4, 1).dataType(NiftiDataType.INT16).affine(lps, 1)
                .sformCode(2).calibration(-1000, 1000).description("source CT").build();
        Path ct = dir.resolve("ct.nii.gz");
        NiftiWriter.builder().byteOrder(java.nio.ByteOrder.BIG_ENDIAN).build()
                .write(NiftiImage.builder().header(h).shape(6, 5, 4, 1).int16(new short[120]).build(), ct);
        NiftiImage source = NiftiReader.read(ct);
        Volume v = NiftiVolumes.of(source, ct);
        float[] labels = new float[120];
        labels[7] = 1;
        Path out = dir.resolve("mask.nii.gz");
        NiftiVolumes.writeLike(v.withVoxels("mask", labels), source.header(), out, NiftiDataType.UINT8);

        NiftiHeader got = NiftiReader.readHeader(out);
        NiftiHeader src = source.header();
        assertThat(got.dataType()).isEqualTo(NiftiDataType.UINT8);
        assertThat(got.shape()).containsExactly(6, 5, 4);
        assertThat(got.qformCode()).isEqualTo(1);
        assertThat(got.sformCode()).isEqualTo(2);
        assertThat(got.pixdim()).containsExactly(src.pixdim());
        assertThat(got.quatern()).containsExactly(src.quatern());
        assertThat(got.qoffset()).containsExactly(src.qoffset());
        assertThat(got.affine()).isDeepEqualTo(src.affine());
        assertThat(src.byteOrder()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(got.byteOrder()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(got.hasScaling()).isFalse();
        assertThat(got.calMax()).isZero();
        assertThat(got.description()).isEqualTo("COIN mask");
        assertThat(NiftiVolumes.read(out).getFlat(7)).isEqualTo(1f);

        assertThatThrownBy(() -> NiftiVolumes.writeLike(volume(new float[120]), NiftiReader.readHeader(dir
                .resolve("ct.nii.gz")).toBuilder().shape(5, 6, 4).build(), dir.resolve("x.nii"), NiftiDataType.UINT8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[6, 5, 4]")
                .hasMessageContaining("like").hasMessageContaining("[5, 6, 4]");
        labels[3] = 0.5f;
        assertThatThrownBy(() -> NiftiVolumes.writeLike(v.withVoxels("mask", labels), src, dir.resolve("y.nii"),
                NiftiDataType.UINT8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5")
                .hasMessageContaining("(3, 0, 0)");
    }
}
