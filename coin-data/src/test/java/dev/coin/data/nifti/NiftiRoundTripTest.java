package dev.coin.data.nifti;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Write → read for every datatype, both byte orders, both versions, plain and gzip, single file and hdr/img pair:
 * raw voxels come back bit for bit (compared with the Java arrays that built the image, extremes, NaN and ±inf
 * included), and so do shape, scaling, affine and description.
 */
class NiftiRoundTripTest {
    private static final int[] SHAPE = {5, 4, 3, 2};
    private static final int N = 5 * 4 * 3 * 2;
    /** An oblique affine with exactly representable float entries (a 90-degree rotation about z, then scaling). */
    private static final double[][] AFFINE = {{0, -2, 0, 10.5}, {1.5, 0, 0, -20.25}, {0, 0, 3, 7}, {0, 0, 0, 1}};

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (NiftiDataType type : NiftiDataType.values()) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (NiftiVersion version : NiftiVersion.values()) {
                    for (String ext : new String[] {".nii", ".nii.gz", ".hdr", ".img.gz"}) {
                        out.add(Arguments.of(type, order, version, ext));
                    }
                }
            }
        }
        return out.stream();
    }

    /** Expected raw values (as long bits for floats) and the image built from them. */
    private record Sample(long[] expectedRaw, NiftiImage image) {
    }

    private static Sample sample(NiftiDataType type, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] raw = new long[N];
        NiftiImage.Builder b = NiftiImage.builder().shape(SHAPE).affine(AFFINE).scaling(0.5, -3)
                .description("round trip " + type);
        switch (type) {
            case UINT8, INT8 -> {
                byte[] v = new byte[N];
                rnd.nextBytes(v);
                v[0] = Byte.MIN_VALUE;
                v[1] = Byte.MAX_VALUE;
                v[2] = -1;
                for (int i = 0; i < N; i++) {
                    raw[i] = type == NiftiDataType.UINT8 ? v[i] & 0xFF : v[i];
                }
                b = type == NiftiDataType.UINT8 ? b.uint8(v) : b.int8(v);
            }
            case INT16, UINT16 -> {
                short[] v = new short[N];
                for (int i = 0; i < N; i++) {
                    v[i] = (short) rnd.nextInt();
                }
                v[0] = Short.MIN_VALUE;
                v[1] = Short.MAX_VALUE;
                v[2] = -1;
                for (int i = 0; i < N; i++) {
                    raw[i] = type == NiftiDataType.UINT16 ? v[i] & 0xFFFF : v[i];
                }
                b = type == NiftiDataType.UINT16 ? b.uint16(v) : b.int16(v);
            }
            case INT32, UINT32 -> {
                int[] v = new int[N];
                for (int i = 0; i < N; i++) {
                    v[i] = rnd.nextInt();
                }
                v[0] = Integer.MIN_VALUE;
                v[1] = Integer.MAX_VALUE;
                v[2] = -1;
                for (int i = 0; i < N; i++) {
                    raw[i] = type == NiftiDataType.UINT32 ? v[i] & 0xFFFFFFFFL : v[i];
                }
                b = type == NiftiDataType.UINT32 ? b.uint32(v) : b.int32(v);
            }
            case INT64 -> {
                long[] v = new long[N];
                for (int i = 0; i < N; i++) {
                    v[i] = rnd.nextLong();
                }
                v[0] = Long.MIN_VALUE;
                v[1] = Long.MAX_VALUE;
                v[2] = (1L << 53) + 1; // not representable as a double: only an exact path keeps it
                System.arraycopy(v, 0, raw, 0, N);
                b = b.int64(v);
            }
            case FLOAT32 -> {
                float[] v = new float[N];
                for (int i = 0; i < N; i++) {
                    v[i] = Float.intBitsToFloat(rnd.nextInt()); // any bit pattern: tiny, huge, subnormal
                }
                v[0] = Float.NaN;
                v[1] = Float.POSITIVE_INFINITY;
                v[2] = Float.NEGATIVE_INFINITY;
                v[3] = -0.0f;
                v[4] = Float.MIN_VALUE;
                for (int i = 0; i < N; i++) {
                    raw[i] = Float.floatToIntBits(v[i]);
                }
                b = b.float32(v);
            }
            case FLOAT64 -> {
                double[] v = new double[N];
                for (int i = 0; i < N; i++) {
                    v[i] = Double.longBitsToDouble(rnd.nextLong());
                }
                v[0] = Double.NaN;
                v[1] = Double.POSITIVE_INFINITY;
                v[2] = Double.NEGATIVE_INFINITY;
                v[3] = -0.0;
                v[4] = Double.MIN_VALUE;
                for (int i = 0; i < N; i++) {
                    raw[i] = Double.doubleToLongBits(v[i]);
                }
                b = b.float64(v);
            }
            default -> throw new IllegalStateException(type.toString());
        }
        return new Sample(raw, b.build());
    }

    private static long rawBits(NiftiImage img, int i) {
        return switch (img.dataType()) {
            case FLOAT32 -> Float.floatToIntBits((float) img.getRaw(i));
            case FLOAT64 -> Double.doubleToLongBits(img.getRaw(i));
            default -> img.getRawLong(i);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void writeThenReadIsExact(NiftiDataType type, ByteOrder order, NiftiVersion version, String ext)
            throws Exception {
        Sample s = sample(type, 31L * type.ordinal() + 7);
        for (int i = 0; i < N; i++) { // the builder itself keeps the values
            assertThat(rawBits(s.image(), i)).isEqualTo(s.expectedRaw()[i]);
        }
        Path file = dir.resolve("img" + ext);
        NiftiWriter.builder().version(version).byteOrder(order).build().write(s.image(), file);
        if (ext.equals(".hdr") || ext.equals(".img.gz")) {
            String suffix = ext.endsWith(".gz") ? ".gz" : "";
            assertThat(dir.resolve("img.hdr" + suffix)).isRegularFile();
            assertThat(dir.resolve("img.img" + suffix)).isRegularFile();
        }
        try (Stream<Path> files = Files.list(dir)) { // no temporary files left behind
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }

        NiftiImage back = NiftiReader.read(file);
        NiftiHeader h = back.header();
        assertThat(h.version()).isEqualTo(version);
        assertThat(h.byteOrder()).isEqualTo(order);
        assertThat(h.singleFile()).isEqualTo(ext.startsWith(".nii"));
        assertThat(back.shape()).containsExactly(SHAPE);
        assertThat(back.dataType()).isEqualTo(type);
        for (int i = 0; i < N; i++) {
            assertThat(rawBits(back, i)).as("raw voxel %d", i).isEqualTo(s.expectedRaw()[i]);
        }
        assertThat(back.sameVoxels(s.image())).isTrue();
        assertThat(h.sclSlope()).isEqualTo(0.5);
        assertThat(h.sclInter()).isEqualTo(-3);
        if (type.isInteger()) {
            assertThat(back.get(1, 2, 0, 1)).isEqualTo(back.getRaw(back.flatIndex(1, 2, 0, 1)) * 0.5 - 3);
        }
        assertThat(h.description()).isEqualTo("round trip " + type);
        assertThat(h.sformCode()).isEqualTo(1);
        assertThat(h.qformCode()).isEqualTo(1);
        for (int r = 0; r < 4; r++) {
            assertThat(back.affine()[r]).containsExactly(AFFINE[r]);
            for (int c = 0; c < 4; c++) { // the qform written alongside describes the same matrix
                assertThat(h.qformAffine()[r][c]).isCloseTo(AFFINE[r][c], org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        assertThat(back.spacing()).containsExactly(1.5, 2, 3, 1);

        // Writing what was read gives the same bytes again (header and data are both stable).
        Path again = dir.resolve("again" + ext);
        NiftiWriter.builder().version(version).byteOrder(order).build().write(back, again);
        assertThat(NiftiReader.read(again).sameVoxels(back)).isTrue();
        if (ext.equals(".nii")) {
            assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
        }
    }
}
