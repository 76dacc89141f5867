package dev.coin.data.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceCacheTest {

    @Test
    void computesOnceThenServesFromMemoryAndDiskIdentically(@TempDir Path dir) {
        List<Slice> original = List.of(BatchLoaderTest.slice(3, 8), BatchLoaderTest.slice(4, 8));
        AtomicInteger calls = new AtomicInteger();
        SliceCache cache = SliceCache.forConfig(dir, "cfg-A", 1 << 20);
        List<Slice> first = cache.slices("scan/0", () -> {
            calls.incrementAndGet();
            return original;
        });
        List<Slice> second = cache.slices("scan/0", () -> {
            calls.incrementAndGet();
            return original;
        });
        assertThat(calls).hasValue(1);
        assertThat(first).isEqualTo(original).isEqualTo(second);

        // A new cache object (a new process) reads the file back: no computation, identical slices.
        SliceCache reopened = SliceCache.forConfig(dir, "cfg-A", 1 << 20);
        List<Slice> fromDisk = reopened.slices("scan/0", () -> {
            throw new AssertionError("must not recompute");
        });
        assertThat(fromDisk).isEqualTo(original);
        assertThat(reopened.diskLoads()).isEqualTo(1);
        assertThat(reopened.computedScans()).isZero();

        // Another configuration never sees these slices.
        SliceCache other = SliceCache.forConfig(dir, "cfg-B", 1 << 20);
        assertThat(other.directory()).isNotEqualTo(cache.directory());
        other.slices("scan/0", () -> {
            calls.incrementAndGet();
            return original;
        });
        assertThat(calls).hasValue(2);
    }

    @Test
    void refusesNonBinaryMasksAndLeavesNoHalfWrittenFile(@TempDir Path dir) throws Exception {
        float[] soft = new float[16];
        soft[5] = 0.5f;
        Slice bad = BatchLoaderTest.slice(1, 4).withMask("soft", FloatImage.of(4, 4, soft));
        SliceCache cache = SliceCache.in(dir, 0);
        assertThatThrownBy(() -> cache.slices("x", () -> List.of(bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void keepsTheAnatomicalIndexAndRebuildsFilesOfTheOldFormat(@TempDir Path dir) throws Exception {
        Slice s = BatchLoaderTest.slice(3, 8);
        Slice headFirst = new Slice(s.scanId(), s.sliceIndex(), 41, s.label(), s.relativeHeight(), s.image(),
                s.maskNames(), s.masks());
        SliceCache.in(dir, 0).slices("hf", () -> List.of(headFirst));
        List<Slice> back = SliceCache.in(dir, 0).slices("hf", () -> {
            throw new AssertionError("must read the file");
        });
        assertThat(back).containsExactly(headFirst);
        assertThat(back.get(0).anatomicalIndex()).isEqualTo(41);

        // a version-1 file (no anatomical index) is rebuilt, never misread
        try (var out = new java.io.DataOutputStream(Files.newOutputStream(dir.resolve("old.slices")))) {
            out.writeInt(0x434F534C);
            out.writeInt(1);
            out.writeInt(1);
            out.writeUTF("old");
            out.writeInt(7);
        }
        SliceCache cache = SliceCache.in(dir, 0);
        assertThat(cache.slices("old", () -> List.of(headFirst))).containsExactly(headFirst);
        assertThat(cache.computedScans()).isEqualTo(1);
        assertThat(cache.diskLoads()).isZero();
        assertThat(SliceCache.in(dir, 0).slices("old", () -> {
            throw new AssertionError("the rebuilt file must be read");
        })).containsExactly(headFirst);
    }
}
