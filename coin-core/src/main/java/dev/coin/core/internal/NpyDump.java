package dev.coin.core.internal;

import dev.coin.core.nn.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-image values as a 1-D float64 {@code .npy} file (COIN-Aligned dumps its per-image IoUs this way, §9.9), for
 * plotting or statistics in numpy.
 *
 * <pre>{@code
 * NpyDump.write(iou.perImage(), out.resolve("iou_per_image.npy"));   // np.load(...) → shape (n,)
 * }</pre>
 */
public final class NpyDump {
    private NpyDump() {
    }

    /** Writes {@code values} (written to a temporary sibling, then moved). */
    public static void write(double[] values, Path file) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values is empty; nothing to dump to " + file);
        }
        byte[] bytes = Npy.write(Nd4j.createFromArray(values));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
