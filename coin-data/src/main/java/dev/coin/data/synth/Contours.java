package dev.coin.data.synth;

import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * External contours of a binary mask (pixels &gt; 0.5), the part of OpenCV's {@code findContours(RETR_EXTERNAL)}
 * that COIN's anomaly placement needs. Foreground is 8-connected, background 4-connected; a component lying in a
 * hole of another component has no external contour.
 *
 * <pre>{@code
 * List<Contour> cs = Contours.external(kidneyMask);   // largest area first
 * }</pre>
 */
public final class Contours {
    private static final int[] DR = {0, 1, 1, 1, 0, -1, -1, -1};
    private static final int[] DC = {1, 1, 0, -1, -1, -1, 0, 1};

    private Contours() {
    }

    /** External contours sorted by area, largest first (ties: raster order of their first pixel). */
    public static List<Contour> external(FloatImage mask) {
        int h = mask.height();
        int w = mask.width();
        float[] px = mask.toArray();
        boolean[] fg = new boolean[h * w];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = px[i] > 0.5f;
        }
        boolean[] exterior = exterior(fg, h, w, null, 0);
        int[] comp = new int[h * w];
        int[] queue = new int[h * w];
        List<Contour> out = new ArrayList<>();
        int label = 0;
        for (int start = 0; start < fg.length; start++) {
            if (!fg[start] || comp[start] != 0) {
                continue;
            }
            label++;
            // 8-connected flood fill of this component; track its box and whether it touches the exterior.
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            comp[start] = label;
            int r0 = h;
            int r1 = -1;
            int c0 = w;
            int c1 = -1;
            boolean outer = false;
            while (head < tail) {
                int p = queue[head++];
                int r = p / w;
                int c = p % w;
                r0 = Math.min(r0, r);
                r1 = Math.max(r1, r);
                c0 = Math.min(c0, c);
                c1 = Math.max(c1, c);
                for (int d = 0; d < 8; d++) {
                    int rr = r + DR[d];
                    int cc = c + DC[d];
                    if (rr < 0 || cc < 0 || rr >= h || cc >= w) {
                        if (d % 2 == 0) {
                            outer = true;
                        }
                        continue;
                    }
                    int q = rr * w + cc;
                    if (fg[q]) {
                        if (comp[q] == 0) {
                            comp[q] = label;
                            queue[tail++] = q;
                        }
                    } else if (d % 2 == 0 && exterior[q]) {
                        outer = true;
                    }
                }
            }
            if (outer) {
                out.add(build(comp, label, h, w, start, r0, r1, c0, c1));
            }
        }
        out.sort(Comparator.comparingDouble(Contour::area).reversed());
        return out;
    }

    private static Contour build(int[] comp, int label, int h, int w, int start, int r0, int r1, int c0, int c1) {
        int[] polygon = trace(comp, label, h, w, start);
        double area = 0;
        int n = polygon.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            area += (double) polygon[2 * i] * polygon[2 * j + 1] - (double) polygon[2 * j] * polygon[2 * i + 1];
        }
        area = Math.abs(area) / 2;
        // Filled region = everything the outside cannot reach without crossing this component.
        boolean[] ext = exterior(null, h, w, comp, label);
        int bw = c1 - c0 + 1;
        int bh = r1 - r0 + 1;
        boolean[] inside = new boolean[bw * bh];
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int p = r * w + c;
                boolean strict = !ext[p] && r > 0 && c > 0 && r < h - 1 && c < w - 1
                        && !ext[p - 1] && !ext[p + 1] && !ext[p - w] && !ext[p + w];
                inside[(r - r0) * bw + (c - c0)] = strict;
            }
        }
        return new Contour(c0, r0, bw, bh, area, polygon, inside);
    }

    /**
     * Pixels 4-connected to the image frame through non-foreground pixels. Foreground is {@code fg} when given,
     * else the pixels with {@code comp == label}.
     */
    private static boolean[] exterior(boolean[] fg, int h, int w, int[] comp, int label) {
        boolean[] ext = new boolean[h * w];
        int[] queue = new int[h * w];
        int tail = 0;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                if (r == 0 || c == 0 || r == h - 1 || c == w - 1) {
                    int p = r * w + c;
                    if (!isFg(fg, comp, label, p) && !ext[p]) {
                        ext[p] = true;
                        queue[tail++] = p;
                    }
                }
            }
        }
        int head = 0;
        while (head < tail) {
            int p = queue[head++];
            int r = p / w;
            int c = p % w;
            for (int d = 0; d < 8; d += 2) {
                int rr = r + DR[d];
                int cc = c + DC[d];
                if (rr < 0 || cc < 0 || rr >= h || cc >= w) {
                    continue;
                }
                int q = rr * w + cc;
                if (!ext[q] && !isFg(fg, comp, label, q)) {
                    ext[q] = true;
                    queue[tail++] = q;
                }
            }
        }
        return ext;
    }

    private static boolean isFg(boolean[] fg, int[] comp, int label, int p) {
        return fg != null ? fg[p] : comp[p] == label;
    }

    /**
     * Outer-border following (Suzuki &amp; Abe 1985, 8-connectivity) from the component's first pixel in raster
     * order, whose west neighbour is background. Returns x,y pairs of the visited border pixels.
     */
    private static int[] trace(int[] comp, int label, int h, int w, int start) {
        int sr = start / w;
        int sc = start % w;
        // Step 1: clockwise from the west neighbour, find the last border pixel before the start.
        int first = -1;
        for (int k = 0; k < 8; k++) {
            int d = (4 + k) % 8;
            if (in(comp, label, h, w, sr + DR[d], sc + DC[d])) {
                first = d;
                break;
            }
        }
        if (first < 0) {
            return new int[] {sc, sr};
        }
        List<int[]> pts = new ArrayList<>();
        int pr = sr + DR[first];
        int pc = sc + DC[first];
        int firstR = pr;
        int firstC = pc;
        int cr = sr;
        int cc = sc;
        while (true) {
            // Step 3: counter-clockwise around the current pixel, starting after the previous one.
            int back = dir(pr - cr, pc - cc);
            int nr = -1;
            int nc = -1;
            for (int k = 1; k <= 8; k++) {
                int d = Math.floorMod(back - k, 8);
                int rr = cr + DR[d];
                int c2 = cc + DC[d];
                if (in(comp, label, h, w, rr, c2)) {
                    nr = rr;
                    nc = c2;
                    break;
                }
            }
            pts.add(new int[] {cc, cr});
            if (nr == sr && nc == sc && cr == firstR && cc == firstC) {
                break;
            }
            pr = cr;
            pc = cc;
            cr = nr;
            cc = nc;
        }
        int[] out = new int[pts.size() * 2];
        for (int i = 0; i < pts.size(); i++) {
            out[2 * i] = pts.get(i)[0];
            out[2 * i + 1] = pts.get(i)[1];
        }
        return out;
    }

    private static int dir(int dr, int dc) {
        for (int d = 0; d < 8; d++) {
            if (DR[d] == dr && DC[d] == dc) {
                return d;
            }
        }
        throw new IllegalStateException("not a neighbour offset: " + dr + ", " + dc);
    }

    private static boolean in(int[] comp, int label, int h, int w, int r, int c) {
        return r >= 0 && c >= 0 && r < h && c < w && comp[r * w + c] == label;
    }
}
