package dev.coin.data.nifti;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * File naming and opening: single files ({@code .nii}, {@code .nii.gz}) versus {@code .hdr}/{@code .img} pairs
 * (each part optionally gzipped). Compression is detected from the gzip magic bytes, not trusted from the name.
 */
final class NiftiFiles {
    /** Inflater input buffer; large so the file is read in few system calls. */
    static final int GZIP_BUFFER = 1 << 16;

    private NiftiFiles() {
    }

    /** True for names of the header half of a pair ({@code .hdr}, {@code .hdr.gz}). */
    static boolean isHeaderOfPair(Path p) {
        String n = lower(p);
        return n.endsWith(".hdr") || n.endsWith(".hdr.gz");
    }

    /** True for names of the image half of a pair ({@code .img}, {@code .img.gz}). */
    static boolean isImageOfPair(Path p) {
        String n = lower(p);
        return n.endsWith(".img") || n.endsWith(".img.gz");
    }

    /** The file holding the header: the path itself, or for an {@code .img} its {@code .hdr} (or .hdr.gz) sibling. */
    static Path headerFile(Path p) throws NiftiFormatException {
        if (Files.isDirectory(p)) {
            throw new NiftiFormatException(p, "is a directory, not a NIfTI file; pass a .nii, .nii.gz or .hdr/.img "
                    + "file (e.g. one inside this folder)");
        }
        if (!isImageOfPair(p)) {
            return p;
        }
        String base = stripPairExtension(p.getFileName().toString());
        Path hdr = p.resolveSibling(base + ".hdr");
        if (Files.exists(hdr)) {
            return hdr;
        }
        Path hdrGz = p.resolveSibling(base + ".hdr.gz");
        if (Files.exists(hdrGz)) {
            return hdrGz;
        }
        throw new NiftiFormatException(p, "missing header: expected " + hdr.getFileName() + " (or "
                + hdrGz.getFileName() + ") next to the .img");
    }

    /** The {@code .img} (or {@code .img.gz}) next to a pair header. */
    static Path imageFileOfPair(Path header) throws NiftiFormatException {
        String base = stripPairExtension(header.getFileName().toString());
        Path img = header.resolveSibling(base + ".img");
        if (Files.exists(img)) {
            return img;
        }
        Path imgGz = header.resolveSibling(base + ".img.gz");
        if (Files.exists(imgGz)) {
            return imgGz;
        }
        throw new NiftiFormatException(header, "missing .img: the header describes a .hdr/.img pair but neither "
                + img.getFileName() + " nor " + imgGz.getFileName() + " exists");
    }

    /** A name without {@code .hdr}, {@code .img}, {@code .hdr.gz} or {@code .img.gz}. */
    static String stripPairExtension(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".hdr.gz", ".img.gz", ".hdr", ".img"}) {
            if (n.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    /** True when the file starts with the gzip magic 1f 8b. */
    static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(2);
            return m.length == 2 && (m[0] & 0xFF) == 0x1F && (m[1] & 0xFF) == 0x8B;
        }
    }

    /** Opens a file, inflating it when it is gzip; the stream is buffered either way. */
    static InputStream open(Path p, boolean gzip) throws IOException {
        InputStream raw = Files.newInputStream(p);
        try {
            return gzip ? new GZIPInputStream(raw, GZIP_BUFFER) : new BufferedInputStream(raw, GZIP_BUFFER);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static String lower(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
