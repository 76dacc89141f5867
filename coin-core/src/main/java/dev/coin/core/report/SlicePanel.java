package dev.coin.core.report;

import dev.coin.core.mask.Masks;
import dev.coin.data.image.FloatImage;
import dev.coin.data.image.PngWriter;
import dev.coin.data.image.Renderer;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A labelled figure of one slice and one method, readable without a key: every tile has a caption, the map has a
 * colour bar with the threshold marked, and the mask tile has a colour legend. Tiles, left to right:
 * <ol>
 *   <li>input, captioned with p(abnormal) of the classifier on it;</li>
 *   <li>(counterfactual methods only) the counterfactual x_cf with its p(abnormal);</li>
 *   <li>the map the mask is thresholded from (|x − x_cf| for counterfactuals, the saliency for baselines) in the
 *       {@link #colour(double) colour map} over the map's own range [min, max], with a colour bar and the
 *       threshold;</li>
 *   <li>the predicted mask and the truth over the input: {@link #BOTH} where both, {@link #PREDICTION_ONLY} where only
 *       the prediction, {@link #TRUTH_ONLY} where only the truth; captioned with the slice's IoU.</li>
 * </ol>
 * A title line above names the method, the scan, the slice index and the truth label. {@link #fileName()} says the
 * same in the file name.
 *
 * <pre>{@code
 * SlicePanel p = SlicePanel.builder("COIN", input, map, mask).slice("scan_0001", 42).truth(tumour)
 *         .counterfactual(xCf).probabilities(0.97, 0.02).threshold(0.25).iou(0.61).build();
 * p.write(dir.resolve(p.fileName()));
 * }</pre>
 */
public final class SlicePanel {
    /** Overlay colour where truth and prediction agree (true positive). */
    public static final Color BOTH = new Color(0x32A852);
    /** Overlay colour where only the prediction marks the pixel (false positive). */
    public static final Color PREDICTION_ONLY = new Color(0xEB4034);
    /** Overlay colour where only the truth marks the pixel (missed, false negative). */
    public static final Color TRUTH_ONLY = new Color(0xCFCF1F);
    public static final Color BACKGROUND = Color.WHITE;
    public static final Color TEXT = Color.BLACK;
    static final int PAD = 8;
    static final int TITLE_H = 22;
    static final int CAPTION_H = 32;
    static final int LEGEND_H = 20;
    static final int BAR_W = 14;
    static final int BAR_LABEL_W = 92;
    static final int MIN_TILE = 160;
    // anchors of the colour map (dark blue → purple → orange → light yellow), evenly spaced on [0, 1]
    private static final int[] ANCHORS = {0x000004, 0x3B0F70, 0x8C2981, 0xDE4968, 0xFE9F6D, 0xFCFDBF};

    private final String method;
    private final String scan;
    private final int sliceIndex;
    private final FloatImage input;
    private final FloatImage counterfactual;
    private final FloatImage map;
    private final String mapName;
    private final FloatImage predicted;
    private final FloatImage truth;
    private final double pBefore;
    private final double pAfter;
    private final double threshold;
    private final double iou;
    private final boolean truthAbnormal;

    private SlicePanel(Builder b) {
        method = b.method;
        scan = b.scan;
        sliceIndex = b.sliceIndex;
        input = b.input;
        counterfactual = b.counterfactual;
        map = b.map;
        predicted = b.predicted;
        truth = b.truth;
        pBefore = b.pBefore;
        pAfter = b.pAfter;
        threshold = b.threshold;
        iou = b.iou;
        truthAbnormal = b.truthAbnormal != null ? b.truthAbnormal
                : truth != null && any(Masks.toBinary(truth, "truth mask"));
        mapName = b.mapName != null ? b.mapName : counterfactual != null ? "|x − x_cf|" : "saliency";
    }

    /**
     * @param method    the method's report name, e.g. "COIN" or "RISE"
     * @param input     the slice in [−1, 1]
     * @param map       the map the mask comes from (difference or saliency), same size
     * @param predicted the thresholded (and post-processed) mask, 0/1, same size
     */
    public static Builder builder(String method, FloatImage input, FloatImage map, FloatImage predicted) {
        return new Builder(method, input, map, predicted);
    }

    public String method() {
        return method;
    }

    public String scan() {
        return scan;
    }

    public int sliceIndex() {
        return sliceIndex;
    }

    /** The slice's IoU (NaN where it has no truth or no anomaly). */
    public double iou() {
        return iou;
    }

    public boolean truthAbnormal() {
        return truthAbnormal;
    }

    public boolean isCounterfactual() {
        return counterfactual != null;
    }

    /** p(abnormal) of the input, NaN when unknown. */
    public double probabilityBefore() {
        return pBefore;
    }

    /** p(abnormal) of the counterfactual, NaN when unknown. */
    public double probabilityAfter() {
        return pAfter;
    }

    /** The colour map's range: the map's minimum and maximum (a constant map gets a range of width 1e-6). */
    public double[] colourRange() {
        double lo = map.min();
        double hi = map.max();
        if (!(hi > lo)) {
            hi = lo + 1e-6;
        }
        return new double[] {lo, hi};
    }

    /**
     * A file name that says what the panel holds, e.g.
     * {@code slice-scan_0001-k042_truth-abnormal_pred-before-abnormal_after-normal.png} for a counterfactual and
     * {@code slice-scan_0001-k042_truth-abnormal_iou-0.61.png} for a saliency map; characters outside
     * {@code [A-Za-z0-9._-]} become {@code _}.
     */
    public String fileName() {
        StringBuilder s = new StringBuilder("slice-").append(safe(scan)).append(String.format(Locale.ROOT, "-k%03d",
                sliceIndex)).append("_truth-").append(truthAbnormal ? "abnormal" : "normal");
        if (!Double.isNaN(pBefore) && !Double.isNaN(pAfter)) {
            s.append("_pred-before-").append(label(pBefore)).append("_after-").append(label(pAfter));
        } else if (!Double.isNaN(pBefore)) {
            s.append("_pred-").append(label(pBefore));
        }
        if (!Double.isNaN(iou)) {
            s.append(String.format(Locale.ROOT, "_iou-%.2f", iou));
        }
        return s.append(".png").toString();
    }

    /** Where the parts of the figure are, in pixels of {@link #render()}'s image. */
    public record Layout(int width, int height, int tileSize, Rectangle title, List<Rectangle> tiles,
                         List<Rectangle> captions, Rectangle colourBar, Rectangle colourBarLabels, Rectangle legend) {
    }

    /** The layout of this panel's figure. */
    public Layout layout() {
        int n = counterfactual != null ? 4 : 3;
        int scale = Math.max(1, (int) Math.ceil((double) MIN_TILE / Math.max(input.height(), input.width())));
        int tw = input.width() * scale;
        int th = input.height() * scale;
        List<Rectangle> tiles = new ArrayList<>();
        List<Rectangle> captions = new ArrayList<>();
        int x = PAD;
        int y = PAD + TITLE_H + CAPTION_H;
        Rectangle bar = null;
        Rectangle barLabels = null;
        for (int i = 0; i < n; i++) {
            captions.add(new Rectangle(x, PAD + TITLE_H, Math.max(tw, 10), CAPTION_H));
            tiles.add(new Rectangle(x, y, tw, th));
            x += tw + PAD;
            if (i == n - 2) {
                bar = new Rectangle(x, y, BAR_W, th);
                barLabels = new Rectangle(x + BAR_W + 3, y - 6, BAR_LABEL_W, th + 12);
                x += BAR_W + 3 + BAR_LABEL_W + PAD;
            }
        }
        // captions may be wider than small tiles: give each caption the room up to the next tile
        for (int i = 0; i < n; i++) {
            int next = i + 1 < n ? tiles.get(i + 1).x : x;
            Rectangle c = captions.get(i);
            captions.set(i, new Rectangle(c.x, c.y, (i == n - 2 ? bar.x : next) - c.x - 2, c.height));
        }
        int width = Math.max(x, 560);
        Rectangle title = new Rectangle(PAD, PAD, width - 2 * PAD, TITLE_H);
        Rectangle legend = new Rectangle(PAD, y + th + 6, width - 2 * PAD, LEGEND_H);
        return new Layout(width, legend.y + legend.height + PAD, tw, title, tiles, captions, bar, barLabels, legend);
    }

    /** Draws the figure. */
    public BufferedImage render() {
        Layout l = layout();
        BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, l.width(), l.height());
            Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 13);
            g.setFont(bold);
            g.setColor(TEXT);
            text(g, titleText(), l.title());
            g.setFont(plain);
            int h = input.height();
            int w = input.width();
            int t = 0;
            int[] grey = Renderer.greyRgb(input, -1, 1);
            put(img, grey, h, w, l.tiles().get(t));
            text(g, "input" + probability(pBefore), l.captions().get(t++));
            if (counterfactual != null) {
                put(img, Renderer.greyRgb(counterfactual, -1, 1), h, w, l.tiles().get(t));
                text(g, "counterfactual" + probability(pAfter), l.captions().get(t++));
            }
            double[] range = colourRange();
            float[] m = map.toArray();
            int[] coloured = new int[h * w];
            for (int i = 0; i < coloured.length; i++) {
                coloured[i] = colour((m[i] - range[0]) / (range[1] - range[0]));
            }
            put(img, coloured, h, w, l.tiles().get(t));
            text(g, mapName + String.format(Locale.ROOT, "\nthreshold %.3g", threshold), l.captions().get(t++));
            drawColourBar(g, img, l, range);
            put(img, overlay(grey), h, w, l.tiles().get(t));
            text(g, "mask over input\n" + (Double.isNaN(iou) ? (truthAbnormal ? "IoU n/a" : "no anomaly: IoU n/a")
                    : String.format(Locale.ROOT, "IoU %.3f", iou)), l.captions().get(t));
            drawLegend(g, l.legend());
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes the figure as PNG; returns {@code file}. */
    public Path write(Path file) {
        PngWriter.write(render(), file);
        return file;
    }

    /** The colour map, value in [0, 1] (clamped) → RGB: dark (low) to light yellow (high), monotone in lightness. */
    public static int colour(double v) {
        double c = Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)) * (ANCHORS.length - 1);
        int i = Math.min(ANCHORS.length - 2, (int) Math.floor(c));
        double f = c - i;
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (ANCHORS[i] >> shift) & 0xFF;
            int b = (ANCHORS[i + 1] >> shift) & 0xFF;
            out |= ((int) Math.round(a + f * (b - a))) << shift;
        }
        return out;
    }

    String titleText() {
        String truthText = truth == null ? "no truth mask" : truthAbnormal ? "truth: abnormal" : "truth: normal";
        return method + " · slice " + scan + " k=" + sliceIndex + " · " + truthText;
    }

    private int[] overlay(int[] grey) {
        boolean[] p = Masks.toBinary(predicted, "predicted mask");
        boolean[] tr = truth == null ? new boolean[p.length] : Masks.toBinary(truth, "truth mask");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            Color c = p[i] ? (tr[i] ? BOTH : PREDICTION_ONLY) : (tr[i] ? TRUTH_ONLY : null);
            out[i] = c == null ? grey[i] : blend(grey[i], c.getRGB() & 0xFFFFFF);
        }
        return out;
    }

    private void drawColourBar(Graphics2D g, BufferedImage img, Layout l, double[] range) {
        Rectangle bar = l.colourBar();
        for (int y = 0; y < bar.height; y++) {
            double v = bar.height == 1 ? 1 : 1 - (double) y / (bar.height - 1);   // top row = max, bottom row = min
            int rgb = colour(v);
            for (int x = 0; x < bar.width; x++) {
                img.setRGB(bar.x + x, bar.y + y, rgb);
            }
        }
        g.setColor(TEXT);
        g.drawRect(bar.x - 1, bar.y - 1, bar.width + 1, bar.height + 1);
        FontMetrics fm = g.getFontMetrics();
        int lx = bar.x + bar.width + 3;
        g.drawString(String.format(Locale.ROOT, "%.3g max", range[1]), lx, bar.y + fm.getAscent() / 2);
        g.drawString(String.format(Locale.ROOT, "%.3g min", range[0]), lx, bar.y + bar.height + fm.getAscent() / 2);
        if (threshold >= range[0] && threshold <= range[1]) {
            int ty = bar.y + (int) Math.round((range[1] - threshold) / (range[1] - range[0]) * (bar.height - 1));
            g.setColor(Color.CYAN);
            g.fillRect(bar.x - 3, ty, bar.width + 6, 2);
            g.setColor(TEXT);
            g.drawString(String.format(Locale.ROOT, "%.3g thr.", threshold), lx, ty + fm.getAscent() / 2);
        } else {
            g.drawString(String.format(Locale.ROOT, "thr. %.3g", threshold), lx, bar.y + bar.height / 2);
            g.drawString(threshold > range[1] ? "(above max)" : "(below min)", lx,
                    bar.y + bar.height / 2 + fm.getHeight());
        }
    }

    private static void drawLegend(Graphics2D g, Rectangle r) {
        FontMetrics fm = g.getFontMetrics();
        int x = r.x;
        int baseline = r.y + (r.height + fm.getAscent()) / 2 - 2;
        Object[][] items = {{BOTH, "truth and prediction"}, {PREDICTION_ONLY, "prediction only"},
            {TRUTH_ONLY, "truth only (missed)"}};
        g.setColor(TEXT);
        g.drawString("mask colours:", x, baseline);
        x += fm.stringWidth("mask colours:") + 8;
        for (Object[] item : items) {
            g.setColor((Color) item[0]);
            g.fillRect(x, baseline - 10, 12, 12);
            g.setColor(TEXT);
            g.drawRect(x, baseline - 10, 12, 12);
            x += 16;
            g.drawString((String) item[1], x, baseline);
            x += fm.stringWidth((String) item[1]) + 14;
        }
    }

    /** Draws {@code s} in {@code r}: one line per {@code \n}, vertically centred, cut with … where too wide. */
    private static void text(Graphics2D g, String s, Rectangle r) {
        FontMetrics fm = g.getFontMetrics();
        String[] lines = s.split("\n");
        if (lines.length > 1) {
            int lh = r.height / lines.length;
            for (int i = 0; i < lines.length; i++) {
                text(g, lines[i], new Rectangle(r.x, r.y + i * lh, r.width, lh));
            }
            return;
        }
        String shown = s;
        while (shown.length() > 4 && fm.stringWidth(shown) > r.width) {
            shown = shown.substring(0, shown.length() - 2);
        }
        if (!shown.equals(s)) {
            shown = shown.substring(0, shown.length() - 1) + "…";
        }
        g.drawString(shown, r.x, r.y + (r.height + fm.getAscent()) / 2 - 2);
    }

    private static void put(BufferedImage img, int[] rgb, int h, int w, Rectangle tile) {
        int s = tile.width / w;
        for (int y = 0; y < tile.height; y++) {
            for (int x = 0; x < tile.width; x++) {
                img.setRGB(tile.x + x, tile.y + y, rgb[(y / s) * w + x / s]);
            }
        }
    }

    private static String probability(double p) {
        return Double.isNaN(p) ? "" : String.format(Locale.ROOT, "\np(abnormal) %.3f", p);
    }

    private static String label(double p) {
        return p >= 0.5 ? "abnormal" : "normal";
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static boolean any(boolean[] b) {
        for (boolean x : b) {
            if (x) {
                return true;
            }
        }
        return false;
    }

    /** round(0.35·grey + 0.65·colour) per channel. */
    private static int blend(int grey, int colour) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (grey >> shift) & 0xFF;
            int b = (colour >> shift) & 0xFF;
            out |= ((int) Math.round(0.35 * a + 0.65 * b)) << shift;
        }
        return out;
    }

    /** Options of a {@link SlicePanel}; probabilities, IoU and the truth are optional. */
    public static final class Builder {
        private final String method;
        private final FloatImage input;
        private final FloatImage map;
        private final FloatImage predicted;
        private String scan = "unknown";
        private int sliceIndex;
        private FloatImage counterfactual;
        private String mapName;
        private FloatImage truth;
        private Boolean truthAbnormal;
        private double pBefore = Double.NaN;
        private double pAfter = Double.NaN;
        private double threshold = Double.NaN;
        private double iou = Double.NaN;

        private Builder(String method, FloatImage input, FloatImage map, FloatImage predicted) {
            this.method = Objects.requireNonNull(method, "method");
            this.input = Objects.requireNonNull(input, "input");
            this.map = Objects.requireNonNull(map, "map");
            this.predicted = Objects.requireNonNull(predicted, "predicted");
            Masks.requireSameSize(input, map, "map");
            Masks.requireSameSize(input, predicted, "predicted mask");
        }

        /** The scan identifier and the slice's index in it. */
        public Builder slice(String scanId, int index) {
            this.scan = Objects.requireNonNull(scanId, "scanId");
            if (index < 0) {
                throw new IllegalArgumentException("slice index must be >= 0, got " + index
                        + "; pass the slice's index in its scan");
            }
            this.sliceIndex = index;
            return this;
        }

        /** The counterfactual (same size, [−1, 1]); without it the panel is a saliency panel. */
        public Builder counterfactual(FloatImage xCf) {
            Masks.requireSameSize(input, Objects.requireNonNull(xCf, "counterfactual"), "counterfactual");
            this.counterfactual = xCf;
            return this;
        }

        /** The map's caption (default "|x − x_cf|" with a counterfactual, "saliency" without). */
        public Builder mapName(String name) {
            this.mapName = Objects.requireNonNull(name, "mapName");
            return this;
        }

        /** The truth mask (0/1, same size). */
        public Builder truth(FloatImage mask) {
            Masks.requireSameSize(input, Objects.requireNonNull(mask, "truth"), "truth mask");
            this.truth = mask;
            return this;
        }

        /** The slice's image label, when it differs from "the truth mask is non-empty". */
        public Builder truthAbnormal(boolean abnormal) {
            this.truthAbnormal = abnormal;
            return this;
        }

        /** p(abnormal) of the input and of the counterfactual (NaN when not known). */
        public Builder probabilities(double before, double after) {
            checkProbability("before", before);
            checkProbability("after", after);
            this.pBefore = before;
            this.pAfter = after;
            return this;
        }

        public Builder threshold(double t) {
            this.threshold = t;
            return this;
        }

        /** The slice's IoU (NaN for none). */
        public Builder iou(double value) {
            if (!Double.isNaN(value) && (value < 0 || value > 1)) {
                throw new IllegalArgumentException("iou must be in [0, 1] or NaN, got " + value);
            }
            this.iou = value;
            return this;
        }

        public SlicePanel build() {
            return new SlicePanel(this);
        }

        private static void checkProbability(String name, double p) {
            if (!Double.isNaN(p) && (p < 0 || p > 1)) {
                throw new IllegalArgumentException("probability " + name + " must be in [0, 1] or NaN, got " + p
                        + "; pass the classifier's p(abnormal)");
            }
        }
    }
}
