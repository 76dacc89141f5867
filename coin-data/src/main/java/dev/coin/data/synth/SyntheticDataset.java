package dev.coin.data.synth;

import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.volume.NiftiVolumes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded synthetic dataset: phantom scans written to disk in the public datasets' layout
 * ({@link DatasetLayout}: {@code imagesTr/}, {@code labelsTr/}), as int16 NIfTI with slope/intercept and uint8
 * labels, so that the same loader serves real and synthetic data and the phantom goes through the normal reading
 * path.
 *
 * <pre>{@code
 * DatasetLayout layout = SyntheticDataset.ensure(Path.of("data/synthetic"), SyntheticDataset.defaultConfig(), 24);
 * CtDataset ds = CtDataset.builder(layout.root()).sliceConfig(w -> SliceConfig.tuh(w)).build();
 * }</pre>
 *
 * <p>{@link #ensure} builds the dataset when the folder holds no complete build of exactly this configuration and
 * returns at once otherwise; a folder holding another configuration is refused rather than overwritten. The
 * marker file {@code synthetic.properties} is written last, so an interrupted build is redone, never half-used.
 */
public final class SyntheticDataset {
    /** Marker written after the last scan: configuration and scan count. */
    public static final String MARKER = "synthetic.properties";
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticDataset.class);

    private SyntheticDataset() {
    }

    /**
     * The default embedded configuration: clinical 512² matrices (0.64–0.88 mm pixels), 2.5–5 mm slices, tumours in
     * half of the scans and cysts as confounders; seed 777.
     */
    public static PhantomConfig defaultConfig() {
        return PhantomConfig.builder().seed(777).matrixSize(512).build();
    }

    /**
     * The label map of the phantom's healthy anatomy, for datasets built with {@code tumourFraction(0)} as the main
     * job's: background 0, kidney 1, and the cysts (label 3, benign confounders drawn inside the kidneys) ignored:
     * they belong to no mask channel, as under {@link LabelMap#KIDNEY_ONLY}, but the slicer does not warn about them.
     * Tumour voxels (2) are not covered, so a phantom with tumours still warns under this map.
     */
    public static final LabelMap KIDNEY_ONLY_LABELS = LabelMap.builder("phantom kidney-only")
            .put(LabelMap.BACKGROUND, 0).put(LabelMap.KIDNEY, 1).ignore(Lesion.Kind.CYST.label()).build();

    /** Builds (if needed) {@code scans} phantom scans of {@code config} into {@code root}, logging each scan. */
    public static DatasetLayout ensure(Path root, PhantomConfig config, int scans) {
        return ensure(root, config, scans, null);
    }

    /**
     * As {@link #ensure(Path, PhantomConfig, int)}, calling {@code progress} with the index of each scan written.
     * The caller reports the progress then, so each scan is logged at debug level only (one line per scan, not two).
     *
     * @throws IllegalStateException when {@code root} holds a complete build of another configuration
     */
    public static DatasetLayout ensure(Path root, PhantomConfig config, int scans, IntConsumer progress) {
        if (scans < 2) {
            throw new IllegalArgumentException("scans must be >= 2 (a train/validation split needs two), got " + scans);
        }
        DatasetLayout layout = DatasetLayout.of(root);
        String description = describe(config, scans);
        Path marker = root.resolve(MARKER);
        try {
            if (Files.exists(marker)) {
                String existing = Files.readString(marker, StandardCharsets.UTF_8);
                if (existing.equals(description)) {
                    return layout;
                }
                throw new IllegalStateException("folder " + root + " holds a synthetic dataset of another "
                        + "configuration (see " + marker + "); use another folder or delete this one");
            }
            Files.createDirectories(layout.imagesDir());
            Files.createDirectories(layout.labelsDir());
            PhantomGenerator generator = PhantomGenerator.of(config);
            StringBuilder lesions = new StringBuilder("scan_id,kind,side,diameter_mm,hu,contrast_hu,voxels\n");
            long start = System.nanoTime();
            for (int i = 0; i < scans; i++) {
                PhantomScan scan = generator.generate(i);
                NiftiVolumes.write(scan.image(), layout.imageFile(scan.id()), NiftiDataType.INT16);
                NiftiVolumes.write(scan.label(), layout.labelFile(scan.id()), NiftiDataType.UINT8);
                for (Lesion l : scan.lesions()) {
                    lesions.append(String.format(Locale.ROOT, "%s,%s,%s,%.1f,%.0f,%.0f,%d%n", scan.id(), l.kind(),
                            l.side(), l.diameterMm(), l.hu(), l.contrastHu(), l.voxels()));
                }
                if (progress != null) {
                    progress.accept(i);
                    LOG.debug("Synthetic scan {}/{} written: {}", i + 1, scans, scan);
                } else {
                    LOG.info("Synthetic scan {}/{} written: {}", i + 1, scans, scan);
                }
            }
            Files.writeString(root.resolve("lesions.csv"), lesions, StandardCharsets.UTF_8);
            Path tmp = Files.createTempFile(root, MARKER, ".tmp");
            Files.writeString(tmp, description, StandardCharsets.UTF_8);
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Synthetic dataset of {} scans built in {} in {} s", scans, root,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the synthetic dataset in " + root, e);
        }
    }

    private static String describe(PhantomConfig config, int scans) {
        return "format=1\nscans=" + scans + "\nconfig=" + config + "\n";
    }
}
