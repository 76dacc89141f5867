package dev.coin.data.synth;

import dev.coin.data.random.Seeds;
import dev.coin.data.volume.Volume;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates synthetic abdominal CT scans in Hounsfield units with TUH-convention kidney/tumour/cyst labels.
 *
 * <pre>{@code
 * PhantomGenerator gen = PhantomGenerator.of(PhantomConfig.builder().seed(42).build());
 * PhantomScan scan = gen.generate(0);          // same (seed, index) → byte-identical volumes
 * Volume ct = scan.image(), labels = scan.label();
 * scan.lesions().forEach(System.out::println);
 * }</pre>
 *
 * <p>Anatomy: air outside an elliptical body with subcutaneous fat and a muscle layer; spine (vertebral bodies with
 * a cortical rim, discs, neural arch, spinous and transverse processes) with paraspinal and psoas muscles; ribs at
 * the upper levels; liver (right), spleen (left), stomach, colon and small-bowel loops with gas above an air–fluid
 * level; the aorta and the IVC in front of the spine; two kidneys at different heights with cortex, medullary
 * pyramids and renal-sinus fat opening at the hilum, their HU set by the scan's contrast phase ({@link ScanPhase},
 * drawn per scan from {@link PhantomConfig#phaseMix()}). Then lesions (see {@link PhantomConfig}),
 * a smooth low-frequency texture, an optional in-plane partial-volume blur and white Gaussian noise; values are
 * rounded to integers in [−1024, 3071] like a stored CT.
 *
 * <p>Voxel axes: i runs to the patient's left, j posterior, k superior (the affine is diag(−s, −s, t) in RAS world
 * coordinates, as in NIfTI files converted from DICOM). Shown with rows = j and columns = i, a slice is in the
 * usual radiological view (anterior up, patient's right on the viewer's left).
 *
 * <p>Scan {@code i} uses random streams derived from (seed, i) only, with separate streams for anatomy, lesions,
 * texture and noise: scans can be generated in any order or in parallel, and changing e.g. the tumour fraction
 * leaves each scan's anatomy and noise unchanged. Rendering is O(voxels): shapes are visited inside their
 * bounding boxes only.
 */
public final class PhantomGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(PhantomGenerator.class);
    private static final long ANATOMY = 1;
    private static final long LESIONS = 2;
    private static final long TEXTURE = 3;
    private static final long NOISE = 4;
    private static final long PHASE = 5;
    private static final int TEXTURE_WAVES = 4;

    private final PhantomConfig config;

    private PhantomGenerator(PhantomConfig config) {
        this.config = config;
    }

    public static PhantomGenerator of(PhantomConfig config) {
        return new PhantomGenerator(Objects.requireNonNull(config, "config"));
    }

    public PhantomConfig config() {
        return config;
    }

    /**
     * Generates scan {@code scanIndex}; a pure function of the config and the index.
     *
     * @throws IllegalArgumentException if {@code scanIndex} is negative
     */
    public PhantomScan generate(int scanIndex) {
        if (scanIndex < 0) {
            throw new IllegalArgumentException("scanIndex must be >= 0, got " + scanIndex);
        }
        long seed = config.seed();
        long t0 = System.nanoTime();
        AbdomenModel model = new AbdomenModel(config, Seeds.rng(seed, scanIndex, ANATOMY),
                Seeds.rng(seed, scanIndex, PHASE));
        int n = config.matrixSize();
        VoxelCanvas canvas = new VoxelCanvas(n, n, model.nz, model.spacing, model.sliceThickness, model.offsetU,
                model.offsetV, model.rotation);
        AbdomenPainter.paint(model, canvas);
        List<Lesion> lesions = LesionPainter.paint(config, model, canvas, Seeds.rng(seed, scanIndex, LESIONS));

        float[] labels = new float[canvas.tissue.length];
        for (int idx = 0; idx < labels.length; idx++) {
            labels[idx] = Tissue.label(canvas.tissue[idx]);
        }
        addTexture(canvas, config.textureAmplitudeHu(), Seeds.rng(seed, scanIndex, TEXTURE));
        if (config.partialVolumeBlur()) {
            blurInPlane(canvas);
        }
        SplittableRandom noiseRng = Seeds.rng(seed, scanIndex, NOISE);
        double sigma = config.noiseSigmaHu().sample(noiseRng);
        Seeds.addGaussianNoise(noiseRng, canvas.hu, sigma);
        float[] hu = canvas.hu;
        for (int idx = 0; idx < hu.length; idx++) {
            hu[idx] = Math.max(-1024, Math.min(3071, Math.round(hu[idx])));
        }

        String id = String.format("phantom_s%d_%04d", seed, scanIndex);
        int[] shape = {n, n, model.nz};
        double[] spacing = {model.spacing, model.spacing, model.sliceThickness};
        Volume image = Volume.of(id, shape, hu, spacing, affine(shape, spacing));
        Volume label = image.withVoxels(id + "_label", labels);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Generated {} with {} lesions in {} ms", image, lesions.size(), (System.nanoTime() - t0) / 1e6);
        }
        return new PhantomScan(id, new LabeledVolume(image, label), lesions, sigma,
                Math.toDegrees(model.rotation), model.phase);
    }

    /**
     * A smooth texture: a sum of random-direction 3-D sinusoids (wavelengths 25–90 mm, random phases) scaled to
     * the drawn RMS amplitude, on every tissue but air, gas and bone. Each wave is split as
     * sin(a + b) = sin a·cos b + cos a·sin b so the in-plane part is tabulated once per scan.
     */
    private static void addTexture(VoxelCanvas cv, Interval amplitudeHu, SplittableRandom r) {
        double target = amplitudeHu.sample(r);
        int ps = cv.planeSize;
        float[][] sinA = new float[TEXTURE_WAVES][ps];
        float[][] cosA = new float[TEXTURE_WAVES][ps];
        double[] kz = new double[TEXTURE_WAVES];
        double[] phase = new double[TEXTURE_WAVES];
        for (int w = 0; w < TEXTURE_WAVES; w++) {
            double lambda = AbdomenModel.uniform(r, 25, 90);
            double x = Seeds.gaussian(r);
            double y = Seeds.gaussian(r);
            double z = Seeds.gaussian(r);
            double norm = Math.max(1e-9, Math.sqrt(x * x + y * y + z * z));
            double k = 2 * Math.PI / lambda / norm;
            for (int p = 0; p < ps; p++) {
                double a = k * (x * cv.u[p] + y * cv.v[p]);
                sinA[w][p] = (float) Math.sin(a);
                cosA[w][p] = (float) Math.cos(a);
            }
            kz[w] = k * z;
            phase[w] = AbdomenModel.uniform(r, 0, 2 * Math.PI);
        }
        // Each sinusoid has RMS amp/√2; the sum of W independent ones has RMS amp·√(W/2).
        float amp = (float) (target * Math.sqrt(2.0 / TEXTURE_WAVES));
        for (int k = 0; k < cv.nz; k++) {
            float[] sb = new float[TEXTURE_WAVES];
            float[] cb = new float[TEXTURE_WAVES];
            for (int w = 0; w < TEXTURE_WAVES; w++) {
                double b = kz[w] * cv.z(k) + phase[w];
                sb[w] = (float) Math.sin(b);
                cb[w] = (float) Math.cos(b);
            }
            int base = ps * k;
            for (int p = 0; p < ps; p++) {
                if (!Tissue.textured(cv.tissue[base + p])) {
                    continue;
                }
                float s = 0;
                for (int w = 0; w < TEXTURE_WAVES; w++) {
                    s += sinA[w][p] * cb[w] + cosA[w][p] * sb[w];
                }
                cv.hu[base + p] += amp * s;
            }
        }
    }

    /** In-plane [1 2 1]/4 blur along i then j (edges replicated): a cheap partial-volume effect. */
    private static void blurInPlane(VoxelCanvas cv) {
        int nx = cv.nx;
        int ny = cv.ny;
        float[] row = new float[Math.max(nx, ny)];
        float[] hu = cv.hu;
        for (int k = 0; k < cv.nz; k++) {
            int base = cv.planeSize * k;
            for (int j = 0; j < ny; j++) {
                int o = base + nx * j;
                System.arraycopy(hu, o, row, 0, nx);
                for (int i = 0; i < nx; i++) {
                    float l = row[Math.max(0, i - 1)];
                    float rr = row[Math.min(nx - 1, i + 1)];
                    hu[o + i] = 0.25f * l + 0.5f * row[i] + 0.25f * rr;
                }
            }
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    row[j] = hu[base + i + nx * j];
                }
                for (int j = 0; j < ny; j++) {
                    float l = row[Math.max(0, j - 1)];
                    float rr = row[Math.min(ny - 1, j + 1)];
                    hu[base + i + nx * j] = 0.25f * l + 0.5f * row[j] + 0.25f * rr;
                }
            }
        }
    }

    /** RAS voxel-to-world affine: i → patient left (−x), j → posterior (−y), k → superior (+z), centred. */
    private static double[][] affine(int[] shape, double[] spacing) {
        return new double[][] {
                {-spacing[0], 0, 0, spacing[0] * (shape[0] - 1) / 2.0},
                {0, -spacing[1], 0, spacing[1] * (shape[1] - 1) / 2.0},
                {0, 0, spacing[2], -spacing[2] * (shape[2] - 1) / 2.0},
                {0, 0, 0, 1}};
    }

    @Override
    public String toString() {
        return "PhantomGenerator[" + config + "]";
    }
}
