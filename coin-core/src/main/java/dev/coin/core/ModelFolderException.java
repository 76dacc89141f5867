package dev.coin.core;

import java.nio.file.Path;

/**
 * A folder given to {@link TrainedPipeline#load} or {@link TrainedPipeline#save} that is not (or cannot become) a
 * saved COIN model: absent, missing a file, corrupt, or (for saving) an unrelated folder that would be overwritten.
 * The message names the path, what is wrong and what to do.
 */
public final class ModelFolderException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public ModelFolderException(Path path, String message) {
        super(message);
        this.path = path;
    }

    public ModelFolderException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The file or folder at fault. */
    public Path path() {
        return path;
    }
}
