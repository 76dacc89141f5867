package dev.coin.data.synth;

import dev.coin.data.augment.Warps;
import dev.coin.data.image.FloatImage;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * COIN's synthetic anomaly: a bright Gaussian blob pasted inside a kidney (reference spec §6.6, the TotalSegmentator
 * experiments). Immutable; {@link #coin()} has the reference parameters, {@link #builder()} changes them.
 *
 * <pre>{@code
 * GaussianBlobAnomaly blob = GaussianBlobAnomaly.coin();
 * AnomalyResult r = blob.apply(slice, kidneyMask, new SplittableRandom(7));  // slice in [-1, 1]
 * if (r.inserted()) { ... r.image(), r.anomalyMask() ... }
 * // or, reproducible per item: AnomalySource.fixed(seed) (validation) / AnomalySource.stream(seed) (training)
 * }</pre>
 *
 * <p>One draw, with probability {@code p}: take the external contours of the kidney mask and pick one of the two
 * largest uniformly; require its bounding box (x, y, w, h) to have w·h &gt; {@code minBoxArea}; draw integer centres
 * cx ∈ [x+ox, x+w−ox), cy ∈ [y+oy, y+h−oy) with ox = int(0.05·w), oy = int(0.05·h) until one is strictly inside the
 * contour (at most {@code maxCentreAttempts}); transform the template (random scale, image bilinear / mask nearest;
 * single-cell grid distortion = anisotropic stretch anchored at the top-left; rotation about the centre with a
 * constant 0 border); add {@code alpha}·blob in unit space ((v+1)/2) over rows [cy − ⌊h/2⌋, cy + ⌈h/2⌉) and columns
 * [cx − ⌊w/2⌋, cx + ⌈w/2⌉), clip to [0, 1] and map back (2u − 1). Only the pasted rectangle is touched (the
 * reference clips the whole unit image, which changes nothing else for inputs in [−1, 1]). Any failure leaves the
 * image unchanged with label 0, as in the reference (where it happens silently; here {@link AnomalyResult#outcome()}
 * says why). "Strictly inside" is decided on the pixel grid: see {@link Contour}.
 */
public final class GaussianBlobAnomaly {
    private final double probability;
    private final int templateSize;
    private final double sigma;
    private final double maskThreshold;
    private final double alpha;
    private final Interval scale;
    private final double distortLimit;
    private final double distortProbability;
    private final double rotateLimitDeg;
    private final double rotateProbability;
    private final int minBoxArea;
    private final double centreMargin;
    private final int maxCentreAttempts;
    private final BlobTemplate template;

    private GaussianBlobAnomaly(Builder b) {
        this.probability = b.probability;
        this.templateSize = b.templateSize;
        this.sigma = b.sigma;
        this.maskThreshold = b.maskThreshold;
        this.alpha = b.alpha;
        this.scale = b.scale;
        this.distortLimit = b.distortLimit;
        this.distortProbability = b.distortProbability;
        this.rotateLimitDeg = b.rotateLimitDeg;
        this.rotateProbability = b.rotateProbability;
        this.minBoxArea = b.minBoxArea;
        this.centreMargin = b.centreMargin;
        this.maxCentreAttempts = b.maxCentreAttempts;
        this.template = BlobTemplate.of(templateSize, sigma, maskThreshold);
    }

    /** The reference configuration: p 0.65, size 20, σ 0.4, mask threshold 0.25, α 0.9. */
    public static GaussianBlobAnomaly coin() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.probability = probability;
        b.templateSize = templateSize;
        b.sigma = sigma;
        b.maskThreshold = maskThreshold;
        b.alpha = alpha;
        b.scale = scale;
        b.distortLimit = distortLimit;
        b.distortProbability = distortProbability;
        b.rotateLimitDeg = rotateLimitDeg;
        b.rotateProbability = rotateProbability;
        b.minBoxArea = minBoxArea;
        b.centreMargin = centreMargin;
        b.maxCentreAttempts = maxCentreAttempts;
        return b;
    }

    public BlobTemplate template() {
        return template;
    }

    public double probability() {
        return probability;
    }

    /**
     * One draw. A pure function of the inputs and the generator's state.
     *
     * @param image      slice in [−1, 1]
     * @param kidneyMask kidney mask (pixels &gt; 0.5 are kidney), same size
     * @throws IllegalArgumentException on a size mismatch or image values outside [−1, 1]
     */
    public AnomalyResult apply(FloatImage image, FloatImage kidneyMask, SplittableRandom rng) {
        int h = image.height();
        int w = image.width();
        if (kidneyMask.height() != h || kidneyMask.width() != w) {
            throw new IllegalArgumentException("kidneyMask must match the image size " + h + "x" + w + ", got "
                    + kidneyMask.height() + "x" + kidneyMask.width());
        }
        if (image.min() < -1 || image.max() > 1) {
            throw new IllegalArgumentException("image must be normalised to [-1, 1], got [" + image.min() + ", "
                    + image.max() + "]; apply the CT window first");
        }
        FloatImage empty = FloatImage.zeros(h, w);
        if (!(rng.nextDouble() < probability)) {
            return fail(image, empty, AnomalyResult.Outcome.SKIPPED);
        }
        List<Contour> contours = Contours.external(kidneyMask);
        if (contours.isEmpty()) {
            return fail(image, empty, AnomalyResult.Outcome.NO_CONTOUR);
        }
        Contour contour = contours.get(rng.nextInt(Math.min(2, contours.size())));
        if ((long) contour.width() * contour.height() <= minBoxArea) {
            return fail(image, empty, AnomalyResult.Outcome.REGION_TOO_SMALL);
        }
        int[] centre = sampleCentre(contour, rng);
        if (centre == null) {
            return fail(image, empty, AnomalyResult.Outcome.NO_CENTRE);
        }
        int cy = centre[0];
        int cx = centre[1];

        // Template transforms in albumentations order: RandomScale (p 1), GridDistortion, Rotate.
        double s = scale.sample(rng);
        int size = Math.max(1, (int) (templateSize * s));
        float[] blob = Warps.resizeBilinear(template.image().toArray(), templateSize, templateSize, size, size);
        float[] mask = Warps.resizeNearest(template.mask().toArray(), templateSize, templateSize, size, size);
        double sx = 1;
        double sy = 1;
        if (rng.nextDouble() < distortProbability) {
            sx = 1 + uniform(rng, -distortLimit, distortLimit);
            sy = 1 + uniform(rng, -distortLimit, distortLimit);
            double[] mapX = stretchMap(size, sx);
            double[] mapY = stretchMap(size, sy);
            blob = Warps.remapSeparable(blob, size, size, mapX, mapY, false, 0f);
            mask = Warps.remapSeparable(mask, size, size, mapX, mapY, true, 0f);
        }
        double angle = 0;
        if (rng.nextDouble() < rotateProbability) {
            angle = uniform(rng, -rotateLimitDeg, rotateLimitDeg);
            double c = (size - 1) / 2.0;
            double[] inv = Warps.rotateScaleShiftInverse(c, c, angle, 1, 0, 0);
            blob = Warps.warpAffine(blob, size, size, inv, false, 0f);
            mask = Warps.warpAffine(mask, size, size, inv, true, 0f);
        }

        int r0 = cy - size / 2;
        int c0 = cx - size / 2;
        int r1 = cy + (size + 1) / 2;
        int c1 = cx + (size + 1) / 2;
        if (r0 < 0 || c0 < 0 || r1 > h || c1 > w) {
            return fail(image, empty, AnomalyResult.Outcome.OUT_OF_BOUNDS);
        }
        float[] out = image.toArray();
        float[] anomaly = new float[h * w];
        for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) {
                int t = (r - r0) * size + (c - c0);
                int p = r * w + c;
                double unit = (out[p] + 1.0) / 2.0 + alpha * blob[t];
                unit = Math.max(0, Math.min(1, unit));
                out[p] = (float) (2 * unit - 1);
                anomaly[p] = Math.max(0f, mask[t]);
            }
        }
        AnomalyResult.Placement placement = new AnomalyResult.Placement(cy, cx, size, s, sx, sy, angle, contour);
        return new AnomalyResult(FloatImage.wrap(h, w, out), FloatImage.wrap(h, w, anomaly), 1,
                AnomalyResult.Outcome.INSERTED, Optional.of(placement));
    }

    /**
     * albumentations' grid_distortion with one cell: output column c samples source column
     * {@code linspace(0, n·step, n)[c] = c·n·step/(n−1)}, a stretch anchored at 0 (the second step is unused).
     */
    private static double[] stretchMap(int n, double step) {
        double[] map = new double[n];
        for (int i = 0; i < n; i++) {
            map[i] = n == 1 ? 0 : i * (n * step) / (n - 1);
        }
        return map;
    }

    private int[] sampleCentre(Contour c, SplittableRandom rng) {
        int ox = (int) (centreMargin * c.width());
        int oy = (int) (centreMargin * c.height());
        int spanX = c.width() - 2 * ox;
        int spanY = c.height() - 2 * oy;
        if (spanX <= 0 || spanY <= 0) {
            return null;
        }
        for (int attempt = 0; attempt < maxCentreAttempts; attempt++) {
            int cx = c.x() + ox + rng.nextInt(spanX);
            int cy = c.y() + oy + rng.nextInt(spanY);
            if (c.strictlyInside(cx, cy)) {
                return new int[] {cy, cx};
            }
        }
        return null;
    }

    private static AnomalyResult fail(FloatImage image, FloatImage empty, AnomalyResult.Outcome outcome) {
        return new AnomalyResult(image, empty, 0, outcome, Optional.empty());
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    @Override
    public String toString() {
        return "GaussianBlobAnomaly{p=" + probability + ", size=" + templateSize + ", sigma=" + sigma
                + ", maskThreshold=" + maskThreshold + ", alpha=" + alpha + ", scale=" + scale + ", distort=±"
                + distortLimit + " (p " + distortProbability + "), rotate=±" + rotateLimitDeg + "° (p "
                + rotateProbability + "), minBoxArea=" + minBoxArea + ", centreMargin=" + centreMargin
                + ", maxCentreAttempts=" + maxCentreAttempts + "}";
    }

    /** Builder of {@link GaussianBlobAnomaly}; starts from the reference values. */
    public static final class Builder {
        private double probability = 0.65;
        private int templateSize = 20;
        private double sigma = 0.4;
        private double maskThreshold = 0.25;
        private double alpha = 0.9;
        private Interval scale = Interval.of(0.75, 1.0);
        private double distortLimit = 0.2;
        private double distortProbability = 0.5;
        private double rotateLimitDeg = 90;
        private double rotateProbability = 0.5;
        private int minBoxArea = 400;
        private double centreMargin = 0.05;
        private int maxCentreAttempts = 1000;

        private Builder() {
        }

        /** Insertion probability per draw, in [0, 1]. */
        public Builder probability(double p) {
            this.probability = unit(p, "probability");
            return this;
        }

        /** Template grid size in pixels, 2–256. */
        public Builder templateSize(int size) {
            if (size < 2 || size > 256) {
                throw new IllegalArgumentException("templateSize must be in [2, 256], got " + size);
            }
            this.templateSize = size;
            return this;
        }

        /** Gaussian σ in template grid units (the grid spans [−1, 1]), &gt; 0. */
        public Builder sigma(double sigma) {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("sigma must be a positive finite number, got " + sigma);
            }
            this.sigma = sigma;
            return this;
        }

        /** Template mask = blob &gt; threshold, in [0, 1). */
        public Builder maskThreshold(double threshold) {
            if (!(threshold >= 0 && threshold < 1)) {
                throw new IllegalArgumentException("maskThreshold must be in [0, 1), got " + threshold);
            }
            this.maskThreshold = threshold;
            return this;
        }

        /** Intensity of the blob added in unit space, in [0, 1]. */
        public Builder alpha(double alpha) {
            this.alpha = unit(alpha, "alpha");
            return this;
        }

        /** Random scale factor range, within (0, 1] (the blob must not outgrow its template grid). */
        public Builder scale(Interval scale) {
            if (scale == null || scale.min() <= 0 || scale.max() > 1) {
                throw new IllegalArgumentException("scale must lie within (0, 1], got " + scale);
            }
            this.scale = scale;
            return this;
        }

        /** Grid-distortion limit (stretch factors in [1 − l, 1 + l]) and its probability. */
        public Builder distort(double limit, double p) {
            if (!(limit >= 0 && limit < 1)) {
                throw new IllegalArgumentException("distort limit must be in [0, 1), got " + limit);
            }
            this.distortLimit = limit;
            this.distortProbability = unit(p, "distort probability");
            return this;
        }

        /** Rotation limit in degrees (angle uniform in [−l, l]) and its probability. */
        public Builder rotate(double limitDeg, double p) {
            if (!(limitDeg >= 0 && limitDeg <= 180)) {
                throw new IllegalArgumentException("rotate limit must be in [0, 180] degrees, got " + limitDeg);
            }
            this.rotateLimitDeg = limitDeg;
            this.rotateProbability = unit(p, "rotate probability");
            return this;
        }

        /** The chosen contour's box must have w·h greater than this (reference: 20·20 = 400), &ge; 0. */
        public Builder minBoxArea(int area) {
            if (area < 0) {
                throw new IllegalArgumentException("minBoxArea must be >= 0, got " + area);
            }
            this.minBoxArea = area;
            return this;
        }

        /** Fraction of the box width/height excluded on each side when drawing the centre, in [0, 0.5). */
        public Builder centreMargin(double margin) {
            if (!(margin >= 0 && margin < 0.5)) {
                throw new IllegalArgumentException("centreMargin must be in [0, 0.5), got " + margin);
            }
            this.centreMargin = margin;
            return this;
        }

        /** Centre draws before giving up (the reference recurses until Python's recursion limit), &ge; 1. */
        public Builder maxCentreAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxCentreAttempts must be >= 1, got " + attempts);
            }
            this.maxCentreAttempts = attempts;
            return this;
        }

        public GaussianBlobAnomaly build() {
            return new GaussianBlobAnomaly(this);
        }

        private static double unit(double v, String name) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
            }
            return v;
        }
    }
}
