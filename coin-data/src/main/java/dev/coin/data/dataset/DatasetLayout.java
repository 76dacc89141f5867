package dev.coin.data.dataset;

import dev.coin.data.ct.CtWindow;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceOrientation;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the scans of a dataset lie on disk, for the folder layouts users hold, each behind one call:
 *
 * <pre>
 * {@link #nnUNet}            root/imagesTr/&lt;id&gt;_0000.nii.gz   CT in HU (the "_0000" channel suffix is optional)
 *   (also {@link #of})      root/labelsTr/&lt;id&gt;.nii.gz        labels (TUH: 1 kidney, 2 tumour, 3 cyst); the embedded
 *                                                        synthetic dataset uses it too
 * {@link #kits19}            root/case_XXXXX/imaging.nii.gz    CT, axial axis first
 *                          root/case_XXXXX/segmentation.nii.gz   1 kidney, 2 tumour
 * {@link #kits23}            the same folders (KiTS21 and KiTS23)  1 kidney, 2 tumour, 3 cyst
 * {@link #totalSegmentator}  root/sXXXX/ct.nii.gz
 *                          root/sXXXX/segmentations/kidney_left.nii.gz, kidney_right.nii.gz, ...
 *                                                        one binary file per structure; the kidney mask is their
 *                                                        union (the COIN paper's synthetic-experiment source)
 * </pre>
 *
 * <p>Every layout also keeps the files a {@link CtDataset} writes on first use in {@code root}:
 * {@code splits/split.csv}, {@code fingerprint.json} and the slice cache {@code .cache/}. {@link #detect} picks
 * the layout from what is in the folder (it refuses to guess between KiTS19 and KiTS21/23, whose folders look the
 * same but whose labels differ). The layout's files are checked when {@link #scans()} lists them, so a layout can
 * be named before the files exist (as {@code SyntheticDataset} does); a folder that does not match gets a
 * {@link DatasetLayoutException} naming the files that are missing and what the layout expects.
 *
 * <p>Each layout says how its scans should be sliced ({@link #sliceConfig(CtWindow)}) and with which labels
 * ({@link #labelMap()}); {@code CtDataset.builder(layout)} uses that unless told otherwise:
 *
 * <pre>{@code
 * CtDataset kits = CtDataset.builder(DatasetLayout.kits23(Path.of("data/kits23"))).build();
 * DatasetLayout ts = DatasetLayout.totalSegmentator(Path.of("data/Totalsegmentator_dataset"));
 * CtDataset small = CtDataset.builder(ts)
 *         .sliceConfig(w -> ts.sliceConfig(w).toBuilder().outputSize(128, 128).build())
 *         .build();
 * }</pre>
 */
public final class DatasetLayout {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetLayout.class);

    public static final String IMAGES = "imagesTr";
    public static final String LABELS = "labelsTr";
    /** KiTS: the CT of a case folder. */
    public static final String KITS_IMAGE = "imaging.nii.gz";
    /** KiTS: the labels of a case folder. */
    public static final String KITS_LABEL = "segmentation.nii.gz";
    /** TotalSegmentator: the CT of a subject folder. */
    public static final String TOTAL_SEGMENTATOR_IMAGE = "ct.nii.gz";
    /** TotalSegmentator: the folder of per-structure binary masks inside a subject folder. */
    public static final String TOTAL_SEGMENTATOR_MASKS = "segmentations";
    /** TotalSegmentator: the structures whose union is the kidney mask by default. */
    public static final List<String> TOTAL_SEGMENTATOR_KIDNEYS = List.of("kidney_left", "kidney_right");

    private static final Pattern KITS_CASE = Pattern.compile("case_\\d+");
    private static final Pattern TOTAL_SEGMENTATOR_SUBJECT = Pattern.compile("s\\d+");
    private static final String KITS_EXPECTS = "case_XXXXX/{imaging,segmentation}.nii.gz";

    /** The folder layouts {@link DatasetLayout} reads. */
    public enum Format {
        /** {@code imagesTr/<id>_0000.nii.gz} + {@code labelsTr/<id>.nii.gz} (nnU-Net, TUH, the synthetic set). */
        NNUNET("nnU-Net"),
        /** {@code case_XXXXX/{imaging,segmentation}.nii.gz}, labels 1 kidney, 2 tumour. */
        KITS19("KiTS19"),
        /** KiTS21/23: KiTS19's folders, labels 1 kidney, 2 tumour, 3 cyst. */
        KITS23("KiTS21/23"),
        /** {@code sXXXX/ct.nii.gz} + {@code sXXXX/segmentations/<structure>.nii.gz}. */
        TOTAL_SEGMENTATOR("TotalSegmentator");

        private final String displayName;

        Format(String displayName) {
            this.displayName = displayName;
        }

        /** The name used in messages, e.g. "KiTS21/23". */
        public String displayName() {
            return displayName;
        }
    }

    private final Path root;
    private final Format format;
    private final List<String> structures; // TotalSegmentator: structure i has label value i + 1

    private DatasetLayout(Path root, Format format, List<String> structures) {
        this.root = Objects.requireNonNull(root, "root");
        this.format = format;
        this.structures = structures;
    }

    /** The nnU-Net / TUH layout (the original and still the default meaning of a dataset root). */
    public static DatasetLayout of(Path root) {
        return nnUNet(root);
    }

    /** {@code root/imagesTr/<id>_0000.nii.gz} + {@code root/labelsTr/<id>.nii.gz}; sliced with {@link SliceConfig#tuh}. */
    public static DatasetLayout nnUNet(Path root) {
        return new DatasetLayout(root, Format.NNUNET, List.of());
    }

    /**
     * KiTS19: {@code root/case_XXXXX/imaging.nii.gz} + {@code segmentation.nii.gz}, labels {@link LabelMap#KITS19};
     * sliced with {@link SliceConfig#kits19} (axial axis fixed to voxel axis 0, as the files store it, and the
     * reference's fixed voxel-order orientation). KiTS19's test cases (00210–00299) ship without segmentation;
     * move them out of {@code root}, {@link #scans()} refuses a case without one.
     */
    public static DatasetLayout kits19(Path root) {
        return new DatasetLayout(root, Format.KITS19, List.of());
    }

    /**
     * KiTS21 / KiTS23: KiTS19's folders, labels {@link LabelMap#KITS23} (1 kidney, 2 tumour, 3 cyst); sliced in the
     * anatomical frame ({@link SliceOrientation#CANONICAL}, axial axis and superior direction from the affine,
     * which these releases write correctly), so KiTS slices look like those of any other source.
     */
    public static DatasetLayout kits23(Path root) {
        return new DatasetLayout(root, Format.KITS23, List.of());
    }

    /** KiTS21: the same layout and labels as {@link #kits23}. */
    public static DatasetLayout kits21(Path root) {
        return kits23(root);
    }

    /**
     * TotalSegmentator: {@code root/sXXXX/ct.nii.gz} + {@code root/sXXXX/segmentations/kidney_left.nii.gz} and
     * {@code kidney_right.nii.gz}; the kidney mask is their union ({@link LabelMap#TOTALSEGMENTATOR_KIDNEYS}). The
     * other structure files are not read. Sliced with {@link #sliceConfig}: the anatomical frame (the dataset
     * mixes scanners and storage orders), kidney threshold 32 (the reference's synthetic setting) and no tumour
     * class — these kidneys are healthy; image-level labels come from synthetic anomaly insertion
     * ({@code AnomalyInsertion}), as with the phantom.
     */
    public static DatasetLayout totalSegmentator(Path root) {
        return totalSegmentator(root, TOTAL_SEGMENTATOR_KIDNEYS);
    }

    /**
     * TotalSegmentator with other structure files forming the kidney class (e.g. adding {@code kidney_cyst_left}
     * and {@code kidney_cyst_right} of TotalSegmentator v2): structure {@code i} gets label value {@code i + 1},
     * all of them in the one "kidney" class.
     *
     * @param kidneyStructures file names under {@code segmentations/} without {@code .nii.gz}, at least one
     * @throws IllegalArgumentException if the list is empty, has blanks or duplicates
     */
    public static DatasetLayout totalSegmentator(Path root, List<String> kidneyStructures) {
        Objects.requireNonNull(kidneyStructures, "kidneyStructures");
        if (kidneyStructures.isEmpty() || kidneyStructures.size() > 255) {
            throw new IllegalArgumentException("kidneyStructures must name 1 to 255 structure files, got "
                    + kidneyStructures + "; e.g. " + TOTAL_SEGMENTATOR_KIDNEYS);
        }
        for (int i = 0; i < kidneyStructures.size(); i++) {
            String s = kidneyStructures.get(i);
            if (s == null || s.isBlank() || s.contains("/") || s.endsWith(".nii.gz")) {
                throw new IllegalArgumentException("kidneyStructures[" + i + "] must be a structure name such as "
                        + "'kidney_left' (no folder, no .nii.gz), got '" + s + "'");
            }
            if (kidneyStructures.indexOf(s) != i) {
                throw new IllegalArgumentException("kidneyStructures names '" + s + "' twice: " + kidneyStructures);
            }
        }
        return new DatasetLayout(root, Format.TOTAL_SEGMENTATOR, List.copyOf(kidneyStructures));
    }

    /**
     * The layout of the files in {@code root}: nnU-Net ({@code imagesTr/} and {@code labelsTr/}) or
     * TotalSegmentator ({@code sXXXX/ct.nii.gz}). KiTS folders are recognised but not guessed at: KiTS19 and
     * KiTS21/23 look the same on disk and differ in labels, so the message asks for {@link #kits19} or
     * {@link #kits23}.
     *
     * @throws DatasetLayoutException if {@code root} is not a folder, matches no layout, matches several, or is KiTS
     */
    public static DatasetLayout detect(Path root) {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new DatasetLayoutException(root, "dataset root " + root + " is not a folder; pass the folder "
                    + "that holds imagesTr/ (nnU-Net), case_XXXXX/ (KiTS) or sXXXX/ (TotalSegmentator)");
        }
        List<Format> found = formatsIn(root);
        if (found.size() > 1) {
            throw new DatasetLayoutException(root, "dataset root " + root + " holds files of several layouts "
                    + names(found) + "; keep one dataset per folder or name the layout with DatasetLayout."
                    + "nnUNet/kits19/kits23/totalSegmentator(root)");
        }
        if (found.isEmpty()) {
            throw new DatasetLayoutException(root, "dataset root " + root + " matches no known layout; expected "
                    + "imagesTr/<id>_0000.nii.gz + labelsTr/<id>.nii.gz (nnU-Net), " + KITS_EXPECTS + " (KiTS), or "
                    + "sXXXX/ct.nii.gz + sXXXX/segmentations/kidney_left.nii.gz, kidney_right.nii.gz "
                    + "(TotalSegmentator)");
        }
        return switch (found.get(0)) {
            case NNUNET -> nnUNet(root);
            case TOTAL_SEGMENTATOR -> totalSegmentator(root);
            default -> throw new DatasetLayoutException(root, "dataset root " + root + " holds KiTS case folders ("
                    + KITS_EXPECTS + "); KiTS19 (labels 1 kidney, 2 tumour) and KiTS21/23 (also 3 cyst) look the "
                    + "same on disk: use DatasetLayout.kits19(root) or DatasetLayout.kits23(root)");
        };
    }

    /** The layouts whose files are in {@code root} (KiTS19 and KiTS21/23 both reported as KITS19). */
    private static List<Format> formatsIn(Path root) {
        List<Format> out = new ArrayList<>();
        if (Files.isDirectory(root.resolve(IMAGES)) && Files.isDirectory(root.resolve(LABELS))) {
            out.add(Format.NNUNET);
        }
        boolean kits = false;
        boolean ts = false;
        for (Path d : subfolders(root)) {
            String name = d.getFileName().toString();
            kits |= KITS_CASE.matcher(name).matches() && (existing(d, "imaging") != null
                    || existing(d, "segmentation") != null);
            ts |= TOTAL_SEGMENTATOR_SUBJECT.matcher(name).matches() && (Files.exists(d.resolve(TOTAL_SEGMENTATOR_IMAGE))
                    || Files.isDirectory(d.resolve(TOTAL_SEGMENTATOR_MASKS)));
        }
        if (kits) {
            out.add(Format.KITS19);
        }
        if (ts) {
            out.add(Format.TOTAL_SEGMENTATOR);
        }
        return out;
    }

    private static String names(List<Format> formats) {
        return formats.stream().map(f -> f == Format.KITS19 ? "KiTS" : f.displayName()).toList().toString();
    }

    public Path root() {
        return root;
    }

    public Format format() {
        return format;
    }

    /** TotalSegmentator: the structure files whose union is the kidney class; empty for the other layouts. */
    public List<String> kidneyStructures() {
        return structures;
    }

    /**
     * The label map of the label volumes {@link #read} returns: {@link LabelMap#TUH} (nnU-Net), {@link LabelMap#KITS19},
     * {@link LabelMap#KITS23}, or for TotalSegmentator one "kidney" class owning values 1..n, one per structure file
     * ({@link LabelMap#TOTALSEGMENTATOR_KIDNEYS} for the default two).
     */
    public LabelMap labelMap() {
        return switch (format) {
            case NNUNET -> LabelMap.TUH;
            case KITS19 -> LabelMap.KITS19;
            case KITS23 -> LabelMap.KITS23;
            case TOTAL_SEGMENTATOR -> {
                if (structures.equals(TOTAL_SEGMENTATOR_KIDNEYS)) {
                    yield LabelMap.TOTALSEGMENTATOR_KIDNEYS;
                }
                int[] more = new int[structures.size() - 1];
                for (int i = 0; i < more.length; i++) {
                    more[i] = i + 2;
                }
                yield LabelMap.builder("TotalSegmentator " + structures).put(LabelMap.BACKGROUND, 0)
                        .put(LabelMap.KIDNEY, 1, more).build();
            }
        };
    }

    /**
     * How this layout's scans are sliced, given the window from the fingerprint:
     * <ul>
     *   <li>nnU-Net: {@link SliceConfig#tuh} (the reference's TUH settings, fixed TUH orientation);</li>
     *   <li>KiTS19: {@link SliceConfig#kits19} (axial axis 0, voxel order: the reference's KiTS settings);</li>
     *   <li>KiTS21/23: {@link SliceConfig#canonical} with {@link LabelMap#KITS23};</li>
     *   <li>TotalSegmentator: {@link SliceConfig#canonical} with {@link #labelMap()}, kidney threshold 32, no
     *       tumour class (every slice labelled 0 until anomalies are inserted).</li>
     * </ul>
     * Change any of it with {@code toBuilder()}; to mix KiTS19 slices with canonical ones, use
     * {@code SliceConfig.canonical(w).toBuilder().labelMap(LabelMap.KITS19).axialAxis(0)} (needs an affine that
     * describes the voxels).
     */
    public SliceConfig sliceConfig(CtWindow window) {
        return switch (format) {
            case NNUNET -> SliceConfig.tuh(window);
            case KITS19 -> SliceConfig.kits19(window);
            case KITS23 -> SliceConfig.canonical(window).toBuilder().labelMap(LabelMap.KITS23).build();
            case TOTAL_SEGMENTATOR -> SliceConfig.canonical(window).toBuilder().labelMap(labelMap())
                    .kidneyThreshold(32).noTumourClass().build();
        };
    }

    /**
     * nnU-Net only: the image folder.
     *
     * @throws UnsupportedOperationException for the other layouts, which keep each scan in its own folder
     */
    public Path imagesDir() {
        requireNnUNet("imagesDir()");
        return root.resolve(IMAGES);
    }

    /**
     * nnU-Net only: the label folder.
     *
     * @throws UnsupportedOperationException for the other layouts
     */
    public Path labelsDir() {
        requireNnUNet("labelsDir()");
        return root.resolve(LABELS);
    }

    public Path splitFile() {
        return root.resolve("splits").resolve("split.csv");
    }

    public Path fingerprintFile() {
        return root.resolve("fingerprint.json");
    }

    /** Where the image of scan {@code id} is (or is written): e.g. {@code case_00003/imaging.nii.gz} for KiTS. */
    public Path imageFile(String id) {
        return switch (format) {
            case NNUNET -> root.resolve(IMAGES).resolve(id + "_0000.nii.gz");
            case KITS19, KITS23 -> root.resolve(id).resolve(KITS_IMAGE);
            case TOTAL_SEGMENTATOR -> root.resolve(id).resolve(TOTAL_SEGMENTATOR_IMAGE);
        };
    }

    /**
     * Where the label volume of scan {@code id} is (or is written).
     *
     * @throws UnsupportedOperationException for TotalSegmentator, whose labels are one file per structure
     *                                       ({@link #structureFile})
     */
    public Path labelFile(String id) {
        return switch (format) {
            case NNUNET -> root.resolve(LABELS).resolve(id + ".nii.gz");
            case KITS19, KITS23 -> root.resolve(id).resolve(KITS_LABEL);
            case TOTAL_SEGMENTATOR -> throw new UnsupportedOperationException("the TotalSegmentator layout has no "
                    + "single label file per scan; use structureFile(\"" + id + "\", structure) for "
                    + TOTAL_SEGMENTATOR_MASKS + "/<structure>.nii.gz");
        };
    }

    /**
     * TotalSegmentator: the binary mask of one structure of subject {@code id},
     * {@code root/<id>/segmentations/<structure>.nii.gz}.
     *
     * @throws UnsupportedOperationException for the other layouts
     */
    public Path structureFile(String id, String structure) {
        if (format != Format.TOTAL_SEGMENTATOR) {
            throw new UnsupportedOperationException("structureFile is for the TotalSegmentator layout; this is "
                    + format.displayName() + ": use labelFile(id)");
        }
        return root.resolve(id).resolve(TOTAL_SEGMENTATOR_MASKS).resolve(structure + ".nii.gz");
    }

    /**
     * One scan's files.
     *
     * @param label      the label file (TotalSegmentator: the {@code segmentations/} folder)
     * @param labelParts the files the label volume is assembled from: {@code [label]}, or the TotalSegmentator
     *                   structure files in label-value order
     */
    public record ScanFiles(String id, Path image, Path label, List<Path> labelParts) {
        public ScanFiles {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(label, "label");
            labelParts = List.copyOf(labelParts);
        }

        /** A scan with one label file. */
        public ScanFiles(String id, Path image, Path label) {
            this(id, image, label, List.of(label));
        }
    }

    /**
     * Lists the scans, sorted by id, checking that every scan has all its files.
     *
     * @throws DatasetLayoutException naming the scans and files that are missing and the layout's expected files
     */
    public List<ScanFiles> scans() {
        return switch (format) {
            case NNUNET -> nnUNetScans();
            case KITS19, KITS23 -> kitsScans();
            case TOTAL_SEGMENTATOR -> totalSegmentatorScans();
        };
    }

    /**
     * Reads one scan: image and label volume with the scan id as their id. TotalSegmentator structure masks are
     * merged into one label volume, structure {@code i} as value {@code i + 1} (see {@link #labelMap()}).
     *
     * @throws IOException              if a file cannot be read
     * @throws IllegalArgumentException if shapes differ, or a structure mask holds a value other than 0 and 1
     */
    public LabelledScan read(ScanFiles scan) throws IOException {
        Volume image = NiftiVolumes.read(scan.image()).withId(scan.id());
        return new LabelledScan(image, readLabel(scan));
    }

    /**
     * {@link #read} for callers that cannot throw {@link IOException} (slice-cache loaders, Spark tasks): a file that
     * cannot be read becomes an {@link UncheckedIOException} naming the scan and its files.
     */
    public LabelledScan readUnchecked(ScanFiles scan) {
        try {
            return read(scan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scan " + scan.id() + " (" + scan.image() + ", " + scan.label()
                    + ")", e);
        }
    }

    /** The label volume of one scan, as {@link #read} assembles it. */
    public Volume readLabel(ScanFiles scan) throws IOException {
        if (format != Format.TOTAL_SEGMENTATOR) {
            return NiftiVolumes.read(scan.label()).withId(scan.id());
        }
        return mergeStructures(scan);
    }

    private Volume mergeStructures(ScanFiles scan) throws IOException {
        List<Path> parts = scan.labelParts();
        Volume first = null;
        float[] merged = null;
        long overlap = 0;
        for (int s = 0; s < parts.size(); s++) {
            Path p = parts.get(s);
            Volume m = NiftiVolumes.read(p);
            if (first == null) {
                first = m;
                merged = new float[Math.toIntExact(m.voxelCount())];
            } else if (!m.sameShape(first)) {
                throw new IllegalArgumentException("structure mask " + p + " has shape " + Arrays.toString(m.shape())
                        + " but " + parts.get(0).getFileName() + " has " + Arrays.toString(first.shape())
                        + "; the masks of subject " + scan.id() + " must all have the CT's voxel grid");
            }
            float value = s + 1;
            for (int i = 0; i < merged.length; i++) {
                float v = m.getFlat(i);
                if (v == 0) {
                    continue;
                }
                if (v != 1) {
                    throw new IllegalArgumentException("structure mask " + p + " holds " + v + " at flat voxel " + i
                            + "; TotalSegmentator masks are binary (0/1): pass the per-structure files, not a "
                            + "multi-label file or an interpolated resampling");
                }
                if (merged[i] == 0) {
                    merged[i] = value;
                } else {
                    overlap++;
                }
            }
        }
        if (overlap > 0) {
            // every structure is in the one kidney class, so the union is the same either way
            LOG.warn("subject {}: {} voxels are in more than one of {}; they keep the first structure's value",
                    scan.id(), overlap, structures);
        }
        return Volume.of(scan.id(), first.shape(), merged, first.spacing(), first.affine());
    }

    private List<ScanFiles> nnUNetScans() {
        Path images = root.resolve(IMAGES);
        Path labels = root.resolve(LABELS);
        if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
            throw new DatasetLayoutException(root, "dataset root " + root + " must contain " + IMAGES + "/ and "
                    + LABELS + "/ folders of .nii or .nii.gz files; build the embedded one with "
                    + "SyntheticDataset.ensure(root) or point to a dataset in that layout" + otherLayoutHint());
        }
        Map<String, Path> imageFiles = list(images, true);
        Map<String, Path> labelFiles = list(labels, false);
        List<ScanFiles> out = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Map.Entry<String, Path> e : imageFiles.entrySet()) {
            Path label = labelFiles.get(e.getKey());
            if (label == null) {
                unmatched.add(e.getValue().getFileName().toString());
            } else {
                out.add(new ScanFiles(e.getKey(), e.getValue(), label));
            }
        }
        if (!unmatched.isEmpty()) {
            throw new DatasetLayoutException(root, "images without a label in " + labels + ": " + unmatched
                    + " (expected e.g. " + LABELS + "/<id>.nii.gz for " + IMAGES + "/<id>_0000.nii.gz)");
        }
        if (out.isEmpty()) {
            throw new DatasetLayoutException(root, "no scans found in " + images);
        }
        return out;
    }

    private List<ScanFiles> kitsScans() {
        String layout = format.displayName() + " layout expects " + KITS_EXPECTS;
        List<ScanFiles> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path d : caseFolders(KITS_CASE, "case_XXXXX")) {
            String id = d.getFileName().toString();
            Path image = existing(d, "imaging");
            Path label = existing(d, "segmentation");
            if (image != null && label != null) {
                out.add(new ScanFiles(id, image, label));
            } else if (image != null) {
                problems.add(id + " has " + image.getFileName() + " but no " + KITS_LABEL);
            } else if (label != null) {
                problems.add(id + " has " + label.getFileName() + " but no " + KITS_IMAGE);
            } else {
                problems.add(id + " has neither " + KITS_IMAGE + " nor " + KITS_LABEL);
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetLayoutException(root, summary(problems) + "; " + layout + " in " + root
                    + " (unlabelled cases, such as KiTS19's test cases, must be moved out of the folder)");
        }
        if (out.isEmpty()) {
            throw new DatasetLayoutException(root, "no case_XXXXX folders in " + root + "; " + layout
                    + otherLayoutHint());
        }
        return out;
    }

    private List<ScanFiles> totalSegmentatorScans() {
        String layout = "TotalSegmentator layout expects sXXXX/" + TOTAL_SEGMENTATOR_IMAGE + " and sXXXX/"
                + TOTAL_SEGMENTATOR_MASKS + "/{" + String.join(",", structures) + "}.nii.gz";
        List<ScanFiles> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path d : caseFolders(TOTAL_SEGMENTATOR_SUBJECT, "sXXXX")) {
            String id = d.getFileName().toString();
            Path image = d.resolve(TOTAL_SEGMENTATOR_IMAGE);
            Path masks = d.resolve(TOTAL_SEGMENTATOR_MASKS);
            boolean hasImage = Files.isRegularFile(image);
            if (!Files.isDirectory(masks)) {
                problems.add(id + (hasImage ? " has " + TOTAL_SEGMENTATOR_IMAGE + " but" : " has neither "
                        + TOTAL_SEGMENTATOR_IMAGE + " nor") + " no " + TOTAL_SEGMENTATOR_MASKS + "/ folder");
                continue;
            }
            List<Path> parts = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String s : structures) {
                Path p = masks.resolve(s + ".nii.gz");
                if (Files.isRegularFile(p)) {
                    parts.add(p);
                } else {
                    missing.add(s + ".nii.gz");
                }
            }
            if (!hasImage) {
                problems.add(id + " has " + TOTAL_SEGMENTATOR_MASKS + "/ but no " + TOTAL_SEGMENTATOR_IMAGE);
            } else if (!missing.isEmpty()) {
                problems.add(id + " has " + TOTAL_SEGMENTATOR_IMAGE + " but no " + TOTAL_SEGMENTATOR_MASKS + "/"
                        + String.join(", " + TOTAL_SEGMENTATOR_MASKS + "/", missing));
            } else {
                out.add(new ScanFiles(id, image, masks, parts));
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetLayoutException(root, summary(problems) + "; " + layout + " in " + root);
        }
        if (out.isEmpty()) {
            throw new DatasetLayoutException(root, "no sXXXX subject folders in " + root + "; " + layout
                    + otherLayoutHint());
        }
        return out;
    }

    /** The sorted subfolders matching {@code pattern}; other subfolders are reported (our own are skipped). */
    private List<Path> caseFolders(Pattern pattern, String shape) {
        if (!Files.isDirectory(root)) {
            throw new DatasetLayoutException(root, "dataset root " + root + " is not a folder; "
                    + format.displayName() + " layout expects " + root + "/" + shape + "/...");
        }
        List<Path> out = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (Path d : subfolders(root)) {
            String name = d.getFileName().toString();
            if (pattern.matcher(name).matches()) {
                out.add(d);
            } else if (!name.startsWith(".") && !name.equals("splits")) {
                other.add(name + "/");
            }
        }
        if (!other.isEmpty() && !out.isEmpty()) {
            LOG.warn("{}: ignoring folders that are not {} scan folders ({}): {}", root, format.displayName(), shape,
                    other);
        }
        return out;
    }

    private static List<Path> subfolders(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** {@code dir/<stem>.nii.gz}, else {@code dir/<stem>.nii}, else null. */
    private static Path existing(Path dir, String stem) {
        for (String ext : new String[] {".nii.gz", ".nii"}) {
            Path p = dir.resolve(stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String summary(List<String> problems) {
        int shown = Math.min(problems.size(), 5);
        String s = String.join("; ", problems.subList(0, shown));
        return problems.size() > shown ? s + "; and " + (problems.size() - shown) + " more" : s;
    }

    /** ", but root looks like the X layout: use DatasetLayout.x(root)" when another layout's files are there. */
    private String otherLayoutHint() {
        List<Format> found = formatsIn(root);
        found.remove(format == Format.KITS23 ? Format.KITS19 : format);
        if (found.isEmpty()) {
            return "";
        }
        Format f = found.get(0);
        String call = switch (f) {
            case NNUNET -> "DatasetLayout.nnUNet(root)";
            case TOTAL_SEGMENTATOR -> "DatasetLayout.totalSegmentator(root)";
            default -> "DatasetLayout.kits19(root) or DatasetLayout.kits23(root)";
        };
        return "; " + root + " looks like the " + (f == Format.KITS19 ? "KiTS" : f.displayName())
                + " layout: use " + call;
    }

    private void requireNnUNet(String what) {
        if (format != Format.NNUNET) {
            throw new UnsupportedOperationException(what + " is for the nnU-Net layout; this " + format.displayName()
                    + " layout keeps each scan in its own folder: use scans(), imageFile(id) or root()");
        }
    }

    private static Map<String, Path> list(Path dir, boolean stripChannel) {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches(".*\\.nii(\\.gz)?$")).forEach(p -> {
                String id = p.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "");
                if (stripChannel) {
                    id = id.replaceFirst("_0000$", "");
                }
                out.put(id, p);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    @Override
    public String toString() {
        return format == Format.NNUNET ? "DatasetLayout[" + root + "]"
                : "DatasetLayout[" + format.displayName() + ": " + root + "]";
    }
}
