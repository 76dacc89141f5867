package dev.coin.data.synth;

/**
 * The external contour of one 8-connected component of a binary mask, as OpenCV's
 * {@code findContours(RETR_EXTERNAL)} would report it: the closed polygon through the centres of the component's
 * outer-border pixels, its area by the shoelace formula ({@code cv2.contourArea}) and its bounding box
 * ({@code cv2.boundingRect}: {@code w = max − min + 1}).
 *
 * <p>{@link #strictlyInside(int, int)} answers {@code cv2.pointPolygonTest(contour, (x, y), false) > 0} for pixel
 * centres: a pixel is strictly inside iff it lies in the component's filled region (the component plus its holes)
 * and is not one of the border pixels the polygon passes through (those are <em>on</em> the contour). For a lattice
 * polygon traced through 8-neighbouring border pixels these two definitions coincide, and the region form is
 * exact and cheap.
 */
public final class Contour {
    private final int x;
    private final int y;
    private final int w;
    private final int h;
    private final double area;
    private final int[] polygon;
    /** Strict-interior flags over the bounding box, row-major. */
    private final boolean[] inside;

    Contour(int x, int y, int w, int h, double area, int[] polygon, boolean[] inside) {
        this.x = x;
        this.y = y;
        this.w = w;
        this.h = h;
        this.area = area;
        this.polygon = polygon;
        this.inside = inside;
    }

    /** Left column of the bounding box. */
    public int x() {
        return x;
    }

    /** Top row of the bounding box. */
    public int y() {
        return y;
    }

    public int width() {
        return w;
    }

    public int height() {
        return h;
    }

    /** Polygon area in pixels² (0 for a single pixel or a one-pixel-wide line). */
    public double area() {
        return area;
    }

    /** Number of polygon vertices (border pixels, with repeats where the border doubles back). */
    public int vertexCount() {
        return polygon.length / 2;
    }

    /** Vertex {@code n} as {x, y}. */
    public int[] vertex(int n) {
        return new int[] {polygon[2 * n], polygon[2 * n + 1]};
    }

    /** Whether the pixel centre (col x, row y) lies strictly inside the contour. */
    public boolean strictlyInside(int px, int py) {
        int cx = px - x;
        int cy = py - y;
        return cx >= 0 && cy >= 0 && cx < w && cy < h && inside[cy * w + cx];
    }

    @Override
    public String toString() {
        return String.format("Contour[box (%d, %d, %d, %d), area %.1f, %d vertices]", x, y, w, h, area,
                vertexCount());
    }
}
