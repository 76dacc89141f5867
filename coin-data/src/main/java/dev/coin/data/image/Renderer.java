package dev.coin.data.image;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Turns float images into 8-bit RGB pictures for inspection: grey images mapped from a value range, masks as
 * alpha-blended colour overlays, and contact sheets. Every result is {@link BufferedImage#TYPE_INT_RGB} with
 * {@code r = g = b} for grey (8-bit grey {@code BufferedImage}s are gamma-converted by AWT and by
 * commons-imaging; RGB keeps the bytes exact).
 *
 * <p>Mask colours by channel name: kidney green, tumour purple, cyst red, anomaly blue; other names get the
 * colours of {@link #EXTRA_COLOURS} in channel order; "background" is never drawn. Later channels are drawn over
 * earlier ones.
 *
 * <pre>{@code
 * BufferedImage grey = Renderer.grey(slice.image(), -1, 1);
 * BufferedImage over = Renderer.overlay(slice);
 * BufferedImage sheet = Renderer.contactSheet(slices.subList(0, 12), 4);
 * }</pre>
 */
public final class Renderer {
    /** Blend weight of a mask colour over the grey image. */
    public static final double DEFAULT_ALPHA = 0.4;
    /** The name the synthetic anomaly mask channel is drawn blue under. */
    public static final String ANOMALY = "anomaly";
    /** Colours (0xRRGGBB) of the named channels. */
    public static final Map<String, Integer> COLOURS = Map.of(
            "kidney", 0x00C800,
            "tumour", 0xA020F0,
            "cyst", 0xE60000,
            ANOMALY, 0x0064FF);
    /** Colours for channels not in {@link #COLOURS}: orange, cyan, yellow, magenta. */
    public static final List<Integer> EXTRA_COLOURS = List.of(0xFF8C00, 0x00DCDC, 0xF0F000, 0xFF00FF);
    private static final int GAP_RGB = 0x202020;

    private Renderer() {
    }

    /**
     * Grey levels of an image: {@code round(255 · (clip(v, lo, hi) − lo)/(hi − lo))}, packed as 0xRRGGBB with
     * r = g = b, row-major.
     *
     * @throws IllegalArgumentException if the range is empty or not finite, or a pixel is NaN
     */
    public static int[] greyRgb(FloatImage image, double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException("display range must be finite with lo < hi, got [" + lo + ", " + hi
                    + "]; use [-1, 1] for normalised slices");
        }
        float[] p = image.toArray();
        int[] rgb = new int[p.length];
        double scale = 255.0 / (hi - lo);
        for (int i = 0; i < p.length; i++) {
            float v = p[i];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("image has NaN at row " + i / image.width() + ", column "
                        + i % image.width() + "; cannot display it");
            }
            double c = v < lo ? lo : (v > hi ? hi : v);
            int g = (int) Math.round((c - lo) * scale);
            rgb[i] = (g << 16) | (g << 8) | g;
        }
        return rgb;
    }

    /** {@link #greyRgb} as a picture. */
    public static BufferedImage grey(FloatImage image, double lo, double hi) {
        return picture(image.height(), image.width(), greyRgb(image, lo, hi));
    }

    /** The image in [−1, 1] as grey with its masks overlaid at {@link #DEFAULT_ALPHA}. */
    public static BufferedImage overlay(MaskedImage slice) {
        return overlay(slice, DEFAULT_ALPHA);
    }

    /**
     * The image in [−1, 1] as grey with each non-background mask blended in its colour:
     * {@code out = round((1 − alpha)·grey + alpha·colour)} per channel, inside the mask.
     */
    public static BufferedImage overlay(MaskedImage slice, double alpha) {
        return picture(slice.image().height(), slice.image().width(), overlayRgb(slice, alpha));
    }

    /** Pixels of {@link #overlay(MaskedImage, double)}, row-major 0xRRGGBB. */
    public static int[] overlayRgb(MaskedImage slice, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        FloatImage image = slice.image();
        int[] rgb = greyRgb(image, -1, 1);
        List<String> names = slice.maskNames();
        int extra = 0;
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            if (name.equals("background")) {
                continue;
            }
            Integer colour = COLOURS.get(name);
            if (colour == null) {
                colour = EXTRA_COLOURS.get(extra++ % EXTRA_COLOURS.size());
            }
            FloatImage mask = slice.masks().get(c);
            if (mask.height() != image.height() || mask.width() != image.width()) {
                throw new IllegalArgumentException("mask '" + name + "' is " + mask.height() + "x" + mask.width()
                        + " but the image is " + image.height() + "x" + image.width());
            }
            float[] m = mask.toArray();
            for (int i = 0; i < m.length; i++) {
                if (m[i] > 0.5f) {
                    rgb[i] = blend(rgb[i], colour, alpha);
                }
            }
        }
        return rgb;
    }

    static int blend(int base, int colour, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int b = (base >> shift) & 0xFF;
            int c = (colour >> shift) & 0xFF;
            out |= (int) Math.round((1 - alpha) * b + alpha * c) << shift;
        }
        return out;
    }

    /**
     * Overlays of several slices tiled row by row, {@code columns} per row, separated by 2-pixel dark gaps.
     * Tiles are as large as the largest slice; smaller slices sit in the top-left of their tile.
     */
    public static BufferedImage contactSheet(List<? extends MaskedImage> slices, int columns) {
        if (slices == null || slices.isEmpty()) {
            throw new IllegalArgumentException("slices must hold at least one slice for a contact sheet");
        }
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be > 0, got " + columns);
        }
        int gap = 2;
        int tileH = 0;
        int tileW = 0;
        for (MaskedImage s : slices) {
            tileH = Math.max(tileH, s.image().height());
            tileW = Math.max(tileW, s.image().width());
        }
        int cols = Math.min(columns, slices.size());
        int rows = (slices.size() + cols - 1) / cols;
        int width = cols * tileW + (cols - 1) * gap;
        int height = rows * tileH + (rows - 1) * gap;
        int[] sheet = new int[width * height];
        java.util.Arrays.fill(sheet, GAP_RGB);
        for (int n = 0; n < slices.size(); n++) {
            MaskedImage s = slices.get(n);
            int[] tile = overlayRgb(s, DEFAULT_ALPHA);
            int h = s.image().height();
            int w = s.image().width();
            int top = (n / cols) * (tileH + gap);
            int left = (n % cols) * (tileW + gap);
            for (int r = 0; r < h; r++) {
                System.arraycopy(tile, r * w, sheet, (top + r) * width + left, w);
            }
        }
        return picture(height, width, sheet);
    }

    private static BufferedImage picture(int height, int width, int[] rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }
}
