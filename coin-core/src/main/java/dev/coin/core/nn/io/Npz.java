package dev.coin.core.nn.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NumPy {@code .npz} archives (a zip of {@code <key>.npy} entries, as {@code np.savez} writes them: stored). */
public final class Npz {
    private Npz() {
    }

    /** Reads every array, keyed by entry name without {@code .npy}, in archive order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads every array from a stream holding an npz archive. */
    public static Map<String, INDArray> read(InputStream in) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
            String name = e.getName();
            if (!name.endsWith(".npy")) {
                throw new IOException("npz entry '" + name + "' is not an .npy file");
            }
            out.put(name.substring(0, name.length() - 4), Npy.read(zip.readAllBytes()));
        }
        return out;
    }

    /** Writes {@code arrays} (insertion order) to {@code file}, replacing it. */
    public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os, arrays);
        }
    }

    /** Writes an npz archive to {@code os} (left open). */
    public static void write(OutputStream os, Map<String, INDArray> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(os);
        for (Map.Entry<String, INDArray> a : arrays.entrySet()) {
            byte[] bytes = Npy.write(a.getValue());
            ZipEntry e = new ZipEntry(a.getKey() + ".npy");
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(bytes);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** The archive as bytes. */
    public static byte[] toBytes(Map<String, INDArray> arrays) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        write(bos, arrays);
        return bos.toByteArray();
    }
}
