package dev.coin.data.slice;

import dev.coin.data.ct.CtWindow;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a {@link Slicer} keeps and how it shapes the result (reference §6.2–6.4).
 *
 * <ul>
 *   <li>{@code window} (required): the CT window that maps Hounsfield units to [−1, 1].</li>
 *   <li>{@code labelMap} ({@link LabelMap#TUH}): class names, label values and mask channels.</li>
 *   <li>{@code kidneyClass} ("kidney") and {@code kidneyThreshold} (100; the synthetic data uses 32): a slice is
 *       kept iff it has more than {@code kidneyThreshold} voxels of the kidney class (any of its label values;
 *       tumour and cyst voxels do not count), counted at native resolution.</li>
 *   <li>{@code tumourClass} ("tumour" when the map has it, else none) and {@code tumourThreshold} (1000): a kept
 *       slice is labelled 1 iff it has more than {@code tumourThreshold} tumour voxels at native resolution;
 *       without a tumour class every slice is labelled 0.</li>
 *   <li>{@code outputSize} (256 × 256): image resized bilinearly, masks by nearest neighbour ({@link Resize}).</li>
 *   <li>{@code axialAxis} (from the affine): an explicit voxel axis overrides the affine (KiTS19: 0).</li>
 *   <li>{@code orientation} ({@link SliceOrientation#VOXEL}): rows/columns of the output;
 *       {@link SliceOrientation#CANONICAL} shows every scan in the anatomical frame of {@link DisplayFrame}
 *       whatever its storage layout, the fixed ones reproduce the reference.</li>
 *   <li>{@code heightOrder} ({@link HeightOrder#ANATOMICAL}): relative height 0 = most inferior kept slice;
 *       {@link HeightOrder#STORAGE} is the reference's storage-order height.</li>
 * </ul>
 *
 * <p>Presets: {@link #tuh}, {@link #synthetic} and {@link #kits19} keep the reference's fixed orientations
 * (their images are bit for bit the reference's) with anatomical heights (identical to the reference's for scans
 * stored feet to head, corrected for head-first ones; add {@code heightOrder(HeightOrder.STORAGE)} to reproduce
 * the reference exactly there too). {@link #canonical} is the preset for datasets that mix sources.
 *
 * <pre>{@code
 * SliceConfig tuh = SliceConfig.tuh(fingerprint.toWindow());           // the reference's TUH settings
 * SliceConfig small = tuh.toBuilder().outputSize(128, 128).build();
 * SliceConfig synth = SliceConfig.builder().window(CtWindow.of(-1000, 1000))
 *         .labelMap(LabelMap.KIDNEY_ONLY).kidneyThreshold(32).build();
 * }</pre>
 */
public final class SliceConfig {
    public static final int DEFAULT_KIDNEY_THRESHOLD = 100;
    public static final int DEFAULT_TUMOUR_THRESHOLD = 1000;
    public static final int DEFAULT_SIZE = 256;

    private final CtWindow window;
    private final LabelMap labelMap;
    private final String kidneyClass;
    private final String tumourClass; // null: no slice label class
    private final boolean tumourClassExplicit; // false: derived from the label map, re-derived by toBuilder()
    private final int kidneyThreshold;
    private final int tumourThreshold;
    private final int outputHeight;
    private final int outputWidth;
    private final OptionalInt axialAxis;
    private final SliceOrientation orientation;
    private final HeightOrder heightOrder;

    private SliceConfig(Builder b, String tumourClass) {
        this.window = b.window;
        this.labelMap = b.labelMap;
        this.kidneyClass = b.kidneyClass;
        this.tumourClass = tumourClass;
        this.tumourClassExplicit = b.tumourClassSet;
        this.kidneyThreshold = b.kidneyThreshold;
        this.tumourThreshold = b.tumourThreshold;
        this.outputHeight = b.outputHeight;
        this.outputWidth = b.outputWidth;
        this.axialAxis = b.axialAxis;
        this.orientation = b.orientation;
        this.heightOrder = b.heightOrder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reference's TUH settings: TUH labels, thresholds 100 / 1000, 256², the TUH display orientation
     * ({@link SliceOrientation#ANTI_TRANSPOSED}, fixed: the affine's in-plane columns are not used), anatomical
     * heights.
     */
    public static SliceConfig tuh(CtWindow window) {
        return builder().window(window).labelMap(LabelMap.TUH).orientation(SliceOrientation.ANTI_TRANSPOSED).build();
    }

    /**
     * The reference's synthetic (TotalSegmentator) settings: kidney-only labels, threshold 32, 256², no label,
     * voxel order ({@link SliceOrientation#VOXEL}, fixed), anatomical heights.
     */
    public static SliceConfig synthetic(CtWindow window) {
        return builder().window(window).labelMap(LabelMap.KIDNEY_ONLY).kidneyThreshold(32).build();
    }

    /**
     * KiTS19: axial axis first (the files' affines do not say so), KiTS labels, thresholds 100 / 1000, voxel order
     * ({@link SliceOrientation#VOXEL}, fixed: the affine is not trusted, so neither the display frame nor the
     * superior direction can come from it; heights follow storage order).
     */
    public static SliceConfig kits19(CtWindow window) {
        return builder().window(window).labelMap(LabelMap.KITS19).axialAxis(0).build();
    }

    /**
     * TUH labels and thresholds (100 / 1000, 256²) in the anatomical frame ({@link SliceOrientation#CANONICAL},
     * defined in {@link DisplayFrame}) with anatomical heights: the same anatomy gives the same slices whether it
     * is stored RAS, LPS, axial-axis-first or head first. Use it for datasets that mix sources; change the label
     * map and thresholds with {@link #toBuilder()}.
     */
    public static SliceConfig canonical(CtWindow window) {
        return builder().window(window).labelMap(LabelMap.TUH).orientation(SliceOrientation.CANONICAL).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.window = window;
        b.labelMap = labelMap;
        b.kidneyClass = kidneyClass;
        b.tumourClass = tumourClass;
        b.tumourClassSet = tumourClassExplicit;
        b.kidneyThreshold = kidneyThreshold;
        b.tumourThreshold = tumourThreshold;
        b.outputHeight = outputHeight;
        b.outputWidth = outputWidth;
        b.axialAxis = axialAxis;
        b.orientation = orientation;
        b.heightOrder = heightOrder;
        return b;
    }

    public CtWindow window() {
        return window;
    }

    public LabelMap labelMap() {
        return labelMap;
    }

    public String kidneyClass() {
        return kidneyClass;
    }

    /** The class whose voxel count decides the slice label; empty means every slice is labelled 0. */
    public Optional<String> tumourClass() {
        return Optional.ofNullable(tumourClass);
    }

    public int kidneyThreshold() {
        return kidneyThreshold;
    }

    public int tumourThreshold() {
        return tumourThreshold;
    }

    public int outputHeight() {
        return outputHeight;
    }

    public int outputWidth() {
        return outputWidth;
    }

    /** The axial axis override; empty means "read it from the image affine". */
    public OptionalInt axialAxis() {
        return axialAxis;
    }

    public SliceOrientation orientation() {
        return orientation;
    }

    public HeightOrder heightOrder() {
        return heightOrder;
    }

    @Override
    public String toString() {
        return "SliceConfig[" + window + ", " + labelMap + ", keep: " + kidneyClass + " > " + kidneyThreshold
                + " px, label 1: " + (tumourClass == null ? "none (all slices 0)" : tumourClass + " > " + tumourThreshold
                + " px") + ", " + outputHeight + "x" + outputWidth + ", axial axis "
                + (axialAxis.isPresent() ? axialAxis.getAsInt() + " (fixed)" : "from affine") + ", " + orientation
                + ", heights " + heightOrder + "]";
    }

    /** Options; setters validate their argument, {@link #build()} checks the combination. */
    public static final class Builder {
        private CtWindow window;
        private LabelMap labelMap = LabelMap.TUH;
        private String kidneyClass = LabelMap.KIDNEY;
        private String tumourClass;
        private boolean tumourClassSet;
        private int kidneyThreshold = DEFAULT_KIDNEY_THRESHOLD;
        private int tumourThreshold = DEFAULT_TUMOUR_THRESHOLD;
        private int outputHeight = DEFAULT_SIZE;
        private int outputWidth = DEFAULT_SIZE;
        private OptionalInt axialAxis = OptionalInt.empty();
        private SliceOrientation orientation = SliceOrientation.VOXEL;
        private HeightOrder heightOrder = HeightOrder.ANATOMICAL;

        private Builder() {
        }

        /** The CT window (required), e.g. {@code fingerprint.toWindow()}. */
        public Builder window(CtWindow window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder labelMap(LabelMap labelMap) {
            this.labelMap = Objects.requireNonNull(labelMap, "labelMap");
            return this;
        }

        /** The class that decides whether a slice is kept (default "kidney"). */
        public Builder kidneyClass(String className) {
            this.kidneyClass = Objects.requireNonNull(className, "kidneyClass");
            return this;
        }

        /** The class that decides the slice label (default "tumour" if the label map has it). */
        public Builder tumourClass(String className) {
            this.tumourClass = Objects.requireNonNull(className, "tumourClass");
            this.tumourClassSet = true;
            return this;
        }

        /** No label class: every slice is labelled 0 (e.g. before synthetic anomalies are inserted). */
        public Builder noTumourClass() {
            this.tumourClass = null;
            this.tumourClassSet = true;
            return this;
        }

        /** Keep a slice iff its kidney voxel count is strictly greater than this (&gt;= 0). */
        public Builder kidneyThreshold(int voxels) {
            if (voxels < 0) {
                throw new IllegalArgumentException("kidneyThreshold must be >= 0 voxels, got " + voxels
                        + " (the reference uses 100 for TUH, 32 for synthetic data)");
            }
            this.kidneyThreshold = voxels;
            return this;
        }

        /** Label a slice 1 iff its tumour voxel count is strictly greater than this (&gt;= 0). */
        public Builder tumourThreshold(int voxels) {
            if (voxels < 0) {
                throw new IllegalArgumentException("tumourThreshold must be >= 0 voxels, got " + voxels
                        + " (the reference uses 1000)");
            }
            this.tumourThreshold = voxels;
            return this;
        }

        /** Output image size in pixels. */
        public Builder outputSize(int height, int width) {
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException("outputSize must be positive, got " + height + "x" + width);
            }
            this.outputHeight = height;
            this.outputWidth = width;
            return this;
        }

        /** Fix the axial voxel axis (0, 1 or 2) instead of reading it from the affine. */
        public Builder axialAxis(int axis) {
            if (axis < 0 || axis > 2) {
                throw new IllegalArgumentException("axialAxis must be a voxel axis 0, 1 or 2, got " + axis);
            }
            this.axialAxis = OptionalInt.of(axis);
            return this;
        }

        /** Read the axial axis from the image affine (the default). */
        public Builder axialAxisFromAffine() {
            this.axialAxis = OptionalInt.empty();
            return this;
        }

        /** Rows/columns of the output; {@link SliceOrientation#CANONICAL} for one anatomical frame. */
        public Builder orientation(SliceOrientation orientation) {
            this.orientation = Objects.requireNonNull(orientation, "orientation");
            return this;
        }

        /** How relative heights are counted (default {@link HeightOrder#ANATOMICAL}). */
        public Builder heightOrder(HeightOrder heightOrder) {
            this.heightOrder = Objects.requireNonNull(heightOrder, "heightOrder");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the window is missing or a class is not in the label map
         */
        public SliceConfig build() {
            if (window == null) {
                throw new IllegalArgumentException("window is required: pass window(CtWindow.of(lo, hi)) or "
                        + "window(fingerprint.toWindow())");
            }
            labelMap.channelIndex(kidneyClass); // throws naming the known classes
            String tumour = tumourClassSet ? tumourClass : (labelMap.has(LabelMap.TUMOUR) ? LabelMap.TUMOUR : null);
            if (tumour != null) {
                labelMap.channelIndex(tumour);
                if (tumour.equals(kidneyClass)) {
                    throw new IllegalArgumentException("tumourClass and kidneyClass are both '" + tumour
                            + "'; pick two different classes of " + labelMap);
                }
            }
            return new SliceConfig(this, tumour);
        }
    }
}
