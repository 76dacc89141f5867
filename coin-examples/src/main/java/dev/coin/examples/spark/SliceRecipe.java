package dev.coin.examples.spark;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.slice.SliceConfig;
import java.io.Serializable;

/**
 * How a dataset's slices are cut once its window is known, in a form Spark can ship to executors
 * ({@link SliceConfig} itself is not serialisable): the same function {@code CtDataset.Builder.sliceConfig} takes.
 */
@FunctionalInterface
public interface SliceRecipe extends Serializable {
    SliceConfig sliceConfig(DatasetLayout layout, CtWindow window);

    /** The layout's own slicing ({@link DatasetLayout#sliceConfig}) at {@code size}² pixels, the model's input size. */
    static SliceRecipe layoutDefault(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0, got " + size);
        }
        return (layout, window) -> layout.sliceConfig(window).toBuilder().outputSize(size, size).build();
    }
}
