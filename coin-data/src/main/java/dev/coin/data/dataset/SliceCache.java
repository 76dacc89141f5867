package dev.coin.data.dataset;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.coin.data.image.FloatImage;
import dev.coin.data.slice.Slice;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-scan cache of sliced data, so that only the first epoch decodes NIfTI files.
 *
 * <p>Each scan's slices go to one file {@code <dir>/<scanId>.slices} (written atomically); later calls
 * memory-map that file instead of re-reading the volume, and a bounded in-memory layer (by bytes) serves repeated
 * accesses. The folder must be specific to the slicing configuration: {@link #forConfig} derives it from a key
 * such as {@code SliceConfig.toString()}, so changing a threshold never serves stale slices.
 */
public final class SliceCache {
    private static final Logger LOG = LoggerFactory.getLogger(SliceCache.class);
    private static final int MAGIC = 0x434F534C; // "COSL"
    /** 2: adds the anatomical index after the slice index. Files of another version are rebuilt, not read. */
    private static final int VERSION = 2;

    private final Path dir;
    private final Cache<String, List<Slice>> memory;
    private long computed;
    private long loadedFromDisk;

    private SliceCache(Path dir, long maxMemoryBytes) {
        this.dir = dir;
        this.memory = CacheBuilder.newBuilder().maximumWeight(maxMemoryBytes)
                .<String, List<Slice>>weigher((k, v) -> (int) Math.min(Integer.MAX_VALUE, bytesOf(v)))
                .build();
    }

    /**
     * A cache in {@code dir} (created if needed) holding at most {@code maxMemoryBytes} of slices in memory;
     * the rest is memory-mapped from disk on demand.
     */
    public static SliceCache in(Path dir, long maxMemoryBytes) {
        if (maxMemoryBytes < 0) {
            throw new IllegalArgumentException("maxMemoryBytes must be >= 0, got " + maxMemoryBytes);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create slice cache folder " + dir, e);
        }
        return new SliceCache(dir, maxMemoryBytes);
    }

    /** A cache in a sub-folder of {@code root} named by a hash of {@code configKey}. */
    public static SliceCache forConfig(Path root, String configKey, long maxMemoryBytes) {
        String h = com.google.common.hash.Hashing.sha256().hashString(configKey, StandardCharsets.UTF_8).toString();
        return in(root.resolve("slices-" + h.substring(0, 12)), maxMemoryBytes);
    }

    public Path directory() {
        return dir;
    }

    /** The slices of {@code scanId}: from memory, else from disk, else computed by {@code compute} and stored. */
    public List<Slice> slices(String scanId, Supplier<List<Slice>> compute) {
        try {
            return memory.get(scanId, () -> loadOrCompute(scanId, compute));
        } catch (ExecutionException | com.google.common.util.concurrent.UncheckedExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot load slices of " + scanId, c);
        }
    }

    /** How many scans were computed (not found in the cache) since this object was created. */
    public synchronized long computedScans() {
        return computed;
    }

    /** How many scans were read back from disk since this object was created. */
    public synchronized long diskLoads() {
        return loadedFromDisk;
    }

    private List<Slice> loadOrCompute(String scanId, Supplier<List<Slice>> compute) throws IOException {
        Path file = dir.resolve(safeName(scanId) + ".slices");
        if (Files.exists(file)) {
            int version = versionOf(file);
            if (version == VERSION) {
                synchronized (this) {
                    loadedFromDisk++;
                }
                return read(file);
            }
            LOG.warn("Slice cache file {} has format version {}, this code writes {}; rebuilding it", file, version,
                    VERSION);
        }
        List<Slice> slices = List.copyOf(compute.get());
        synchronized (this) {
            computed++;
        }
        write(file, slices);
        LOG.debug("Cached {} slices of {} in {}", slices.size(), scanId, file);
        return slices;
    }

    /** The format version in a cache file's header, or -1 when the file does not start with the magic. */
    private static int versionOf(Path file) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(file))) {
            return in.readInt() == MAGIC ? in.readInt() : -1;
        } catch (java.io.EOFException e) {
            return -1;
        }
    }

    static String safeName(String scanId) {
        return scanId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static long bytesOf(List<Slice> slices) {
        long b = 64;
        for (Slice s : slices) {
            b += (long) s.height() * s.width() * (4 + s.masks().size()) + 128;
        }
        return b;
    }

    private static void write(Path file, List<Slice> slices) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(slices.size());
            for (Slice s : slices) {
                out.writeUTF(s.scanId());
                out.writeInt(s.sliceIndex());
                out.writeInt(s.anatomicalIndex());
                out.writeInt(s.label());
                out.writeDouble(s.relativeHeight());
                out.writeInt(s.height());
                out.writeInt(s.width());
                out.writeInt(s.masks().size());
                for (String name : s.maskNames()) {
                    out.writeUTF(name);
                }
                ByteBuffer bb = ByteBuffer.allocate(s.height() * s.width() * 4).order(ByteOrder.BIG_ENDIAN);
                bb.asFloatBuffer().put(s.image().toArray());
                out.write(bb.array());
                for (FloatImage m : s.masks()) {
                    float[] px = m.toArray();
                    byte[] bits = new byte[px.length];
                    for (int i = 0; i < px.length; i++) {
                        if (px[i] != 0f && px[i] != 1f) {
                            throw new IllegalArgumentException("mask of " + s.scanId() + "#" + s.sliceIndex()
                                    + " holds " + px[i] + " at pixel " + i + "; masks must be binary (0/1)");
                        }
                        bits[i] = (byte) px[i];
                    }
                    out.write(bits);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<Slice> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            in.order(ByteOrder.BIG_ENDIAN);
            if (in.getInt() != MAGIC || in.getInt() != VERSION) {
                throw new IllegalStateException("slice cache file " + file + " is not a version-" + VERSION
                        + " cache file; delete the cache folder " + file.getParent());
            }
            int n = in.getInt();
            List<Slice> out = new ArrayList<>(n);
            for (int s = 0; s < n; s++) {
                String scan = readUtf(in);
                int k = in.getInt();
                int anatomical = in.getInt();
                int label = in.getInt();
                double rel = in.getDouble();
                int h = in.getInt();
                int w = in.getInt();
                int channels = in.getInt();
                List<String> names = new ArrayList<>(channels);
                for (int c = 0; c < channels; c++) {
                    names.add(readUtf(in));
                }
                float[] img = new float[h * w];
                in.asFloatBuffer().get(img);
                in.position(in.position() + h * w * 4);
                List<FloatImage> masks = new ArrayList<>(channels);
                byte[] bits = new byte[h * w];
                for (int c = 0; c < channels; c++) {
                    in.get(bits);
                    float[] m = new float[h * w];
                    for (int i = 0; i < m.length; i++) {
                        m[i] = bits[i];
                    }
                    masks.add(FloatImage.wrap(h, w, m));
                }
                out.add(new Slice(scan, k, anatomical, label, rel, FloatImage.wrap(h, w, img), names, masks));
            }
            return List.copyOf(out);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalStateException("slice cache file " + file + " is truncated; delete it to rebuild", e);
        }
    }

    private static String readUtf(ByteBuffer in) {
        int len = Short.toUnsignedInt(in.getShort());
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8); // writeUTF's modified UTF-8 equals UTF-8 for ids without NUL
    }

    @Override
    public String toString() {
        return "SliceCache[" + dir + ", " + memory.size() + " scans in memory]";
    }
}
