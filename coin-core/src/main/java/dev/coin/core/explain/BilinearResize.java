package dev.coin.core.explain;

/**
 * Host-side bilinear resizing of row-major float maps with half-pixel centres (PyTorch {@code align_corners=False},
 * OpenCV, scikit-image {@code resize(order=1, anti_aliasing=False)}): output pixel {@code d} samples the input at
 * {@code (d + 0.5)·in/out − 0.5}. No anti-aliasing. The {@link Edge} rule says what happens to sample positions
 * outside [0, in − 1].
 *
 * <pre>{@code
 * float[] up = BilinearResize.resize(cam, 8, 8, 256, 256, BilinearResize.Edge.CLAMP);
 * }</pre>
 */
public final class BilinearResize {
    /** Handling of sample positions outside the input. */
    public enum Edge {
        /** Clamp to the border pixel (PyTorch {@code F.interpolate(..., align_corners=False)}; skimage mode "edge"). */
        CLAMP,
        /**
         * Mirror about the border pixel centres ({@code d c b | a b c d}; skimage mode "reflect" = scipy.ndimage
         * "mirror"); used by RISE's mask upsampling.
         */
        MIRROR
    }

    private BilinearResize() {
    }

    /** Resizes {@code src} ({@code inH × inW}, row-major) to {@code outH × outW}. */
    public static float[] resize(float[] src, int inH, int inW, int outH, int outW, Edge edge) {
        if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("sizes must be > 0, got in " + inH + "x" + inW + ", out " + outH + "x" + outW);
        }
        if (src.length != inH * inW) {
            throw new IllegalArgumentException("src holds " + src.length + " values, expected inH*inW = " + inH * inW);
        }
        Axis rows = Axis.of(inH, outH, edge);
        Axis cols = Axis.of(inW, outW, edge);
        float[] out = new float[outH * outW];
        for (int r = 0; r < outH; r++) {
            int a = rows.i0[r] * inW;
            int b = rows.i1[r] * inW;
            float wr = rows.w1[r];
            for (int c = 0; c < outW; c++) {
                int c0 = cols.i0[c];
                int c1 = cols.i1[c];
                float wc = cols.w1[c];
                float top = src[a + c0] + wc * (src[a + c1] - src[a + c0]);
                float bottom = src[b + c0] + wc * (src[b + c1] - src[b + c0]);
                out[r * outW + c] = top + wr * (bottom - top);
            }
        }
        return out;
    }

    /** One axis' interpolation table: output i reads inputs i0[i], i1[i] with weight w1[i] on i1. */
    static final class Axis {
        final int[] i0;
        final int[] i1;
        final float[] w1;

        private Axis(int n) {
            i0 = new int[n];
            i1 = new int[n];
            w1 = new float[n];
        }

        static Axis of(int in, int out, Edge edge) {
            Axis axis = new Axis(out);
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double s = (d + 0.5) * scale - 0.5;
                s = edge == Edge.CLAMP ? Math.min(Math.max(s, 0), in - 1) : mirror(s, in);
                int lo = (int) Math.floor(s);
                axis.i0[d] = lo;
                axis.i1[d] = Math.min(lo + 1, in - 1);
                axis.w1[d] = (float) (s - lo);
            }
            return axis;
        }

        private static double mirror(double s, int n) {
            if (n == 1) {
                return 0;
            }
            double period = 2.0 * (n - 1);
            double m = Math.abs(s) % period;
            return m > n - 1 ? period - m : m;
        }
    }
}
