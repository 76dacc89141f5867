package dev.coin.data.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The folder layout shared by the public kidney datasets and the embedded synthetic one (nnU-Net style):
 *
 * <pre>
 * root/imagesTr/&lt;id&gt;_0000.nii.gz   CT in HU (the "_0000" channel suffix is optional)
 * root/labelsTr/&lt;id&gt;.nii.gz        labels (e.g. TUH: 1 kidney, 2 tumour, 3 cyst)
 * root/splits/split.csv            scan-level train/validation split (written on first use)
 * root/fingerprint.json            intensity fingerprint (written on first use)
 * </pre>
 */
public final class DatasetLayout {
    public static final String IMAGES = "imagesTr";
    public static final String LABELS = "labelsTr";

    private final Path root;

    private DatasetLayout(Path root) {
        this.root = root;
    }

    public static DatasetLayout of(Path root) {
        return new DatasetLayout(root);
    }

    public Path root() {
        return root;
    }

    public Path imagesDir() {
        return root.resolve(IMAGES);
    }

    public Path labelsDir() {
        return root.resolve(LABELS);
    }

    public Path splitFile() {
        return root.resolve("splits").resolve("split.csv");
    }

    public Path fingerprintFile() {
        return root.resolve("fingerprint.json");
    }

    /** Where an image for scan {@code id} is written. */
    public Path imageFile(String id) {
        return imagesDir().resolve(id + "_0000.nii.gz");
    }

    /** Where a label volume for scan {@code id} is written. */
    public Path labelFile(String id) {
        return labelsDir().resolve(id + ".nii.gz");
    }

    /** One scan's files. */
    public record ScanFiles(String id, Path image, Path label) {
    }

    /**
     * Lists the scans, matching every image to its label by id, sorted by id.
     *
     * @throws IllegalStateException when a folder is missing or an image has no label (naming the files)
     */
    public List<ScanFiles> scans() {
        if (!Files.isDirectory(imagesDir()) || !Files.isDirectory(labelsDir())) {
            throw new IllegalStateException("dataset root " + root + " must contain " + IMAGES + "/ and " + LABELS
                    + "/ folders of .nii or .nii.gz files; build the embedded one with "
                    + "SyntheticDataset.ensure(root) or point to a dataset in that layout");
        }
        Map<String, Path> images = list(imagesDir(), true);
        Map<String, Path> labels = list(labelsDir(), false);
        List<ScanFiles> out = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            Path label = labels.get(e.getKey());
            if (label == null) {
                unmatched.add(e.getValue().getFileName().toString());
            } else {
                out.add(new ScanFiles(e.getKey(), e.getValue(), label));
            }
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalStateException("images without a label in " + labelsDir() + ": " + unmatched
                    + " (expected e.g. " + LABELS + "/<id>.nii.gz for " + IMAGES + "/<id>_0000.nii.gz)");
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no scans found in " + imagesDir());
        }
        return out;
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
        return "DatasetLayout[" + root + "]";
    }
}
