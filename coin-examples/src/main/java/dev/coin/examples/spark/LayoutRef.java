package dev.coin.examples.spark;

import dev.coin.data.dataset.DatasetLayout;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset layout as Spark ships it to executors (a {@link Path} is not serialisable): the root as a string and
 * the format. The root must be visible at the same path on every executor (a shared file system).
 */
record LayoutRef(String root, DatasetLayout.Format format) implements Serializable {
    LayoutRef {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(format, "format");
    }

    static LayoutRef of(DatasetLayout layout) {
        if (layout.format() == DatasetLayout.Format.TOTAL_SEGMENTATOR
                && !layout.kidneyStructures().equals(DatasetLayout.TOTAL_SEGMENTATOR_KIDNEYS)) {
            throw new IllegalArgumentException("TotalSegmentator layouts with other kidney structures than "
                    + DatasetLayout.TOTAL_SEGMENTATOR_KIDNEYS + " are not supported by the Spark jobs yet");
        }
        return new LayoutRef(layout.root().toAbsolutePath().toString(), layout.format());
    }

    DatasetLayout open() {
        Path r = Path.of(root);
        return switch (format) {
            case NNUNET -> DatasetLayout.nnUNet(r);
            case KITS19 -> DatasetLayout.kits19(r);
            case KITS23 -> DatasetLayout.kits23(r);
            case TOTAL_SEGMENTATOR -> DatasetLayout.totalSegmentator(r);
        };
    }

    /** The layout's scans by id, in id order (what {@link DatasetLayout#scans()} lists). */
    Map<String, DatasetLayout.ScanFiles> scansById(DatasetLayout layout) {
        Map<String, DatasetLayout.ScanFiles> m = new LinkedHashMap<>();
        layout.scans().forEach(s -> m.put(s.id(), s));
        return m;
    }
}
