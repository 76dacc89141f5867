package dev.coin.data.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.formats.png.PngImagingParameters;
import org.apache.commons.imaging.palette.PaletteFactory;

/**
 * Writes pictures of images and slices as PNG files (Apache Commons Imaging), always as 8-bit true-colour RGB so
 * grey levels survive the round trip byte for byte (commons-imaging 1.0.0-alpha6 gamma-shifts 8-bit grey images).
 * Rendering is {@link Renderer}'s.
 *
 * <pre>{@code
 * PngWriter.writeGrey(slice.image(), -1, 1, Path.of("slice.png"));
 * PngWriter.writeOverlay(slice, Path.of("slice-overlay.png"));         // kidney green, tumour purple, ...
 * PngWriter.writeContactSheet(slices, 6, Path.of("scan.png"));
 * BufferedImage back = PngWriter.read(Path.of("slice.png"));
 * }</pre>
 */
public final class PngWriter {
    private PngWriter() {
    }

    /** Writes {@code image} (any type; stored as 8-bit RGB) to {@code file}. */
    public static void write(BufferedImage image, Path file) {
        // force true colour: an all-grey picture would otherwise be written as a grey PNG
        PngImagingParameters params = new PngImagingParameters().setForceTrueColor(true);
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Written to a temporary file and renamed, so a reader never sees half a picture.
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new org.apache.commons.imaging.formats.png.PngWriter().writeImage(image, out, params,
                        new PaletteFactory());
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more
                }
            }
            throw new UncheckedIOException("cannot write PNG " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a grey picture of {@code image}, mapping {@code [lo, hi]} to 0..255 ({@link Renderer#grey}). */
    public static void writeGrey(FloatImage image, double lo, double hi, Path file) {
        write(Renderer.grey(image, lo, hi), file);
    }

    /** Writes the image in [−1, 1] with its masks overlaid ({@link Renderer#overlay(MaskedImage)}). */
    public static void writeOverlay(MaskedImage slice, Path file) {
        write(Renderer.overlay(slice), file);
    }

    /** Writes a grid of overlays, {@code columns} per row ({@link Renderer#contactSheet}). */
    public static void writeContactSheet(List<? extends MaskedImage> slices, int columns, Path file) {
        write(Renderer.contactSheet(slices, columns), file);
    }

    /** Reads a PNG (or any format commons-imaging knows) back. */
    public static BufferedImage read(Path file) {
        try {
            return Imaging.getBufferedImage(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file, e);
        }
    }
}
