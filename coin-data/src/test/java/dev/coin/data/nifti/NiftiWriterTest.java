package dev.coin.data.nifti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datatype conversion, scaling, orientation fields, byte layout against the standard, and atomic writes. */
class NiftiWriterTest {
    @TempDir
    Path dir;

    private static float[] randomValues(int n, double lo, double hi, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return v;
    }

    private static NiftiImage floats(float[] v) {
        return NiftiImage.builder().shape(v.length).float32(v).build();
    }

    @Test
    void int16FittedScalingRoundTripsWithinHalfASlope() throws Exception {
        float[] v = randomValues(5000, -1024.3, 3071.7, 1);
        v[0] = -1024.3f; // exact extremes, so the fitted range is known
        v[1] = 3071.7f;
        for (NiftiVersion version : NiftiVersion.values()) {
            Path p = dir.resolve("ct-" + version + ".nii.gz");
            NiftiWriter.builder().dataType(NiftiDataType.INT16).version(version).build().write(floats(v), p);
            NiftiImage back = NiftiReader.read(p);
            assertThat(back.dataType()).isEqualTo(NiftiDataType.INT16);
            double slope = back.header().sclSlope();
            double expectedSlope = ((double) 3071.7f - (double) -1024.3f) / 65535;
            assertThat(slope).isCloseTo(expectedSlope, within(expectedSlope * 1e-6));
            assertThat(back.getRawLong(0)).isEqualTo(Short.MIN_VALUE); // the range uses all of int16
            assertThat(back.getRawLong(1)).isEqualTo(Short.MAX_VALUE);
            for (int i = 0; i < v.length; i++) {
                assertThat(back.getDouble(i)).as("voxel %d", i).isCloseTo(v[i], within(slope / 2 + 1e-9));
            }
        }
    }

    @Test
    void integerValuedDataAreStoredExactlyWithSlopeOne() throws Exception {
        float[] hu = new float[3000];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = -1024 + (i * 7) % 4096;
        }
        Path p = dir.resolve("hu.nii");
        NiftiWriter.builder().dataType(NiftiDataType.INT16).build().write(floats(hu), p);
        NiftiImage back = NiftiReader.read(p);
        assertThat(back.header().hasScaling()).isFalse();
        assertThat(back.toFloatArray()).containsExactly(hu);
    }

    @Test
    void everyTargetTypeHoldsIntegerValuesInItsRange() throws Exception {
        for (NiftiDataType type : NiftiDataType.values()) {
            double lo = Math.max(type.minValue(), -1000);
            double hi = Math.min(type.maxValue(), 1000);
            double[] v = {lo, hi, 0, (lo + hi) / 2 == Math.rint((lo + hi) / 2) ? (lo + hi) / 2 : 1, 7};
            NiftiImage src = NiftiImage.builder().shape(5).float64(v).build();
            Path p = dir.resolve(type + ".nii");
            NiftiWriter.builder().dataType(type).build().write(src, p);
            NiftiImage back = NiftiReader.read(p);
            assertThat(back.dataType()).isEqualTo(type);
            assertThat(back.toDoubleArray()).as("%s", type).containsExactly(v);
        }
    }

    @Test
    void explicitScalingIsAppliedAndCheckedAgainstTheRange() throws Exception {
        float[] v = {10, 10.5f, 11, 0, 100};
        Path p = dir.resolve("explicit.nii");
        NiftiWriter w = NiftiWriter.builder().dataType(NiftiDataType.UINT8).scaling(0.5, 0).build();
        w.write(floats(v), p);
        NiftiImage back = NiftiReader.read(p);
        long[] raw = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            raw[i] = back.getRawLong(i);
        }
        assertThat(raw).containsExactly(20, 21, 22, 0, 200); // value / 0.5 by hand
        assertThat(back.toFloatArray()).containsExactly(v);

        Path q = dir.resolve("over.nii");
        assertThatThrownBy(() -> w.write(floats(new float[] {1, 200}), q))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("voxel 1").hasMessageContaining("200").hasMessageContaining("UINT8");
        assertThat(q).doesNotExist();
    }

    @Test
    void nonFiniteValuesCannotBecomeIntegers() {
        NiftiImage img = floats(new float[] {1, Float.NaN, 3});
        assertThatThrownBy(() -> NiftiWriter.builder().dataType(NiftiDataType.INT16).build()
                .write(img, dir.resolve("nan.nii")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("voxel 1 is NaN").hasMessageContaining("FLOAT32");
    }

    @Test
    void scaledIntegersBecomeFloats() throws Exception {
        NiftiImage src = NiftiImage.builder().shape(3).int16(new short[] {-2, 0, 4}).scaling(0.25, 100).build();
        Path p = dir.resolve("f.nii.gz");
        NiftiWriter.builder().dataType(NiftiDataType.FLOAT32).build().write(src, p);
        NiftiImage back = NiftiReader.read(p);
        assertThat(back.header().hasScaling()).isFalse();
        assertThat(back.toFloatArray()).containsExactly(99.5f, 100f, 101f);
    }

    @Test
    void qformMatchesTheAffineForRandomRotationsAndReflections() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            // random rotation from a random unit quaternion, then zooms and possibly a reflection
            double a = rnd.nextGaussian();
            double b = rnd.nextGaussian();
            double c = rnd.nextGaussian();
            double d = rnd.nextGaussian();
            double n = Math.sqrt(a * a + b * b + c * c + d * d);
            a /= n;
            b /= n;
            c /= n;
            d /= n;
            double[][] r = {
                {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
            double[] zoom = {0.5 + rnd.nextDouble() * 3, 0.5 + rnd.nextDouble() * 3, 0.5 + rnd.nextDouble() * 3};
            double flip = trial % 2 == 0 ? 1 : -1;
            double[][] m = new double[4][4];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m[i][j] = r[i][j] * zoom[j] * (j == 2 ? flip : 1);
                }
                m[i][3] = rnd.nextDouble() * 200 - 100;
            }
            m[3][3] = 1;
            NiftiHeader.Builder hb = NiftiHeader.builder().shape(2, 2, 2).dataType(NiftiDataType.FLOAT32);
            NiftiHeader h = hb.affine(m, 1).build();
            assertThat(h.qformCode()).isEqualTo(1);
            assertThat(h.pixdim()[0]).isEqualTo(flip);
            assertThat(h.spacing()).containsExactly(zoom, within(1e-12));
            double[][] q = h.qformAffine();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertThat(q[i][j]).as("trial %d [%d][%d]", trial, i, j).isCloseTo(m[i][j], within(1e-9));
                }
            }
        }
    }

    @Test
    void shearedAffinesGetNoQform() throws Exception {
        double[][] shear = {{1, 0.5, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        NiftiImage img = NiftiImage.builder().shape(2, 2, 2).float32(new float[8]).affine(shear).build();
        assertThat(img.header().qformCode()).isZero();
        assertThat(img.header().sformCode()).isEqualTo(1);
        Path p = dir.resolve("shear.nii");
        NiftiWriter.defaults().write(img, p);
        assertThat(NiftiReader.read(p).affine()).isDeepEqualTo(shear);
    }

    @Test
    void xformCodeOptionRewritesBothForms() throws Exception {
        NiftiImage img = NiftiImage.builder().shape(2, 2, 2).float32(new float[8]).spacing(2, 3, 4).build();
        assertThat(img.header().sformCode()).isZero();
        Path p = dir.resolve("aligned.nii");
        NiftiWriter.builder().xformCode(2).build().write(img, p);
        NiftiHeader h = NiftiReader.readHeader(p);
        assertThat(h.sformCode()).isEqualTo(2);
        assertThat(h.qformCode()).isEqualTo(2);
        assertThat(h.affine()).isDeepEqualTo(new double[][] {{2, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}});
    }

    @Test
    void nifti1BigEndianBytesFollowTheStandardLayout() throws Exception {
        short[] v = {1, -2, 300, -32768, 32767, 5};
        NiftiImage img = NiftiImage.builder().shape(3, 2).int16(v).spacing(0.5, 0.25).description("layout").build();
        Path p = dir.resolve("layout.nii");
        NiftiWriter.builder().byteOrder(ByteOrder.BIG_ENDIAN).build().write(img, p);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.BIG_ENDIAN);
        assertThat(b.capacity()).isEqualTo(352 + 12);
        assertThat(b.getInt(0)).isEqualTo(348);
        assertThat(b.getShort(40)).isEqualTo((short) 2); // dim[0]
        assertThat(b.getShort(42)).isEqualTo((short) 3);
        assertThat(b.getShort(44)).isEqualTo((short) 2);
        assertThat(b.getShort(70)).isEqualTo((short) 4); // datatype int16
        assertThat(b.getShort(72)).isEqualTo((short) 16); // bitpix
        assertThat(b.getFloat(80)).isEqualTo(0.5f); // pixdim[1]
        assertThat(b.getFloat(84)).isEqualTo(0.25f);
        assertThat(b.getFloat(108)).isEqualTo(352f); // vox_offset
        assertThat(new String(b.array(), 148, 6, StandardCharsets.US_ASCII)).isEqualTo("layout");
        assertThat(new String(b.array(), 344, 4, StandardCharsets.US_ASCII)).isEqualTo("n+1\0");
        for (int i = 0; i < v.length; i++) {
            assertThat(b.getShort(352 + 2 * i)).isEqualTo(v[i]);
        }
    }

    @Test
    void nifti2LittleEndianBytesFollowTheStandardLayout() throws Exception {
        double[] v = {1.5, -2.25, Double.NaN};
        NiftiImage img = NiftiImage.builder().shape(1, 3).float64(v).build();
        Path p = dir.resolve("layout2.nii.gz");
        NiftiWriter.builder().version(NiftiVersion.NIFTI2).build().write(img, p);
        byte[] gz = Files.readAllBytes(p);
        assertThat(gz[0] & 0xFF).isEqualTo(0x1F); // gzip magic: compression follows the name
        assertThat(gz[1] & 0xFF).isEqualTo(0x8B);
        byte[] raw;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
            raw = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(raw).hasSize(544 + 24);
        assertThat(b.getInt(0)).isEqualTo(540);
        assertThat(new String(raw, 4, 8, StandardCharsets.ISO_8859_1)).isEqualTo("n+2\0\r\n\u001a\n");
        assertThat(b.getShort(12)).isEqualTo((short) 64);
        assertThat(b.getLong(16)).isEqualTo(2);
        assertThat(b.getLong(24)).isEqualTo(1);
        assertThat(b.getLong(32)).isEqualTo(3);
        assertThat(b.getLong(168)).isEqualTo(544);
        assertThat(b.getDouble(544)).isEqualTo(1.5);
        assertThat(b.getDouble(552)).isEqualTo(-2.25);
        assertThat(b.getDouble(560)).isNaN();
    }

    @Test
    void failedWritesLeaveTheTargetAndNoTemporaryFiles() throws Exception {
        Path p = dir.resolve("keep.nii.gz");
        NiftiImage good = floats(new float[] {1, 2, 3});
        NiftiWriter.defaults().write(good, p);
        byte[] before = Files.readAllBytes(p);
        assertThatThrownBy(() -> NiftiWriter.builder().dataType(NiftiDataType.UINT8).build()
                .write(floats(new float[] {1, Float.NaN, 3}), p)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        // overwriting with a valid image replaces the file
        NiftiWriter.defaults().write(floats(new float[] {4, 5, 6}), p);
        assertThat(NiftiReader.read(p).toFloatArray()).containsExactly(4, 5, 6);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("keep.nii.gz");
        }
    }

    @Test
    void badTargetsAreRejectedWithTheFix() {
        NiftiImage img = floats(new float[] {1});
        assertThatThrownBy(() -> NiftiWriter.defaults().write(img, dir.resolve("x.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".nii.gz").hasMessageContaining("x.txt");
        NiftiImage wide = NiftiImage.builder().shape(40000).uint8(new byte[40000]).build();
        assertThatThrownBy(() -> NiftiWriter.defaults().write(wide, dir.resolve("wide.nii")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40000")
                .hasMessageContaining("NIFTI2");
    }

    @Test
    void nifti2HoldsDimensionsNifti1CannotAndBuilderChecksSizes() throws Exception {
        NiftiImage wide = NiftiImage.builder().shape(40000).uint8(new byte[40000]).build();
        Path p = dir.resolve("wide2.nii");
        NiftiWriter.builder().version(NiftiVersion.NIFTI2).build().write(wide, p);
        assertThat(NiftiReader.read(p).shape()).containsExactly(40000);
        assertThatThrownBy(() -> NiftiImage.builder().shape(2, 3).float32(new float[5]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6").hasMessageContaining("5");
    }
}
