package dev.coin.data.nifti;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A NIfTI file that cannot be read: wrong magic, Analyze 7.5, truncated header or data, corrupt gzip, impossible
 * dimensions, unsupported datatype, a missing {@code .img}. The message names the file, the header field and the
 * bad value, so it can be shown to a user as is.
 */
public class NiftiFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path file;

    /**
     * @param file    the file being read (may be null when unknown)
     * @param message what is wrong, naming the field and the bad value
     */
    public NiftiFormatException(Path file, String message) {
        super(prefix(file) + message);
        this.file = file;
    }

    /** As {@link #NiftiFormatException(Path, String)}, keeping the low-level cause (e.g. a ZipException). */
    public NiftiFormatException(Path file, String message, Throwable cause) {
        super(prefix(file) + message, cause);
        this.file = file;
    }

    private static String prefix(Path file) {
        return file == null ? "" : file + ": ";
    }

    /** The file that failed to read, or null. */
    public Path file() {
        return file;
    }
}
