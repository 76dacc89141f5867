package dev.coin.core.mask;

/**
 * Binary morphology with a 3×3 square and 8-connected components, on row-major boolean masks.
 *
 * <p>Border rule: erosion and dilation take the min / max over the part of the 3×3 window that lies inside the
 * image. This equals scikit-image's {@code opening}/{@code closing} (grey morphology through scipy.ndimage with
 * mode "reflect", which for a 3×3 window replicates the border pixel) and {@code binary_erosion} with outside = 1 /
 * {@code binary_dilation} with outside = 0; objects touching the border do not shrink.
 */
public final class Morphology {
    private Morphology() {
    }

    /** 3×3 erosion: a pixel stays on only if every in-image neighbour (and itself) is on. */
    public static boolean[] erode(boolean[] m, int h, int w) {
        return filter(m, h, w, true);
    }

    /** 3×3 dilation: a pixel turns on if any in-image neighbour (or itself) is on. */
    public static boolean[] dilate(boolean[] m, int h, int w) {
        return filter(m, h, w, false);
    }

    /** Opening = dilate(erode(m)): removes specks thinner than 3 pixels. */
    public static boolean[] open(boolean[] m, int h, int w) {
        return dilate(erode(m, h, w), h, w);
    }

    /** Closing = erode(dilate(m)): fills holes thinner than 3 pixels. */
    public static boolean[] close(boolean[] m, int h, int w) {
        return erode(dilate(m, h, w), h, w);
    }

    // The square is separable: a 1×3 pass along rows, then a 3×1 pass along columns.
    private static boolean[] filter(boolean[] m, int h, int w, boolean erode) {
        check(m, h, w);
        boolean[] rowPass = new boolean[m.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                boolean v = m[r * w + c];
                if (c > 0) {
                    v = erode ? v && m[r * w + c - 1] : v || m[r * w + c - 1];
                }
                if (c < w - 1) {
                    v = erode ? v && m[r * w + c + 1] : v || m[r * w + c + 1];
                }
                rowPass[r * w + c] = v;
            }
        }
        boolean[] out = new boolean[m.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                boolean v = rowPass[r * w + c];
                if (r > 0) {
                    v = erode ? v && rowPass[(r - 1) * w + c] : v || rowPass[(r - 1) * w + c];
                }
                if (r < h - 1) {
                    v = erode ? v && rowPass[(r + 1) * w + c] : v || rowPass[(r + 1) * w + c];
                }
                out[r * w + c] = v;
            }
        }
        return out;
    }

    /**
     * 8-connected component labels (0 = background, components numbered 1, 2, … in raster order of their first
     * pixel). Returns the label image; the count is {@code max(labels)}.
     */
    public static int[] label8(boolean[] m, int h, int w) {
        check(m, h, w);
        int[] labels = new int[m.length];
        int[] stack = new int[m.length];
        int next = 0;
        for (int start = 0; start < m.length; start++) {
            if (!m[start] || labels[start] != 0) {
                continue;
            }
            next++;
            int top = 0;
            stack[top++] = start;
            labels[start] = next;
            while (top > 0) {
                int p = stack[--top];
                int r = p / w;
                int c = p % w;
                for (int dr = -1; dr <= 1; dr++) {
                    int rr = r + dr;
                    if (rr < 0 || rr >= h) {
                        continue;
                    }
                    for (int dc = -1; dc <= 1; dc++) {
                        int cc = c + dc;
                        if (cc < 0 || cc >= w) {
                            continue;
                        }
                        int q = rr * w + cc;
                        if (m[q] && labels[q] == 0) {
                            labels[q] = next;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return labels;
    }

    /**
     * Keeps only the largest 8-connected component; ties go to the component met first in raster order (as
     * {@code argmax} over label counts does). A mask without any component is returned unchanged (a copy).
     */
    public static boolean[] largestComponent(boolean[] m, int h, int w) {
        int[] labels = label8(m, h, w);
        int count = 0;
        for (int l : labels) {
            count = Math.max(count, l);
        }
        if (count == 0) {
            return m.clone();
        }
        int[] sizes = new int[count + 1];
        for (int l : labels) {
            sizes[l]++;
        }
        int best = 1;
        for (int l = 2; l <= count; l++) {
            if (sizes[l] > sizes[best]) {
                best = l;
            }
        }
        boolean[] out = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = labels[i] == best;
        }
        return out;
    }

    private static void check(boolean[] m, int h, int w) {
        if (h < 1 || w < 1 || m.length != h * w) {
            throw new IllegalArgumentException("mask holds " + m.length + " pixels but h*w = " + h + "*" + w);
        }
    }
}
