package dev.coin.data.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads NIfTI-1 and NIfTI-2 files: single {@code .nii} / {@code .nii.gz} files and {@code .hdr}/{@code .img}
 * pairs (either part may be gzipped), both byte orders. Extensions and anything else before {@code vox_offset}
 * are skipped. Data are decoded in large chunks with bulk byte-order conversion; nothing is allocated from header
 * values before they are checked against the file size, so a lying header gives a {@link NiftiFormatException},
 * never an {@link OutOfMemoryError}.
 *
 * <pre>{@code
 * NiftiHeader h = NiftiReader.readHeader(Path.of("ct.nii.gz"));   // header only
 * NiftiImage img = NiftiReader.read(Path.of("ct.nii.gz"));        // header and voxels
 * }</pre>
 */
public final class NiftiReader {
    private static final Logger LOG = LoggerFactory.getLogger(NiftiReader.class);
    /** Bytes converted per bulk call; a multiple of 8 so no voxel straddles two chunks. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** Largest Java array the image store can hold. */
    private static final long MAX_VOXELS = Integer.MAX_VALUE - 8;
    /** Deflate cannot expand data by more than about 1032:1; a header claiming more than this is lying. */
    private static final long MAX_DEFLATE_RATIO = 1100;

    private NiftiReader() {
    }

    /**
     * Reads and validates the header only (no voxel data are touched).
     *
     * @param path a {@code .nii}, {@code .nii.gz}, {@code .hdr} (or {@code .img}, whose header is read)
     * @throws NiftiFormatException for a file that is not a valid NIfTI-1/2 header
     * @throws IOException          when the file cannot be read
     */
    public static NiftiHeader readHeader(Path path) throws IOException {
        Path hdrFile = NiftiFiles.headerFile(path);
        boolean gz = NiftiFiles.isGzip(hdrFile);
        try (InputStream in = NiftiFiles.open(hdrFile, gz)) {
            return NiftiHeaderCodec.decode(in, hdrFile);
        } catch (ZipException | EOFException e) {
            throw corruptGzip(hdrFile, e);
        }
    }

    /**
     * Reads header and voxels.
     *
     * @param path a {@code .nii}, {@code .nii.gz}, or either half of a {@code .hdr}/{@code .img} pair
     * @throws NiftiFormatException for invalid headers, truncated or corrupt data, a missing {@code .img}
     * @throws IOException          when the file cannot be read
     */
    public static NiftiImage read(Path path) throws IOException {
        long t0 = System.nanoTime();
        Path hdrFile = NiftiFiles.headerFile(path);
        boolean gz = NiftiFiles.isGzip(hdrFile);
        NiftiHeader h;
        NiftiImage image = null;
        boolean pair = NiftiFiles.isHeaderOfPair(hdrFile);
        try (InputStream in = NiftiFiles.open(hdrFile, gz)) {
            h = NiftiHeaderCodec.decode(in, hdrFile);
            if (!pair) {
                if (!h.singleFile()) {
                    throw new NiftiFormatException(hdrFile, "magic says \".hdr/.img pair\" (ni1/ni2) but the file is "
                            + "not named .hdr; rename it to .hdr next to its .img, or fix the magic to n+1/n+2");
                }
                long offset = singleFileOffset(h, hdrFile);
                image = new NiftiImage(h, readData(in, h, hdrFile, gz, offset, offset - h.version().headerSize()));
            }
        } catch (ZipException | EOFException e) {
            throw corruptGzip(hdrFile, e);
        }
        if (pair) {
            if (h.singleFile()) {
                LOG.warn("{}: single-file magic in a .hdr file; reading the voxels from the .img", hdrFile);
            }
            image = readPairData(hdrFile, h);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("read {} {} in {} ms", path, Arrays.toString(image.shape()), (System.nanoTime() - t0) / 1_000_000);
        }
        return image;
    }

    private static NiftiImage readPairData(Path hdrFile, NiftiHeader h) throws IOException {
        Path img = NiftiFiles.imageFileOfPair(hdrFile);
        boolean gz = NiftiFiles.isGzip(img);
        try (InputStream in = NiftiFiles.open(img, gz)) {
            return new NiftiImage(h, readData(in, h, img, gz, h.voxOffset(), h.voxOffset()));
        } catch (ZipException | EOFException e) {
            throw corruptGzip(img, e);
        }
    }

    /** vox_offset of a single file; 0 (written by some old tools) means "right after the header". */
    private static long singleFileOffset(NiftiHeader h, Path file) throws NiftiFormatException {
        long offset = h.voxOffset();
        int minimum = h.version().headerSize();
        if (offset == 0) {
            LOG.warn("{}: vox_offset is 0 in a single file; assuming the data start at {}", file,
                    h.version().minSingleFileOffset());
            return h.version().minSingleFileOffset();
        }
        if (offset < minimum) {
            throw new NiftiFormatException(file, "vox_offset is " + offset + ", inside the " + minimum
                    + "-byte header; a single " + h.version() + " file needs vox_offset >= "
                    + h.version().minSingleFileOffset());
        }
        return offset;
    }

    /**
     * Reads the voxels after checking the claimed size against the file.
     *
     * @param offset absolute data offset in the (decompressed) file, for size checks and messages
     * @param skip   bytes to skip in {@code in} before the data
     */
    private static VoxelData readData(InputStream in, NiftiHeader h, Path file, boolean gz, long offset, long skip)
            throws IOException {
        long count = h.voxelCount();
        long bytes = h.dataBytes();
        String claim = "dim " + Arrays.toString(h.shape()) + " of " + h.dataType().name().toLowerCase() + " = "
                + bytes + " data bytes at vox_offset " + offset;
        if (count > MAX_VOXELS) {
            throw new NiftiFormatException(file, claim + ": " + count + " voxels is more than an in-memory image "
                    + "holds (" + MAX_VOXELS + "); readHeader still works for such files");
        }
        long fileSize = Files.size(file);
        if (!gz && offset > fileSize) {
            throw new NiftiFormatException(file, "vox_offset is " + offset + " but the file has only " + fileSize
                    + " bytes; the data (" + bytes + " bytes) must start inside the file: the header is corrupt");
        }
        if (!gz && fileSize - offset < bytes) {
            throw new NiftiFormatException(file, "truncated data: " + claim + " need " + (offset + bytes)
                    + " bytes but the file has " + fileSize);
        }
        long inflateLimit = MAX_DEFLATE_RATIO * fileSize + 4096;
        if (gz && (offset > inflateLimit || bytes > inflateLimit - offset)) {
            throw new NiftiFormatException(file, "truncated data or wrong dims: " + claim + " cannot come out of a "
                    + fileSize + "-byte gzip file (deflate expands at most ~1000x)");
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (bytes > maxHeap) {
            throw new NiftiFormatException(file, claim + " do not fit the maximum heap of " + maxHeap
                    + " bytes; raise -Xmx");
        }
        VoxelData data;
        try {
            data = VoxelData.allocate(h.dataType(), (int) count);
        } catch (OutOfMemoryError e) { // one big array; nothing else is disturbed when it fails
            throw new NiftiFormatException(file, claim + " do not fit the free heap (" + maxHeap
                    + " bytes maximum); raise -Xmx or read fewer images at once");
        }
        try {
            in.skipNBytes(skip);
        } catch (EOFException e) {
            throw new NiftiFormatException(file, "truncated file: it ends before vox_offset " + offset);
        }
        int bpv = h.dataType().bytesPerVoxel();
        int chunkVoxels = CHUNK_BYTES / bpv;
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, bytes)];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(h.byteOrder());
        int done = 0;
        while (done < count) {
            int n = (int) Math.min(chunkVoxels, count - done);
            int want = n * bpv;
            int got = in.readNBytes(chunk, 0, want);
            if (got < want) {
                throw new NiftiFormatException(file, "truncated data: " + claim + " but the file ends after "
                        + ((long) done * bpv + got) + " data bytes");
            }
            buf.clear();
            data.decode(buf, done, n);
            done += n;
        }
        if (gz) {
            // Read to the end so GZIPInputStream checks the CRC and length trailer: corruption that still inflates
            // to the right number of bytes is caught here.
            while (in.read(chunk) >= 0) {
                // discard trailing bytes (normally none)
            }
        }
        return data;
    }

    private static NiftiFormatException corruptGzip(Path file, IOException e) {
        if (e instanceof EOFException) {
            // GZIPInputStream throws a bare EOFException when the file stops inside the 8-byte CRC/size trailer
            String where = e.getMessage() == null ? "before the end of its gzip trailer (CRC and size)"
                    : "inside the compressed data (" + e.getMessage() + ")";
            return new NiftiFormatException(file, "truncated gzip file: it ends " + where
                    + "; re-download or re-export the file", e);
        }
        return new NiftiFormatException(file, "corrupt or truncated gzip data (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + "); re-download or re-export the file", e);
    }
}
