package dev.coin.core.report;

import dev.coin.core.mask.Masks;

import dev.coin.data.image.FloatImage;
import dev.coin.data.image.PngWriter;
import dev.coin.data.image.Renderer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Per-slice figure like the reference's (§7.1 step 7), a 2×3 grid of H×W tiles separated by {@link #GAP}-pixel
 * dark gaps (tile (r, c) starts at x = c·(W + GAP), y = r·(H + GAP)):
 * <pre>
 *   input (grey, [−1, 1])   | overlay: 0.3·input + 0.7·colour on TP/FP/FN | confusion colours on black
 *   counterfactual (grey)   | difference / saliency map (grey, [0, 1])    | predicted mask (white on black)
 * </pre>
 * Colours: TP green (50, 168, 82), FP red (235, 64, 52), FN yellow (207, 207, 31); TN pixels keep the input grey
 * in the overlay. For saliency baselines pass {@code counterfactual = null}: that tile stays dark.
 *
 * <pre>{@code
 * CounterfactualPanel.write(x, xCf, diff, mask, tumour, dir.resolve("slice-0042.png"));
 * }</pre>
 */
public final class CounterfactualPanel {
    public static final int TP = 0x32A852;
    public static final int FP = 0xEB4034;
    public static final int FN = 0xCFCF1F;
    public static final int GAP = 2;
    public static final int BACKGROUND = 0x202020;

    private CounterfactualPanel() {
    }

    /** Renders the panel. All images must have the same size; masks must be 0/1. */
    public static BufferedImage render(FloatImage input, FloatImage counterfactual, FloatImage map, FloatImage predicted,
            FloatImage truth) {
        int h = input.height();
        int w = input.width();
        Masks.requireSameSize(input, map, "map");
        Masks.requireSameSize(input, predicted, "predicted mask");
        Masks.requireSameSize(input, truth, "truth mask");
        if (counterfactual != null) {
            Masks.requireSameSize(input, counterfactual, "counterfactual");
        }
        boolean[] p = Masks.toBinary(predicted, "predicted mask");
        boolean[] t = Masks.toBinary(truth, "truth mask");
        int[] grey = Renderer.greyRgb(input, -1, 1);
        int[] overlay = new int[h * w];
        int[] confusion = new int[h * w];
        int[] mask = new int[h * w];
        for (int i = 0; i < h * w; i++) {
            int colour = p[i] ? (t[i] ? TP : FP) : (t[i] ? FN : -1);
            confusion[i] = colour < 0 ? 0 : colour;
            overlay[i] = colour < 0 ? grey[i] : blend(grey[i], colour);
            mask[i] = p[i] ? 0xFFFFFF : 0;
        }
        BufferedImage img = new BufferedImage(3 * w + 2 * GAP, 2 * h + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, BACKGROUND);
            }
        }
        put(img, 0, 0, grey, h, w);
        put(img, 0, 1, overlay, h, w);
        put(img, 0, 2, confusion, h, w);
        if (counterfactual != null) {
            put(img, 1, 0, Renderer.greyRgb(counterfactual, -1, 1), h, w);
        }
        put(img, 1, 1, Renderer.greyRgb(map, 0, 1), h, w);
        put(img, 1, 2, mask, h, w);
        return img;
    }

    /** Renders and writes the panel as PNG. */
    public static void write(FloatImage input, FloatImage counterfactual, FloatImage map, FloatImage predicted,
            FloatImage truth, Path file) {
        PngWriter.write(render(input, counterfactual, map, predicted, truth), file);
    }

    /**
     * The panel for a slice without ground truth: one row of four H×W tiles separated by {@link #GAP}-pixel gaps
     * (tile c starts at x = c·(W + GAP)): input (grey, [−1, 1]) | counterfactual (grey, [−1, 1]) | difference map
     * (grey, [0, 1]) | predicted mask (white on black). Size (4·W + 3·GAP) × H.
     */
    public static BufferedImage renderStrip(FloatImage input, FloatImage counterfactual, FloatImage map,
            FloatImage predicted) {
        int h = input.height();
        int w = input.width();
        Masks.requireSameSize(input, counterfactual, "counterfactual");
        Masks.requireSameSize(input, map, "map");
        Masks.requireSameSize(input, predicted, "predicted mask");
        boolean[] p = Masks.toBinary(predicted, "predicted mask");
        int[] mask = new int[h * w];
        for (int i = 0; i < h * w; i++) {
            mask[i] = p[i] ? 0xFFFFFF : 0;
        }
        BufferedImage img = new BufferedImage(4 * w + 3 * GAP, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, BACKGROUND);
            }
        }
        put(img, 0, 0, Renderer.greyRgb(input, -1, 1), h, w);
        put(img, 0, 1, Renderer.greyRgb(counterfactual, -1, 1), h, w);
        put(img, 0, 2, Renderer.greyRgb(map, 0, 1), h, w);
        put(img, 0, 3, mask, h, w);
        return img;
    }

    /** Renders and writes {@link #renderStrip} as PNG. */
    public static void writeStrip(FloatImage input, FloatImage counterfactual, FloatImage map, FloatImage predicted,
            Path file) {
        PngWriter.write(renderStrip(input, counterfactual, map, predicted), file);
    }

    /** round(0.3·grey + 0.7·colour) per channel. */
    static int blend(int grey, int colour) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (grey >> shift) & 0xFF;
            int b = (colour >> shift) & 0xFF;
            out |= ((int) Math.round(0.3 * a + 0.7 * b)) << shift;
        }
        return out;
    }

    private static void put(BufferedImage img, int row, int col, int[] rgb, int h, int w) {
        img.setRGB(col * (w + GAP), row * (h + GAP), w, h, rgb, 0, w);
    }
}
