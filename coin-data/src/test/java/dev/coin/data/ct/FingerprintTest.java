package dev.coin.data.ct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.Volume;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    /** A scan of n voxels: image values and labels given per voxel. */
    private static LabelledScan scan(String id, float[] image, float[] label) {
        int[] shape = {image.length, 1, 1};
        Volume img = Volume.of(id, shape, image, new double[] {1, 1, 1});
        return new LabelledScan(img, img.withVoxels(id + "_seg", label));
    }

    /** 1000 foreground voxels with values 0..999 plus 500 background voxels at -1000 HU. */
    private static LabelledScan uniformScan(String id) {
        float[] image = new float[1500];
        float[] label = new float[1500];
        for (int v = 0; v < 1500; v++) {
            image[v] = v < 1000 ? v : -1000;
            label[v] = v < 1000 ? 1 + v % 3 : 0;
        }
        return scan(id, image, label);
    }

    @Test
    void percentileMatchesNumpyLinearDefinition() {
        float[] values = new float[1000];
        for (int v = 0; v < 1000; v++) {
            values[v] = v;
        }
        // numpy: np.percentile(np.arange(1000), [0.5, 50, 99.5]) = [4.995, 499.5, 994.005]
        assertThat(FingerprintExtractor.percentile(values, 0.5)).isCloseTo(4.995, within(1e-9));
        assertThat(FingerprintExtractor.percentile(values, 50)).isCloseTo(499.5, within(1e-9));
        assertThat(FingerprintExtractor.percentile(values, 99.5)).isCloseTo(994.005, within(1e-9));
        // np.percentile([1, 2, 3, 4], 25) = 1.75; one value: that value
        assertThat(FingerprintExtractor.percentile(new float[] {1, 2, 3, 4}, 25)).isEqualTo(1.75);
        assertThat(FingerprintExtractor.percentile(new float[] {7}, 99.5)).isEqualTo(7.0);
        assertThat(FingerprintExtractor.percentile(new float[] {1, 2}, 100)).isEqualTo(2.0);
    }

    @Test
    void sampledStatisticsOfAUniformForegroundAreCloseToTheExactOnes() {
        Fingerprint fp = FingerprintExtractor.builder().totalSamples(400_000).build()
                .compute(List.of(uniformScan("a")));
        // exact values over 0..999: p0.5 = 4.995, p99.5 = 994.005, mean = 499.5, std = sqrt((1000^2-1)/12) = 288.67
        assertThat(fp.percentile00_5()).isCloseTo(5, within(1.5));
        assertThat(fp.percentile99_5()).isCloseTo(994, within(1.5));
        assertThat(fp.mean()).isCloseTo(499.5, within(2.0));
        assertThat(fp.std()).isCloseTo(288.67, within(2.0));
        assertThat(fp.median()).isCloseTo(499.5, within(3.0));
        assertThat(fp.min()).isEqualTo(0);      // background (-1000) is never sampled
        assertThat(fp.max()).isEqualTo(999);
        assertThat(fp.samples()).isEqualTo(400_000);
        assertThat(fp.scans()).isEqualTo(1);
        assertThat(fp.toWindow()).isEqualTo(CtWindow.of(fp.percentile00_5(), fp.percentile99_5()));
    }

    @Test
    void everyScanContributesTheSameNumberOfSamplesWhateverItsForegroundSize() {
        // scan a: 10 foreground voxels at 100 HU; scan b: 990 at 200 HU. Equal shares => mean 150 exactly.
        float[] ia = new float[20];
        float[] la = new float[20];
        for (int v = 0; v < 10; v++) {
            ia[v] = 100;
            la[v] = 1;
        }
        float[] ib = new float[990];
        float[] lb = new float[990];
        java.util.Arrays.fill(ib, 200);
        java.util.Arrays.fill(lb, 2);
        Fingerprint fp = FingerprintExtractor.builder().totalSamples(1001).build()
                .compute(List.of(scan("a", ia, la), scan("b", ib, lb)));
        assertThat(fp.samples()).isEqualTo(1000);   // floor(1001 / 2) per scan
        assertThat(fp.mean()).isEqualTo(150.0);
        assertThat(fp.median()).isEqualTo(150.0);   // halfway between the 500th (100) and 501st (200) sample
        assertThat(fp.std()).isEqualTo(50.0);
        assertThat(fp.min()).isEqualTo(100.0);
        assertThat(fp.max()).isEqualTo(200.0);
    }

    @Test
    void foregroundLabelsRestrictTheSampledVoxels() {
        float[] image = new float[300];
        float[] label = new float[300];
        for (int v = 0; v < 300; v++) {
            label[v] = v % 3;            // 0, 1, 2
            image[v] = 100 * (v % 3);    // 0, 100, 200 HU
        }
        Fingerprint tumourOnly = FingerprintExtractor.builder().totalSamples(5000).foregroundLabels(2).build()
                .compute(List.of(scan("s", image, label)));
        assertThat(tumourOnly.min()).isEqualTo(200);
        assertThat(tumourOnly.max()).isEqualTo(200);
        Fingerprint all = FingerprintExtractor.builder().totalSamples(5000).build()
                .compute(List.of(scan("s", image, label)));
        assertThat(all.min()).isEqualTo(100);
        assertThat(all.max()).isEqualTo(200);
        assertThat(all.mean()).isCloseTo(150, within(5.0));
    }

    @Test
    void sameSeedSameFingerprintOtherSeedOtherSamples() {
        SplittableRandom r = new SplittableRandom(3);
        float[] image = new float[4000];
        float[] label = new float[4000];
        for (int v = 0; v < image.length; v++) {
            image[v] = (float) r.nextGaussian() * 100;
            label[v] = r.nextInt(3);
        }
        List<LabelledScan> scans = List.of(scan("x", image, label), uniformScan("y"));
        FingerprintExtractor ex = FingerprintExtractor.builder().totalSamples(3000).seed(42).build();
        Fingerprint a = ex.compute(scans);
        Fingerprint b = ex.compute(scans);
        Fingerprint c = ex.toBuilder().seed(43).build().compute(scans);
        assertThat(b).isEqualTo(a);
        assertThat(c.mean()).isNotEqualTo(a.mean());
        // the streaming form gives the same result as compute(list)
        Fingerprint streamed = ex.start(2).add(scans.get(0)).add(scans.get(1).image(), scans.get(1).label()).finish();
        assertThat(streamed).isEqualTo(a);
    }

    @Test
    void emptyScanIsSkippedWithItsIdOrRejectedOnRequest() {
        LabelledScan empty = scan("case_empty", new float[] {5, 6}, new float[] {0, 0});
        Fingerprint fp = FingerprintExtractor.builder().totalSamples(2000).build()
                .compute(List.of(uniformScan("full"), empty));
        assertThat(fp.skippedScans()).containsExactly("case_empty");
        assertThat(fp.samples()).isEqualTo(1000);
        assertThat(fp.scans()).isEqualTo(2);
        assertThatThrownBy(() -> FingerprintExtractor.builder().failOnEmptyScan(true).build()
                .compute(List.of(uniformScan("full"), empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("case_empty");
        assertThatThrownBy(() -> FingerprintExtractor.builder().build().compute(List.of(empty)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("none of the 1 scans");
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> FingerprintExtractor.builder().totalSamples(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalSamples");
        assertThatThrownBy(() -> FingerprintExtractor.builder().foregroundLabels(0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("background");
        assertThatThrownBy(() -> FingerprintExtractor.builder().totalSamples(1).build().start(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least the number of scans");
        assertThatThrownBy(() -> FingerprintExtractor.builder().build()
                .compute(List.of(scan("frac", new float[] {1, 2}, new float[] {0, 1.5f}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        FingerprintExtractor.Accumulator acc = FingerprintExtractor.builder().build().start(2).add(uniformScan("a"));
        assertThatThrownBy(acc::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("start(1)");
    }

    @Test
    void jsonRoundTripUsesTheReferenceFieldNames(@TempDir Path dir) {
        Fingerprint fp = FingerprintExtractor.builder().totalSamples(2000).build()
                .compute(List.of(uniformScan("a"), scan("e", new float[] {1}, new float[] {0})));
        String json = fp.toJson();
        assertThat(json).contains("\"percentile_00_5\"", "\"percentile_99_5\"", "\"mean\"", "\"std\"",
                "\"median\"", "\"min\"", "\"max\"", "\"skipped_scans\"");
        Path file = dir.resolve("fp.json");
        fp.write(file);
        assertThat(Fingerprint.read(file)).isEqualTo(fp);
    }

    @Test
    void readsReferenceAndNnUnetFiles() {
        String reference = "{\"max\": 3071.0, \"mean\": 101.3, \"median\": 104.0, \"min\": -1024.0,"
                + " \"percentile_00_5\": -54.0, \"percentile_99_5\": 242.0, \"std\": 77.9, \"extra\": [1, 2]}";
        Fingerprint fp = Fingerprint.fromJson(reference);
        assertThat(fp.toWindow()).isEqualTo(CtWindow.of(-54, 242));
        assertThat(fp.samples()).isZero();
        assertThat(fp.skippedScans()).isEmpty();
        String nnunet = "{\"foreground_intensity_properties_per_channel\": {\"0\": {\"max\": 3071.0, \"mean\": 101.3,"
                + " \"median\": 104.0, \"min\": -1024.0, \"percentile_00_5\": -54.0, \"percentile_99_5\": 242.0,"
                + " \"std\": 77.9}}, \"spacings\": [[1, 1, 1]]}";
        assertThat(Fingerprint.fromJson(nnunet).toWindow()).isEqualTo(CtWindow.of(-54, 242));
    }

    @Test
    void incompleteOrInconsistentJsonIsRejected() {
        assertThatThrownBy(() -> Fingerprint.fromJson("{\"percentile_00_5\": -54.0, \"percentile_99_5\": 242.0}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mean");
        assertThatThrownBy(() -> Fingerprint.fromJson("{\"max\": 1, \"mean\": 0, \"median\": 0, \"min\": -1,"
                + " \"percentile_00_5\": 0.5, \"percentile_99_5\": -0.5, \"std\": 1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentile_99_5 <= max");
        assertThatThrownBy(() -> Fingerprint.fromJson("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object");
    }

    @Test
    void scansSampledApartAndMergedInOrderGiveTheSameFingerprint() {
        float[] other = new float[800];
        float[] otherLabel = new float[800];
        for (int v = 0; v < 800; v++) {
            other[v] = 50 + 3 * v;
            otherLabel[v] = v % 4 == 0 ? 0 : 1;
        }
        List<LabelledScan> scans = List.of(uniformScan("a"), scan("empty", new float[] {5, 6}, new float[] {0, 0}),
                scan("b", other, otherLabel));
        FingerprintExtractor fx = FingerprintExtractor.builder().totalSamples(3000).seed(9).build();
        Fingerprint together = fx.compute(scans);
        FingerprintExtractor.Accumulator acc = fx.start(3);
        for (int i = 2; i >= 0; i--) { // drawn in any order (as parallel tasks would), merged in scan order
            float[] s = fx.sample(scans.get(i), i, 3);
            assertThat(s).hasSize(i == 1 ? 0 : 1000);
        }
        for (int i = 0; i < 3; i++) {
            acc.addSamples(scans.get(i).id(), fx.sample(scans.get(i), i, 3));
        }
        assertThat(acc.finish()).isEqualTo(together);
        assertThatThrownBy(() -> fx.start(3).addSamples("x", new float[7]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000 per scan");
    }
}
