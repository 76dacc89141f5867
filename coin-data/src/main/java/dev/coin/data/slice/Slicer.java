package dev.coin.data.slice;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.image.FloatImage;
import dev.coin.data.volume.AxialAxis;
import dev.coin.data.volume.LabelValues;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a labelled CT volume into the axial slices the reference trains on (§6.2–6.4): keep the slices with
 * enough kidney, label them by tumour size, normalise with the CT window, orient ({@link SliceOrientation}),
 * resize (image bilinear, masks nearest) and attach the relative height.
 *
 * <p>Per scan, in this order (the reference's): (1) one pass over the label volume counts kidney and tumour voxels
 * per slice at native resolution; a slice {@code k} is kept iff {@code kidney(k) > kidneyThreshold}, its label is
 * 1 iff {@code tumour(k) > tumourThreshold}; (2) for every kept slice, the voxel-index image is windowed to
 * [−1, 1] and resized bilinearly, the label slice is resized by nearest neighbour and split into one binary mask
 * per class of the label map (a class with several label values gets their union); both are then reoriented — after resizing for the reference's fixed orientations,
 * before it for {@link SliceOrientation#CANONICAL}, whose frame ({@link DisplayFrame}) is read from the image
 * affine once per scan; (3) relative height over the kept slices as {@link SliceConfig#heightOrder()} says
 * (default: 0 = most inferior, 1 = most superior, {@link SliceSelection#relativeHeight(int)}), 0.5 for a single
 * kept slice. Slices are listed by ascending storage index {@code k}; each also carries its anatomical index
 * ({@link Slice#anatomicalIndex()}). A scan with no kept
 * slice yields an empty list (with a warning). Cost is O(voxels) for the counting pass plus O(native slice) per
 * kept slice, with primitive loops only.
 *
 * <pre>{@code
 * Slicer slicer = new Slicer(SliceConfig.tuh(Fingerprint.read(fp).toWindow()));
 * List<Slice> slices = slicer.slice(ct, seg);        // ct, seg: Volumes of one scan
 * SliceSelection sel = slicer.select(new LabelledScan(ct, seg));   // just the kept indices and labels
 * }</pre>
 */
public final class Slicer {
    private static final Logger LOG = LoggerFactory.getLogger(Slicer.class);
    private static final int TILE = 16;

    private final SliceConfig config;

    public Slicer(SliceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public SliceConfig config() {
        return config;
    }

    /** The slices of a scan; the scan id is the image volume's id. */
    public List<Slice> slice(Volume image, Volume label) {
        return slice(new LabelledScan(image, label));
    }

    /**
     * The slices of a scan, ascending storage slice index.
     *
     * @throws IllegalArgumentException for {@link SliceOrientation#CANONICAL} when the image affine gives no
     *                                  display frame ({@link DisplayFrame#of})
     */
    public List<Slice> slice(LabelledScan scan) {
        SliceSelection sel = select(scan);
        int[] kept = sel.kept();
        int[] labels = sel.labels();
        DisplayFrame frame = kept.length > 0 && config.orientation() == SliceOrientation.CANONICAL
                ? displayFrameOf(scan.image(), sel.axis()) : null;
        List<Slice> out = new ArrayList<>(kept.length);
        for (int n = 0; n < kept.length; n++) {
            int anatomical = sel.anatomicalIndex(n);
            double height = sel.height(n, config.heightOrder());
            out.add(frame == null ? cut(scan, sel.axis(), kept[n], anatomical, labels[n], height)
                    : cutCanonical(scan, sel.axis(), frame, kept[n], anatomical, labels[n], height));
        }
        return out;
    }

    /**
     * The display frame {@link SliceOrientation#CANONICAL} uses for {@code image} (see {@link DisplayFrame}).
     *
     * @throws IllegalArgumentException if the affine gives none
     */
    public DisplayFrame displayFrameOf(Volume image) {
        return displayFrameOf(image, axialAxisOf(image));
    }

    private static DisplayFrame displayFrameOf(Volume image, AxialAxis axis) {
        DisplayFrame f = DisplayFrame.of(image, axis);
        LOG.debug("scan {}: {}", image.id(), f);
        return f;
    }

    /**
     * The way back from this slicer's slices of {@code image} to the image's voxels ({@link SliceInverse}).
     *
     * @throws IllegalArgumentException as {@link #axialAxisOf} and, for CANONICAL, {@link DisplayFrame#of} do
     */
    public SliceInverse inverse(Volume image) {
        return SliceInverse.of(config, image);
    }

    /**
     * The axial axis used for {@code image}: the configured override, else read from the image affine.
     *
     * @throws IllegalArgumentException if the affine cannot decide (the message says how to override)
     */
    public AxialAxis axialAxisOf(Volume image) {
        return config.axialAxis().isPresent() ? AxialAxis.fixed(config.axialAxis().getAsInt())
                : AxialAxis.detect(image);
    }

    /** Kept slice indices and their labels, without cutting images. */
    public SliceSelection select(LabelledScan scan) {
        Volume label = scan.label();
        AxialAxis axis = axialAxisOf(scan.image());
        warnIfLabelAxisDiffers(scan, axis);
        int a = axis.axis();
        int nx = label.nx();
        int ny = label.ny();
        int nz = label.nz();
        int slices = label.size(a);
        LabelMap map = config.labelMap();
        // per label value: 1 kidney, 2 tumour, 3 another class of the map (several values may share a class), 4 ignored
        int kidneyChannel = map.channelIndex(config.kidneyClass());
        int tumourChannel = config.tumourClass().map(map::channelIndex).orElse(-1);
        int[] ignoredValues = map.ignoredValues();
        int maxKnown = map.maxValue();
        for (int v : ignoredValues) {
            maxKnown = Math.max(maxKnown, v);
        }
        byte[] role = new byte[maxKnown + 1];
        for (int v : ignoredValues) {
            role[v] = 4;   // known to the map, in no channel, not warned about
        }
        for (int c = 0; c < map.channelCount(); c++) {
            for (int v : map.valuesAt(c)) {
                role[v] = (byte) (c == kidneyChannel ? 1 : c == tumourChannel ? 2 : 3);
            }
        }

        int[] kidney = new int[slices];
        int[] tumour = new int[slices];
        long unknown = 0;
        int unknownExample = -1;
        int idx = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                if (a == 0) {
                    // the slice index changes with every voxel of the row
                    for (int i = 0; i < nx; i++, idx++) {
                        int c = LabelValues.classAt(label, idx);
                        int r = c < role.length ? role[c] : 0;
                        if (r == 1) {
                            kidney[i]++;
                        } else if (r == 2) {
                            tumour[i]++;
                        } else if (r == 0) {
                            unknown++;
                            unknownExample = c;
                        }
                    }
                } else {
                    int s = a == 1 ? j : k;
                    int kc = 0;
                    int tc = 0;
                    for (int i = 0; i < nx; i++, idx++) {
                        int c = LabelValues.classAt(label, idx);
                        int r = c < role.length ? role[c] : 0;
                        if (r == 1) {
                            kc++;
                        } else if (r == 2) {
                            tc++;
                        } else if (r == 0) {
                            unknown++;
                            unknownExample = c;
                        }
                    }
                    kidney[s] += kc;
                    tumour[s] += tc;
                }
            }
        }
        if (unknown > 0) {
            LOG.warn("scan {}: {} label voxels hold values outside {} (e.g. {}); they belong to no mask channel",
                    scan.id(), unknown, map, unknownExample);
        }

        int keptCount = 0;
        for (int s = 0; s < slices; s++) {
            if (kidney[s] > config.kidneyThreshold()) {
                keptCount++;
            }
        }
        int[] kept = new int[keptCount];
        int[] labels = new int[keptCount];
        int n = 0;
        for (int s = 0; s < slices; s++) {
            if (kidney[s] > config.kidneyThreshold()) {
                kept[n] = s;
                labels[n] = tumour[s] > config.tumourThreshold() ? 1 : 0;
                n++;
            }
        }
        SliceSelection sel = new SliceSelection(scan.id(), axis, kidney, tumour, kept, labels);
        if (keptCount == 0) {
            LOG.warn("scan {}: no slice has more than {} '{}' voxels; it contributes no slices", scan.id(),
                    config.kidneyThreshold(), config.kidneyClass());
        } else {
            LOG.debug("{}", sel);
        }
        return sel;
    }

    private void warnIfLabelAxisDiffers(LabelledScan scan, AxialAxis axis) {
        if (!axis.fromAffine()) {
            return;
        }
        try {
            AxialAxis fromLabel = AxialAxis.detect(scan.label());
            if (fromLabel.axis() != axis.axis()) {
                LOG.warn("scan {}: the image affine puts the axial axis at {} but the label affine at {}; using the "
                        + "image's (set SliceConfig.axialAxis to decide explicitly)", scan.id(), axis.axis(),
                        fromLabel.axis());
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("scan {}: the label affine does not decide an axial axis ({}); using the image's", scan.id(),
                    e.getMessage());
        }
    }

    private Slice cut(LabelledScan scan, AxialAxis axis, int k, int anatomical, int label, double height) {
        int a = axis.axis();
        int p = axis.firstInPlaneAxis();
        int q = axis.secondInPlaneAxis();
        Volume image = scan.image();
        int rows = image.size(p);
        int cols = image.size(q);
        int outH = config.outputHeight();
        int outW = config.outputWidth();
        SliceOrientation orientation = config.orientation();
        int rRows = orientation.resizedRows(outH, outW);
        int rCols = orientation.resizedCols(outH, outW);

        float[] pixels = voxelIndexImage(image, a, p, q, k);
        for (int i = 0; i < pixels.length; i++) {
            if (Float.isNaN(pixels[i])) {
                throw new IllegalArgumentException("image volume " + image.id() + " holds NaN in axial slice " + k
                        + " (row " + i / cols + ", column " + i % cols + "); fix the scan or exclude it");
            }
        }
        CtWindow window = config.window();
        window.applyInPlace(pixels);
        float[] img = orientation.apply(Resize.bilinear(pixels, rows, cols, rRows, rCols), rRows, rCols);

        // nearest-neighbour resampling commutes with thresholding, so resize the label slice once
        float[] labels = voxelIndexImage(scan.label(), a, p, q, k);
        float[] small = orientation.apply(Resize.nearest(labels, rows, cols, rRows, rCols), rRows, rCols);
        return new Slice(scan.id(), k, anatomical, label, height, FloatImage.wrap(outH, outW, img),
                config.labelMap().channelNames(), masks(small, outH, outW));
    }

    /** Reorients the native slice into the {@link DisplayFrame}, then windows and resizes it. */
    private Slice cutCanonical(LabelledScan scan, AxialAxis axis, DisplayFrame f, int k, int anatomical, int label,
                               double height) {
        int a = axis.axis();
        Volume image = scan.image();
        int rows = image.size(f.rowAxis());
        int cols = image.size(f.columnAxis());
        int outH = config.outputHeight();
        int outW = config.outputWidth();
        float[] pixels = orientedImage(image, a, f, k);
        checkNoNaN(image, k, pixels, cols);
        config.window().applyInPlace(pixels);
        float[] img = Resize.bilinear(pixels, rows, cols, outH, outW);
        float[] small = Resize.nearest(orientedImage(scan.label(), a, f, k), rows, cols, outH, outW);
        return new Slice(scan.id(), k, anatomical, label, height, FloatImage.wrap(outH, outW, img),
                config.labelMap().channelNames(), masks(small, outH, outW));
    }

    private List<FloatImage> masks(float[] small, int outH, int outW) {
        LabelMap map = config.labelMap();
        List<FloatImage> masks = new ArrayList<>(map.channelCount());
        for (int c = 0; c < map.channelCount(); c++) {
            int[] vals = map.valuesAt(c);
            float[] m = new float[small.length];
            if (vals.length == 1) {
                float value = vals[0];
                for (int i = 0; i < m.length; i++) {
                    m[i] = small[i] == value ? 1f : 0f;
                }
            } else {
                // label voxels were checked to be non-negative integers when counted (LabelValues.classAt)
                boolean[] in = new boolean[map.maxValue() + 1];
                for (int v : vals) {
                    in[v] = true;
                }
                for (int i = 0; i < m.length; i++) {
                    int v = (int) small[i];
                    m[i] = v < in.length && in[v] ? 1f : 0f;
                }
            }
            masks.add(FloatImage.wrap(outH, outW, m));
        }
        return masks;
    }

    private static void checkNoNaN(Volume image, int k, float[] pixels, int cols) {
        for (int i = 0; i < pixels.length; i++) {
            if (Float.isNaN(pixels[i])) {
                throw new IllegalArgumentException("image volume " + image.id() + " holds NaN in axial slice " + k
                        + " (row " + i / cols + ", column " + i % cols + "); fix the scan or exclude it");
            }
        }
    }

    /** Slice {@code k} along axis {@code a} in the frame {@code f}: row/column axes and reversals from {@code f}. */
    static float[] orientedImage(Volume v, int a, DisplayFrame f, int k) {
        int[] stride = {1, v.nx(), v.nx() * v.ny()};
        int rows = v.size(f.rowAxis());
        int cols = v.size(f.columnAxis());
        int sr = f.rowsReversed() ? -stride[f.rowAxis()] : stride[f.rowAxis()];
        int sc = f.columnsReversed() ? -stride[f.columnAxis()] : stride[f.columnAxis()];
        int base = k * stride[a] + (f.rowsReversed() ? (rows - 1) * stride[f.rowAxis()] : 0)
                + (f.columnsReversed() ? (cols - 1) * stride[f.columnAxis()] : 0);
        float[] out = new float[rows * cols];
        for (int c0 = 0; c0 < cols; c0 += TILE) {
            int c1 = Math.min(c0 + TILE, cols);
            for (int r = 0; r < rows; r++) {
                int src = base + r * sr;
                int o = r * cols;
                for (int c = c0; c < c1; c++) {
                    out[o + c] = v.getFlat(src + c * sc);
                }
            }
        }
        return out;
    }

    /** {@code out[r * C + c] = voxel(p = r, q = c, a = k)}, see {@link SliceOrientation}. */
    static float[] voxelIndexImage(Volume v, int a, int p, int q, int k) {
        int[] stride = {1, v.nx(), v.nx() * v.ny()};
        int rows = v.size(p);
        int cols = v.size(q);
        int sp = stride[p];
        int sq = stride[q];
        float[] out = new float[rows * cols];
        int base = k * stride[a];
        // a transpose when p has the smaller stride: go in blocks of TILE columns so that both the reads (TILE
        // short runs along p) and the writes (runs of TILE along a row) stay in cache
        for (int c0 = 0; c0 < cols; c0 += TILE) {
            int c1 = Math.min(c0 + TILE, cols);
            for (int r = 0; r < rows; r++) {
                int src = base + r * sp;
                int o = r * cols;
                for (int c = c0; c < c1; c++) {
                    out[o + c] = v.getFlat(src + c * sq);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Slicer[" + config + "]";
    }
}
