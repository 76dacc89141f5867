package dev.coin.examples;

import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.DatasetLayout;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.image.PngWriter;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.synth.AnomalyInsertion;
import dev.coin.data.synth.GaussianBlobAnomaly;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.SyntheticDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data path on the embedded synthetic data: builds the phantom dataset (NIfTI on disk) if absent, reads it
 * back, computes the fingerprint, slices the kidney slices, draws the split, inserts the fixed synthetic anomalies
 * into the validation slices and writes contact sheets. Prints a summary.
 */
public final class DataTour {
    private DataTour() {
    }

    /** Runs the tour; returns the folder the pictures were written to. */
    public static Path run(Path workDir, int scans, int matrix) {
        NativeBackend.configure();
        long t0 = System.nanoTime();
        PhantomConfig phantom = SyntheticDataset.defaultConfig().toBuilder().matrixSize(matrix).build();
        Path root = workDir.resolve("data").resolve("synthetic-" + matrix + "-" + scans);
        System.out.printf(Locale.ROOT, "Embedded synthetic dataset: %d phantom scans, %d² matrix, in %s%n", scans,
                matrix, root);
        DatasetLayout layout = SyntheticDataset.ensure(root, phantom, scans,
                i -> System.out.printf(Locale.ROOT, "  generated scan %d/%d%n", i + 1, scans));
        double tBuild = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        CtDataset ds = CtDataset.builder(layout.root())
                .sliceConfig(w -> SliceConfig.tuh(w).toBuilder().kidneyThreshold(32).outputSize(256, 256)
                        .orientation(dev.coin.data.slice.SliceOrientation.TRANSPOSED).build())
                .build();
        SliceSource train = ds.train();
        SliceSource val = ds.validation();
        double tSlice = (System.nanoTime() - t1) / 1e9;
        System.out.println(ds);
        System.out.println("  fingerprint: " + ds.fingerprint());
        System.out.println("  slicing:     " + ds.sliceConfig());
        System.out.printf(Locale.ROOT, "  train: %s%n  validation: %s%n", train, val);

        SliceSource anomalies = AnomalyInsertion.fixedSet(val, GaussianBlobAnomaly.coin(), 1234);
        long inserted = anomalies.infos().stream().filter(i -> i.label() == 1).count();
        System.out.printf(Locale.ROOT, "  fixed synthetic-anomaly validation set: %d of %d slices abnormal%n",
                inserted, anomalies.size());

        Path pictures = workDir.resolve("pictures");
        PngWriter.writeContactSheet(pick(train, 16), 4, pictures.resolve("phantom-contact-sheet.png"));
        PngWriter.writeContactSheet(pick(anomalies, 16), 4, pictures.resolve("synthetic-anomalies.png"));
        System.out.printf(Locale.ROOT, "Dataset ready in %.1f s, sliced in %.1f s. Pictures: %s%n", tBuild, tSlice,
                pictures.toAbsolutePath());
        return pictures;
    }

    /** Up to {@code n} slices spread evenly over the source. */
    static List<Slice> pick(SliceSource source, int n) {
        List<Slice> out = new ArrayList<>();
        int step = Math.max(1, source.size() / n);
        for (int i = 0; i < source.size() && out.size() < n; i += step) {
            out.add(source.get(i));
        }
        return out;
    }
}
