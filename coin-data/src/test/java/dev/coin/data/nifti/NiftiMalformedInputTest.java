package dev.coin.data.nifti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken files, made in the test by writing a good file and corrupting it: every one must give a
 * {@link NiftiFormatException} naming the file and the problem, never another exception and never an
 * OutOfMemoryError (a lying header must not drive an allocation).
 */
class NiftiMalformedInputTest {
    private static final int[] SHAPE = {8, 7, 6};

    @TempDir
    Path dir;

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A good little-endian int16 image with smooth (compressible) values. */
    private static NiftiImage goodImage() {
        short[] v = new short[8 * 7 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (100 * Math.sin(i * 0.05) + i % 13);
        }
        return NiftiImage.builder().shape(SHAPE).int16(v).spacing(1, 1, 2).build();
    }

    private Path good(String name, NiftiVersion version) throws IOException {
        Path p = dir.resolve(name);
        NiftiWriter.builder().version(version).build().write(goodImage(), p);
        return p;
    }

    /** The uncompressed bytes of a good single file. */
    private byte[] goodBytes(NiftiVersion version) throws IOException {
        return Files.readAllBytes(good("source-" + version + ".nii", version));
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(content);
        }
        return bos.toByteArray();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Asserts NiftiReader.read fails with a NiftiFormatException naming the file and each fragment. */
    private static void assertReadFails(Path p, String... fragments) {
        Throwable t = catchThrowable(() -> NiftiReader.read(p));
        assertThat(t).as("read(%s)", p.getFileName()).isInstanceOf(NiftiFormatException.class);
        assertThat(t.getMessage()).contains(p.getFileName().toString()).contains(fragments);
    }

    /** As {@link #assertReadFails} and readHeader fails the same way. */
    private static void assertHeaderFails(Path p, String... fragments) {
        assertReadFails(p, fragments);
        Throwable t = catchThrowable(() -> NiftiReader.readHeader(p));
        assertThat(t).as("readHeader(%s)", p.getFileName()).isInstanceOf(NiftiFormatException.class);
        assertThat(t.getMessage()).contains(p.getFileName().toString()).contains(fragments);
    }

    // ---- header ---------------------------------------------------------------------------------------------

    @Test
    void truncatedHeaders() throws Exception {
        byte[] one = goodBytes(NiftiVersion.NIFTI1);
        byte[] two = goodBytes(NiftiVersion.NIFTI2);
        assertHeaderFails(file("empty.nii", new byte[0]), "truncated header", "0 bytes");
        assertHeaderFails(file("two-bytes.nii", Arrays.copyOf(one, 2)), "truncated header");
        assertHeaderFails(file("cut1.nii", Arrays.copyOf(one, 200)), "truncated header", "348", "200");
        assertHeaderFails(file("cut2.nii", Arrays.copyOf(two, 400)), "truncated header", "540", "400");
        assertHeaderFails(file("cut1.nii.gz", gzip(Arrays.copyOf(one, 300))), "truncated header", "300");
    }

    @Test
    void notNiftiAtAll() throws Exception {
        byte[] text = "hello, this is not an image at all... ".repeat(20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertHeaderFails(file("text.nii", text), "sizeof_hdr", "348", "540");
        byte[] b = goodBytes(NiftiVersion.NIFTI1);
        le(b).putInt(0, 349);
        assertHeaderFails(file("size349.nii", b), "sizeof_hdr is 349");
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] b = goodBytes(NiftiVersion.NIFTI1);
        b[344] = 'x';
        b[345] = 'y';
        assertHeaderFails(file("magic1.nii", b), "wrong magic", "xy");
        byte[] c = goodBytes(NiftiVersion.NIFTI2);
        c[6] = '3'; // "n+3"
        assertHeaderFails(file("magic2.nii", c), "wrong magic", "n+3");
        byte[] d = goodBytes(NiftiVersion.NIFTI2);
        d[9] = '\r'; // \r\n\032\n -> \r\r\032\n, as a text-mode transfer would do
        assertHeaderFails(file("signature2.nii", d), "magic bytes 4..7");
    }

    @Test
    void analyze75IsNamed() throws Exception {
        byte[] b = goodBytes(NiftiVersion.NIFTI1);
        Arrays.fill(b, 344, 348, (byte) 0);
        assertHeaderFails(file("analyze.hdr", Arrays.copyOf(b, 348)), "Analyze 7.5", "not supported");
    }

    @Test
    void badDimensionsNifti1() throws Exception {
        int[][] edits = { // {index into dim[], value}
            {0, 0}, {0, 8}, {0, -1}, {1, 0}, {2, -5}, {3, Short.MIN_VALUE},
        };
        for (int[] e : edits) {
            byte[] b = goodBytes(NiftiVersion.NIFTI1);
            le(b).putShort(40 + 2 * e[0], (short) e[1]);
            assertHeaderFails(file("dim" + e[0] + "_" + e[1] + ".nii", b), "dim[" + e[0] + "] ", "" + e[1]);
        }
        byte[] b = goodBytes(NiftiVersion.NIFTI1);
        ByteBuffer h = le(b);
        h.putShort(40, (short) 7);
        for (int d = 1; d <= 7; d++) {
            h.putShort(40 + 2 * d, Short.MAX_VALUE); // 32767^7 voxels overflows a long
        }
        assertHeaderFails(file("dims-overflow.nii", b), "overflows");
    }

    @Test
    void badDimensionsNifti2() throws Exception {
        byte[] b = goodBytes(NiftiVersion.NIFTI2);
        le(b).putLong(16 + 8, 1L << 31); // dim[1] = 2^31
        assertHeaderFails(file("dim-2pow31.nii", b), "dim[1] is 2147483648");

        byte[] c = goodBytes(NiftiVersion.NIFTI2);
        for (int d = 1; d <= 3; d++) {
            le(c).putLong(16 + 8 * d, Integer.MAX_VALUE); // (2^31-1)^3 voxels overflows a long
        }
        assertHeaderFails(file("dims-overflow2.nii", c), "overflows");

        byte[] e = goodBytes(NiftiVersion.NIFTI2);
        le(e).putLong(16 + 8, -3);
        assertHeaderFails(file("dim-neg2.nii", e), "dim[1] is -3");
    }

    @Test
    void unsupportedDatatypes() throws Exception {
        for (int[] code : new int[][] {{128, 24}, {32, 64}, {0, 0}, {1, 1}, {1536, 128}, {999, 16}}) {
            byte[] b = goodBytes(NiftiVersion.NIFTI1);
            le(b).putShort(70, (short) code[0]).putShort(72, (short) code[1]);
            assertHeaderFails(file("dt" + code[0] + ".nii", b), "datatype " + code[0], "not supported");
        }
        byte[] rgb = goodBytes(NiftiVersion.NIFTI1);
        le(rgb).putShort(70, (short) 128);
        assertHeaderFails(file("rgb.nii", rgb), "RGB24");
    }

    @Test
    void badVoxOffsetAndScaling() throws Exception {
        for (float off : new float[] {Float.NaN, -352, 352.5f, Float.POSITIVE_INFINITY}) {
            byte[] b = goodBytes(NiftiVersion.NIFTI1);
            le(b).putFloat(108, off);
            assertHeaderFails(file("off" + off + ".nii", b), "vox_offset is " + (double) off);
        }
        byte[] inside = goodBytes(NiftiVersion.NIFTI1);
        le(inside).putFloat(108, 100);
        assertReadFails(file("off-inside.nii", inside), "vox_offset is 100", "352");
        byte[] beyond = goodBytes(NiftiVersion.NIFTI1);
        le(beyond).putFloat(108, 1e30f);
        assertHeaderFails(file("off-beyond.nii", beyond), "vox_offset is 1.0000000150474662E30", "corrupt");
        assertHeaderFails(file("off-beyond.nii.gz", gzip(beyond)), "vox_offset is 1.0000000150474662E30");

        byte[] code = goodBytes(NiftiVersion.NIFTI1);
        le(code).putShort(254, (short) 7);
        assertHeaderFails(file("sform7.nii", code), "sform_code is 7");
        byte[] code2 = goodBytes(NiftiVersion.NIFTI2);
        le(code2).putInt(344, -1);
        assertHeaderFails(file("qform-1.nii", code2), "qform_code is -1");

        byte[] inf = goodBytes(NiftiVersion.NIFTI1);
        le(inf).putFloat(112, Float.POSITIVE_INFINITY);
        assertHeaderFails(file("slope-inf.nii", inf), "scl_slope", "Infinity");
    }

    /** The read error's message without the leading file path (temp folders hold dashes). */
    private static String afterPath(Path p) {
        String m = catchThrowable(() -> NiftiReader.read(p)).getMessage();
        return m.substring(m.indexOf(p.toString()) + p.toString().length());
    }

    @Test
    void hugeVoxOffsetIsReportedWithTheNumbersOfTheFile() throws Exception {
        byte[] one = goodBytes(NiftiVersion.NIFTI1);
        le(one).putFloat(108, 1e15f); // a whole number a long holds, far beyond the file
        Path p = file("off-huge1.nii", one);
        assertReadFails(p, "vox_offset is 999999986991104 but the file has only " + one.length + " bytes");
        assertThat(afterPath(p)).as("no negative (overflowed) number").doesNotContainPattern("-[0-9]");

        byte[] two = goodBytes(NiftiVersion.NIFTI2);
        le(two).putLong(168, Long.MAX_VALUE - 7); // offset + data size would overflow a long
        Path q = file("off-huge2.nii", two);
        assertReadFails(q, "vox_offset is " + (Long.MAX_VALUE - 7), "only " + two.length + " bytes");
        assertThat(afterPath(q)).as("no negative (overflowed) number").doesNotContainPattern("-[0-9]");
        Path qz = file("off-huge2.nii.gz", gzip(two));
        assertReadFails(qz, "vox_offset " + (Long.MAX_VALUE - 7));
        assertThat(afterPath(qz)).as("no negative (overflowed) number").doesNotContainPattern("-[0-9]");
    }

    @Test
    void aDirectoryIsNamedAsNotANiftiFile() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("case_00000.nii.gz"));
        assertHeaderFails(folder, "is a directory, not a NIfTI file");
        Path missing = dir.resolve("nothing-here.nii.gz");
        assertThat(catchThrowable(() -> NiftiReader.read(missing)))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("nothing-here.nii.gz");
    }

    @Test
    void aGzipCutInsideItsTrailerSaysSoInsteadOfNull() throws Exception {
        byte[] gz = Files.readAllBytes(good("trailer.nii.gz", NiftiVersion.NIFTI1));
        for (int cut : new int[] {1, 4, 7, 8}) {
            Path q = file("trailer-" + cut + ".nii.gz", Arrays.copyOf(gz, gz.length - cut));
            assertReadFails(q, "truncated gzip file", "before the end of its gzip trailer");
            assertThat(catchThrowable(() -> NiftiReader.read(q)).getMessage()).doesNotContain("null");
        }
        Path mid = file("trailer-mid.nii.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThat(catchThrowable(() -> NiftiReader.read(mid)).getMessage()).doesNotContain("null")
                .contains("trailer-mid.nii.gz");
    }

    // ---- data ------------------------------------------------------------------------------------------------

    @Test
    void truncatedData() throws Exception {
        byte[] b = goodBytes(NiftiVersion.NIFTI1);
        byte[] cut = Arrays.copyOf(b, b.length - 1);
        Path p = file("short.nii", cut);
        assertThat(NiftiReader.readHeader(p).shape()).containsExactly(SHAPE); // the header itself is fine
        assertReadFails(p, "truncated data", "" + b.length, "" + cut.length);
        assertReadFails(file("short.nii.gz", gzip(cut)), "truncated data", "ends after " + (cut.length - 352));
        assertReadFails(file("header-only.nii.gz", gzip(Arrays.copyOf(b, 352))), "truncated data");

        byte[] two = goodBytes(NiftiVersion.NIFTI2);
        assertReadFails(file("short2.nii", Arrays.copyOf(two, two.length - 100)), "truncated data");

        // pair: the .img is one voxel short
        Path hdr = dir.resolve("pair.hdr");
        NiftiWriter.defaults().write(goodImage(), hdr);
        Path img = dir.resolve("pair.img");
        byte[] data = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(data, data.length - 2));
        Throwable t = catchThrowable(() -> NiftiReader.read(hdr));
        assertThat(t).isInstanceOf(NiftiFormatException.class);
        assertThat(t.getMessage()).contains("pair.img", "truncated data", "670");
        Files.delete(img);
        Files.delete(hdr);
        NiftiWriter.defaults().write(goodImage(), dir.resolve("lonely.img"));
        Files.delete(dir.resolve("lonely.hdr"));
        assertReadFails(dir.resolve("lonely.img"), "missing header");
    }

    @Test
    void truncatedGzipStream() throws Exception {
        Path p = good("cut.nii.gz", NiftiVersion.NIFTI1);
        byte[] gz = Files.readAllBytes(p);
        for (int keep : new int[] {10, 100, gz.length / 2, gz.length - 9, gz.length - 1}) {
            Path q = file("cut" + keep + ".nii.gz", Arrays.copyOf(gz, keep));
            Throwable t = catchThrowable(() -> NiftiReader.read(q));
            assertThat(t).as("cut at %d of %d", keep, gz.length).isInstanceOf(NiftiFormatException.class);
            assertThat(t.getMessage()).contains(q.getFileName().toString());
        }
    }

    @Test
    void corruptGzipIsDetectedAtEveryFlip() throws Exception {
        // Bigger, varied data so the middle of the file is deflate data, not header.
        short[] v = new short[40 * 40 * 20];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (1000 * Math.sin(i * 0.01) + rnd.nextInt(50));
        }
        Path p = dir.resolve("good.nii.gz");
        NiftiWriter.defaults().write(NiftiImage.builder().shape(40, 40, 20).int16(v).build(), p);
        byte[] gz = Files.readAllBytes(p);
        int detected = 0;
        for (int trial = 0; trial < 60; trial++) {
            byte[] bad = gz.clone();
            int pos = gz.length / 4 + rnd.nextInt(gz.length / 2);
            int len = 1 + rnd.nextInt(4);
            for (int k = 0; k < len; k++) {
                bad[pos + k] ^= (byte) (1 + rnd.nextInt(255));
            }
            Path q = file("flip" + trial + ".nii.gz", bad);
            Throwable t = catchThrowable(() -> NiftiReader.read(q));
            assertThat(t).as("flip %d bytes at %d of %d", len, pos, gz.length).isInstanceOf(NiftiFormatException.class);
            assertThat(t.getMessage()).contains(q.getFileName().toString()).containsIgnoringCase("gzip");
            detected++;
        }
        assertThat(detected).isEqualTo(60);
    }

    // ---- lying sizes -----------------------------------------------------------------------------------------

    @Test
    void hugeClaimsInSmallFilesFailWithoutAllocating() throws Exception {
        // 60000^3 int16 (432 TB) in a NIfTI-2 file of a few hundred bytes, plain and gzipped
        byte[] b = goodBytes(NiftiVersion.NIFTI2);
        for (int d = 1; d <= 3; d++) {
            le(b).putLong(16 + 8 * d, 60000);
        }
        Path plain = file("huge.nii", b);
        assertThat(NiftiReader.readHeader(plain).voxelCount()).isEqualTo(216_000_000_000_000L);
        assertReadFails(plain, "60000, 60000, 60000");
        assertReadFails(file("huge.nii.gz", gzip(b)), "60000, 60000, 60000");

        // within array limits but far beyond the file: 30000 x 30000 x 2 int16 = 3.6 GB
        byte[] c = goodBytes(NiftiVersion.NIFTI1);
        le(c).putShort(42, (short) 30000).putShort(44, (short) 30000).putShort(46, (short) 2);
        assertReadFails(file("big.nii", c), "truncated data", "3600000000");
        assertReadFails(file("big.nii.gz", gzip(c)), "cannot come out of a");

        // a claim that deflate could in principle produce (1 MB from a ~1 KB gzip): allocates 1 MB, then EOF
        byte[] e = goodBytes(NiftiVersion.NIFTI1);
        le(e).putShort(42, (short) 1000).putShort(44, (short) 500).putShort(46, (short) 1);
        assertReadFails(file("eof.nii.gz", gzip(e)), "truncated data");
    }

    @Test
    void claimLargerThanTheHeapIsAFormatError() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assumeTrue(maxHeap < 4L << 30, "needs a heap below 4 GiB (surefire runs with -Xmx3g), have " + maxHeap);
        // dims for int16 data just over the heap, stored in a gzip large enough to pass the deflate-ratio check
        long voxels = maxHeap / 2 + 1_000_000;
        int nx = 16384;
        int ny = (int) (voxels / nx + 1);
        byte[] header = Arrays.copyOf(goodBytes(NiftiVersion.NIFTI2), 544);
        le(header).putLong(24, nx).putLong(32, ny).putLong(40, 1);
        byte[] noise = new byte[(int) (maxHeap / 1000)];
        new SplittableRandom(3).nextBytes(noise);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(header);
            gz.write(noise);
        }
        assertReadFails(file("over-heap.nii.gz", bos.toByteArray()), "heap");
    }

    // ---- fuzz: anything in the header may be wrong, only NiftiFormatException may come out ----------------

    @Test
    void randomHeaderCorruptionGivesOnlyFormatErrorsOrAValidImage() throws Exception {
        SplittableRandom rnd = new SplittableRandom(2024);
        for (NiftiVersion version : NiftiVersion.values()) {
            byte[] good = goodBytes(version);
            for (int trial = 0; trial < 300; trial++) {
                byte[] bad = good.clone();
                int flips = 1 + rnd.nextInt(6);
                for (int k = 0; k < flips; k++) {
                    bad[rnd.nextInt(version.headerSize())] = (byte) rnd.nextInt(256);
                }
                boolean gz = trial % 3 == 0;
                Path q = file("fuzz" + version + "-" + trial + (gz ? ".nii.gz" : ".nii"), gz ? gzip(bad) : bad);
                Throwable t = catchThrowable(() -> NiftiReader.read(q));
                if (t != null) {
                    assertThat(t).as("trial %d: %s", trial, t).isInstanceOf(NiftiFormatException.class);
                    assertThat(t.getMessage()).contains(q.getFileName().toString());
                }
                Files.delete(q);
            }
        }
    }

    @Test
    void randomGzipCorruptionAnywhereGivesOnlyFormatErrorsOrAValidImage() throws Exception {
        // Flips anywhere, gzip header and trailer included (a flipped MTIME byte is harmless and may read fine).
        byte[] gz = Files.readAllBytes(good("any.nii.gz", NiftiVersion.NIFTI1));
        SplittableRandom rnd = new SplittableRandom(77);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bad = gz.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            Path q = file("gzfuzz" + trial + ".nii.gz", bad);
            Throwable t = catchThrowable(() -> NiftiReader.read(q));
            if (t != null) {
                assertThat(t).as("trial %d: %s", trial, t).isInstanceOf(NiftiFormatException.class);
            } else {
                assertThat(NiftiReader.read(q).sameVoxels(goodImage())).as("trial %d read without error", trial)
                        .isTrue();
            }
            Files.delete(q);
        }
    }
}
