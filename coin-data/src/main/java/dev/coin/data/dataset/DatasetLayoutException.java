package dev.coin.data.dataset;

import java.nio.file.Path;

/**
 * A dataset folder does not hold the files its {@link DatasetLayout} expects. The message names the folder, what is
 * there, what the layout expects and how to fix it (e.g. {@code case_00003 has imaging.nii.gz but no
 * segmentation.nii.gz; KiTS19 layout expects case_XXXXX/{imaging,segmentation}.nii.gz}).
 *
 * <p>It extends {@link IllegalStateException}, which {@link DatasetLayout#scans()} threw before layouts had their
 * own type, so existing handlers keep working.
 */
public final class DatasetLayoutException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path root;

    public DatasetLayoutException(Path root, String message) {
        super(message);
        this.root = root;
    }

    /** The dataset root the layout was read from. */
    public Path root() {
        return root;
    }
}
