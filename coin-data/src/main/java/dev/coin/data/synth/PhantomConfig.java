package dev.coin.data.synth;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Settings of the synthetic abdominal CT phantom: the seed, the image matrix, the geometry ranges and the lesion
 * mix. Immutable; build with {@link #builder()}, change with {@link #toBuilder()}.
 *
 * <pre>{@code
 * PhantomConfig cfg = PhantomConfig.builder().seed(42).matrixSize(128).tumourFraction(0.5).build();
 * }</pre>
 *
 * <p>Geometry: the in-plane spacing is {@code fieldOfView / matrixSize}. The default field of view 330–450 mm gives
 * the clinical 0.64–0.88 mm at a 512 matrix; smaller matrices keep the anatomy and get coarser pixels (about 3 mm
 * at the laptop default 128), so slice-level thresholds counted in pixels must scale with {@code (matrix/512)²}.
 * Slice thickness is drawn per scan (default 2.5–5 mm); the z extent covers both kidneys plus a margin.
 *
 * <p>Lesions: each scan independently gets tumours with probability {@code tumourFraction} (1 to
 * {@code maxTumoursPerScan}, each ellipsoidal or — with probability {@code lobulatedFraction} — lobulated) and cysts
 * with probability {@code cystFraction}. Tumour HU = the kidney's cortex HU + a contrast drawn from
 * {@code tumourContrastHu} (default −80 obvious … −20 subtle), scaled by the scan's
 * {@link ScanPhase#tumourContrastScale()}.
 *
 * <p>Contrast phases: by default each scan draws its {@link ScanPhase} from {@link #DEFAULT_PHASE_MIX} (a third
 * each of non-contrast, corticomedullary and nephrographic), as public datasets mix phases; this spreads the
 * kidneys over ≈ 20–200 HU and hence over the fingerprint window, so a unit-space blob clipped at 1 (§6.6) is not
 * eaten on every kidney. {@link Builder#singlePhase()} restores the earlier single-phase phantom (cortex 150–180,
 * medulla 100–120, aorta 150–200, IVC 100–130, liver 55–68, spleen 45–55 HU) bit for bit, for reproducing old
 * numbers.
 */
public final class PhantomConfig {
    private final long seed;
    private final int matrixSize;
    private final Interval fieldOfViewMm;
    private final Interval sliceThicknessMm;
    private final Interval zMarginMm;
    private final double maxRotationDeg;
    private final double tumourFraction;
    private final int maxTumoursPerScan;
    private final Interval tumourDiameterMm;
    private final Interval tumourContrastHu;
    private final double lobulatedFraction;
    private final double cystFraction;
    private final int maxCystsPerScan;
    private final Interval cystDiameterMm;
    private final Interval cystHu;
    private final Interval noiseSigmaHu;
    private final Interval textureAmplitudeHu;
    private final boolean partialVolumeBlur;
    private final Map<ScanPhase, Double> phaseMix;

    /** Default phase weights: one third each of non-contrast, corticomedullary and nephrographic scans. */
    public static final Map<ScanPhase, Double> DEFAULT_PHASE_MIX = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            ScanPhase.NON_CONTRAST, 1.0, ScanPhase.CORTICOMEDULLARY, 1.0, ScanPhase.NEPHROGRAPHIC, 1.0)));

    private PhantomConfig(Builder b) {
        this.seed = b.seed;
        this.matrixSize = b.matrixSize;
        this.fieldOfViewMm = b.fieldOfViewMm;
        this.sliceThicknessMm = b.sliceThicknessMm;
        this.zMarginMm = b.zMarginMm;
        this.maxRotationDeg = b.maxRotationDeg;
        this.tumourFraction = b.tumourFraction;
        this.maxTumoursPerScan = b.maxTumoursPerScan;
        this.tumourDiameterMm = b.tumourDiameterMm;
        this.tumourContrastHu = b.tumourContrastHu;
        this.lobulatedFraction = b.lobulatedFraction;
        this.cystFraction = b.cystFraction;
        this.maxCystsPerScan = b.maxCystsPerScan;
        this.cystDiameterMm = b.cystDiameterMm;
        this.cystHu = b.cystHu;
        this.noiseSigmaHu = b.noiseSigmaHu;
        this.textureAmplitudeHu = b.textureAmplitudeHu;
        this.partialVolumeBlur = b.partialVolumeBlur;
        this.phaseMix = b.phaseMix;
    }

    /** A builder with the laptop-sized defaults (128² matrix, half the scans with a tumour). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.matrixSize = matrixSize;
        b.fieldOfViewMm = fieldOfViewMm;
        b.sliceThicknessMm = sliceThicknessMm;
        b.zMarginMm = zMarginMm;
        b.maxRotationDeg = maxRotationDeg;
        b.tumourFraction = tumourFraction;
        b.maxTumoursPerScan = maxTumoursPerScan;
        b.tumourDiameterMm = tumourDiameterMm;
        b.tumourContrastHu = tumourContrastHu;
        b.lobulatedFraction = lobulatedFraction;
        b.cystFraction = cystFraction;
        b.maxCystsPerScan = maxCystsPerScan;
        b.cystDiameterMm = cystDiameterMm;
        b.cystHu = cystHu;
        b.noiseSigmaHu = noiseSigmaHu;
        b.textureAmplitudeHu = textureAmplitudeHu;
        b.partialVolumeBlur = partialVolumeBlur;
        b.phaseMix = phaseMix;
        return b;
    }

    public long seed() {
        return seed;
    }

    public int matrixSize() {
        return matrixSize;
    }

    public Interval fieldOfViewMm() {
        return fieldOfViewMm;
    }

    public Interval sliceThicknessMm() {
        return sliceThicknessMm;
    }

    public Interval zMarginMm() {
        return zMarginMm;
    }

    public double maxRotationDeg() {
        return maxRotationDeg;
    }

    public double tumourFraction() {
        return tumourFraction;
    }

    public int maxTumoursPerScan() {
        return maxTumoursPerScan;
    }

    public Interval tumourDiameterMm() {
        return tumourDiameterMm;
    }

    public Interval tumourContrastHu() {
        return tumourContrastHu;
    }

    public double lobulatedFraction() {
        return lobulatedFraction;
    }

    public double cystFraction() {
        return cystFraction;
    }

    public int maxCystsPerScan() {
        return maxCystsPerScan;
    }

    public Interval cystDiameterMm() {
        return cystDiameterMm;
    }

    public Interval cystHu() {
        return cystHu;
    }

    public Interval noiseSigmaHu() {
        return noiseSigmaHu;
    }

    public Interval textureAmplitudeHu() {
        return textureAmplitudeHu;
    }

    public boolean partialVolumeBlur() {
        return partialVolumeBlur;
    }

    /** Relative weights of the contrast phases scans draw from (unmodifiable); empty when {@link #singlePhase()}. */
    public Map<ScanPhase, Double> phaseMix() {
        return phaseMix;
    }

    /** Whether every scan uses the earlier single-phase HU values (see {@link Builder#singlePhase()}). */
    public boolean singlePhase() {
        return phaseMix.isEmpty();
    }

    /** Draws one scan's phase by weight; {@code null} when {@link #singlePhase()}. */
    ScanPhase drawPhase(SplittableRandom r) {
        if (phaseMix.isEmpty()) {
            return null;
        }
        double total = 0;
        for (double w : phaseMix.values()) {
            total += w;
        }
        double u = r.nextDouble() * total;
        ScanPhase last = null;
        for (Map.Entry<ScanPhase, Double> e : phaseMix.entrySet()) {
            last = e.getKey();
            u -= e.getValue();
            if (u < 0) {
                return last;
            }
        }
        return last;
    }

    @Override
    public String toString() {
        return "PhantomConfig{seed=" + seed + ", matrix=" + matrixSize + ", fov=" + fieldOfViewMm + " mm, slice="
                + sliceThicknessMm + " mm, zMargin=" + zMarginMm + " mm, rotation=±" + maxRotationDeg
                + "°, tumours=" + tumourFraction + " (≤" + maxTumoursPerScan + ", Ø " + tumourDiameterMm
                + " mm, contrast " + tumourContrastHu + " HU, lobulated " + lobulatedFraction + "), cysts="
                + cystFraction + " (≤" + maxCystsPerScan + ", Ø " + cystDiameterMm + " mm, " + cystHu
                + " HU), noise σ=" + noiseSigmaHu + " HU, texture=" + textureAmplitudeHu + " HU, blur="
                + partialVolumeBlur + (phaseMix.isEmpty() ? "" : ", phases=" + phaseMix) + "}";
    }

    /** Builder of {@link PhantomConfig}; every setter validates its argument at once. */
    public static final class Builder {
        private long seed = 0;
        private int matrixSize = 128;
        private Interval fieldOfViewMm = Interval.of(330, 450);
        private Interval sliceThicknessMm = Interval.of(2.5, 5.0);
        private Interval zMarginMm = Interval.of(20, 40);
        private double maxRotationDeg = 5;
        private double tumourFraction = 0.5;
        private int maxTumoursPerScan = 1;
        private Interval tumourDiameterMm = Interval.of(10, 60);
        private Interval tumourContrastHu = Interval.of(-80, -20);
        private double lobulatedFraction = 0.5;
        private double cystFraction = 0.3;
        private int maxCystsPerScan = 2;
        private Interval cystDiameterMm = Interval.of(8, 30);
        private Interval cystHu = Interval.of(0, 20);
        private Interval noiseSigmaHu = Interval.of(10, 20);
        private Interval textureAmplitudeHu = Interval.of(4, 10);
        private boolean partialVolumeBlur = true;
        private Map<ScanPhase, Double> phaseMix = DEFAULT_PHASE_MIX;

        private Builder() {
        }

        /** Seed of the whole phantom set; scan {@code i} depends only on (seed, i). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** In-plane matrix (square), 16–1024; 128 for laptops, 512 for clinical resolution. */
        public Builder matrixSize(int matrixSize) {
            if (matrixSize < 16 || matrixSize > 1024) {
                throw new IllegalArgumentException("matrixSize must be in [16, 1024], got " + matrixSize
                        + "; use e.g. 128, 256 or 512");
            }
            this.matrixSize = matrixSize;
            return this;
        }

        /** Square field of view in mm (the body is 250–350 mm wide), within [250, 600]. */
        public Builder fieldOfViewMm(Interval fieldOfViewMm) {
            this.fieldOfViewMm = nonNull(fieldOfViewMm, "fieldOfViewMm").requireWithin("fieldOfViewMm", 250, 600);
            return this;
        }

        /** Slice thickness (z spacing) in mm, within [0.5, 10]. */
        public Builder sliceThicknessMm(Interval sliceThicknessMm) {
            this.sliceThicknessMm = nonNull(sliceThicknessMm, "sliceThicknessMm")
                    .requireWithin("sliceThicknessMm", 0.5, 10);
            return this;
        }

        /** Extra z extent above and below the kidneys in mm, within [0, 200]. */
        public Builder zMarginMm(Interval zMarginMm) {
            this.zMarginMm = nonNull(zMarginMm, "zMarginMm").requireWithin("zMarginMm", 0, 200);
            return this;
        }

        /** Largest in-plane rotation of the anatomy in degrees, within [0, 45]. */
        public Builder maxRotationDeg(double maxRotationDeg) {
            if (!(maxRotationDeg >= 0 && maxRotationDeg <= 45)) {
                throw new IllegalArgumentException("maxRotationDeg must be in [0, 45], got " + maxRotationDeg);
            }
            this.maxRotationDeg = maxRotationDeg;
            return this;
        }

        /** Probability that a scan has tumours, in [0, 1]. */
        public Builder tumourFraction(double tumourFraction) {
            this.tumourFraction = probability(tumourFraction, "tumourFraction");
            return this;
        }

        /** Most tumours in one scan (1–4); a tumour scan gets a uniform count in [1, max]. */
        public Builder maxTumoursPerScan(int maxTumoursPerScan) {
            this.maxTumoursPerScan = count(maxTumoursPerScan, "maxTumoursPerScan");
            return this;
        }

        /** Tumour diameter in mm (the lesion fits in a sphere of this diameter), within [2, 120]. */
        public Builder tumourDiameterMm(Interval tumourDiameterMm) {
            this.tumourDiameterMm = nonNull(tumourDiameterMm, "tumourDiameterMm")
                    .requireWithin("tumourDiameterMm", 2, 120);
            return this;
        }

        /** Tumour HU minus kidney-cortex HU, within [−300, 300]; negative = hypodense (the usual case). */
        public Builder tumourContrastHu(Interval tumourContrastHu) {
            this.tumourContrastHu = nonNull(tumourContrastHu, "tumourContrastHu")
                    .requireWithin("tumourContrastHu", -300, 300);
            return this;
        }

        /** Probability that a tumour is a union of 2–3 ellipsoids rather than one, in [0, 1]. */
        public Builder lobulatedFraction(double lobulatedFraction) {
            this.lobulatedFraction = probability(lobulatedFraction, "lobulatedFraction");
            return this;
        }

        /** Probability that a scan has cysts (benign confounders), in [0, 1]. */
        public Builder cystFraction(double cystFraction) {
            this.cystFraction = probability(cystFraction, "cystFraction");
            return this;
        }

        /** Most cysts in one scan (1–4). */
        public Builder maxCystsPerScan(int maxCystsPerScan) {
            this.maxCystsPerScan = count(maxCystsPerScan, "maxCystsPerScan");
            return this;
        }

        /** Cyst diameter in mm (spheres), within [2, 80]. */
        public Builder cystDiameterMm(Interval cystDiameterMm) {
            this.cystDiameterMm = nonNull(cystDiameterMm, "cystDiameterMm").requireWithin("cystDiameterMm", 2, 80);
            return this;
        }

        /** Cyst HU (near water), within [−50, 60]. */
        public Builder cystHu(Interval cystHu) {
            this.cystHu = nonNull(cystHu, "cystHu").requireWithin("cystHu", -50, 60);
            return this;
        }

        /** Standard deviation of the white Gaussian scanner noise in HU, within [0, 200]. */
        public Builder noiseSigmaHu(Interval noiseSigmaHu) {
            this.noiseSigmaHu = nonNull(noiseSigmaHu, "noiseSigmaHu").requireWithin("noiseSigmaHu", 0, 200);
            return this;
        }

        /** Amplitude of the smooth low-frequency tissue texture in HU, within [0, 100]. */
        public Builder textureAmplitudeHu(Interval textureAmplitudeHu) {
            this.textureAmplitudeHu = nonNull(textureAmplitudeHu, "textureAmplitudeHu")
                    .requireWithin("textureAmplitudeHu", 0, 100);
            return this;
        }

        /** Whether to soften edges with an in-plane [1 2 1]/4 blur before the noise (partial-volume effect). */
        public Builder partialVolumeBlur(boolean partialVolumeBlur) {
            this.partialVolumeBlur = partialVolumeBlur;
            return this;
        }

        /**
         * Relative weights of the contrast phases each scan draws from (seeded per scan); zero-weight phases never
         * occur. Weights must be finite and ≥ 0 with a positive sum.
         */
        public Builder phaseMix(Map<ScanPhase, Double> weights) {
            Objects.requireNonNull(weights, "phaseMix must not be null; pass e.g. PhantomConfig.DEFAULT_PHASE_MIX, "
                    + "or call singlePhase()");
            EnumMap<ScanPhase, Double> m = new EnumMap<>(ScanPhase.class);
            double total = 0;
            for (Map.Entry<ScanPhase, Double> e : weights.entrySet()) {
                Double w = e.getValue();
                if (e.getKey() == null || w == null || !(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("phaseMix weight of " + e.getKey() + " must be a finite "
                            + "number >= 0, got " + w + "; use e.g. Map.of(ScanPhase.NON_CONTRAST, 1.0, ...)");
                }
                if (w > 0) {
                    m.put(e.getKey(), w);
                    total += w;
                }
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("phaseMix must give some phase a positive weight, got " + weights
                        + "; call singlePhase() for the earlier single-phase phantom");
            }
            this.phaseMix = Collections.unmodifiableMap(m);
            return this;
        }

        /**
         * The earlier single-phase phantom: every kidney cortex 150–180 HU, medulla 100–120 HU (and the matching
         * vessel and organ values), byte-identical to scans generated before the phase mix existed.
         */
        public Builder singlePhase() {
            this.phaseMix = Map.of();
            return this;
        }

        public PhantomConfig build() {
            return new PhantomConfig(this);
        }

        private static Interval nonNull(Interval v, String name) {
            return Objects.requireNonNull(v, () -> name + " must not be null; pass Interval.of(min, max)");
        }

        private static double probability(double p, String name) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
            }
            return p;
        }

        private static int count(int n, String name) {
            if (n < 1 || n > 4) {
                throw new IllegalArgumentException(name + " must be in [1, 4], got " + n
                        + "; set the fraction to 0 to have none");
            }
            return n;
        }
    }
}
