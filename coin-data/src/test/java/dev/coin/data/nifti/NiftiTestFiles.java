package dev.coin.data.nifti;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the reference files written by other tools (system property {@code coin.nifti.testdata}). */
final class NiftiTestFiles {
    private NiftiTestFiles() {
    }

    /** The reference file, or a skipped test (JUnit assumption) when the test-data folder is absent. */
    static Path file(String name) {
        String dir = System.getProperty("coin.nifti.testdata");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "NIfTI reference files not found (system property coin.nifti.testdata = " + dir
                        + "); fetch them into target/nifti-testdata to run this test");
        Path p = Path.of(dir, name);
        assumeTrue(Files.isRegularFile(p), "reference file " + p + " is missing");
        return p;
    }

    /** Sum of all scaled values, in double, as nibabel's get_fdata().sum() computes it. */
    static double sum(NiftiImage img) {
        double s = 0;
        for (long i = 0; i < img.voxelCount(); i++) {
            s += img.getDouble(i);
        }
        return s;
    }
}
