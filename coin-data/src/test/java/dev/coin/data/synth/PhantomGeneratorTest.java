package dev.coin.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.volume.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhantomGeneratorTest {
    private static final PhantomConfig SMALL = PhantomConfig.builder().seed(11).matrixSize(64).build();

    @Test
    void sameSeedAndIndexGiveByteIdenticalVolumesInAnyOrder() {
        PhantomGenerator a = PhantomGenerator.of(SMALL);
        PhantomGenerator b = PhantomGenerator.of(SMALL.toBuilder().build());
        b.generate(5); // a different generation order must not matter
        PhantomScan x = a.generate(3);
        PhantomScan y = b.generate(3);
        assertThat(x.image().copyVoxels()).isEqualTo(y.image().copyVoxels());
        assertThat(x.label().copyVoxels()).isEqualTo(y.label().copyVoxels());
        assertThat(x.image().affine()).isDeepEqualTo(y.image().affine());
        assertThat(x.lesions().toString()).isEqualTo(y.lesions().toString());
    }

    @Test
    void differentSeedsAndIndicesDiffer() {
        PhantomScan base = PhantomGenerator.of(SMALL).generate(0);
        PhantomScan otherSeed = PhantomGenerator.of(SMALL.toBuilder().seed(12).build()).generate(0);
        PhantomScan otherIndex = PhantomGenerator.of(SMALL).generate(1);
        assertThat(differ(base.image(), otherSeed.image())).isTrue();
        assertThat(differ(base.image(), otherIndex.image())).isTrue();
    }

    private static boolean differ(Volume a, Volume b) {
        return !a.sameShape(b) || !Arrays.equals(a.copyVoxels(), b.copyVoxels());
    }

    @Test
    void geometryLabelsAndValuesAreCtLike() {
        PhantomGenerator g = PhantomGenerator.of(SMALL);
        for (int s = 0; s < 5; s++) {
            PhantomScan scan = g.generate(s);
            Volume img = scan.image();
            double[] sp = img.spacing();
            assertThat(sp[0] * 64).isBetween(330.0 - 1e-9, 450.0 + 1e-9);
            assertThat(sp[0] * 64 / 512).as("spacing at a 512 matrix").isBetween(0.64, 0.88);
            assertThat(sp[2]).isBetween(2.5, 5.0);
            assertThat(img.nz() * sp[2]).as("z extent covers ~110–150 mm of kidneys + margins").isBetween(140.0, 280.0);
            float[] hu = img.copyVoxels();
            float[] lab = scan.label().copyVoxels();
            for (int i = 0; i < hu.length; i++) {
                assertThat(hu[i] == Math.rint(hu[i]) && hu[i] >= -1024 && hu[i] <= 3071).isTrue();
                assertThat(lab[i] == 0 || lab[i] == 1 || lab[i] == 2 || lab[i] == 3).isTrue();
            }
            // Corners are air: mean ≈ −1000 (noise only; clamped at −1024 on the low side).
            assertThat(img.get(0, 0, 0) + img.get(63, 63, img.nz() - 1) + img.get(0, 63, 1) + img.get(63, 0, 2))
                    .isBetween(-4 * 1000f - 4 * 80f, -4 * 1000f + 4 * 80f);
            // Bone (300–1000 HU before the blur) is present.
            assertThat(max(hu)).as("bone present").isGreaterThan(300);
        }
    }

    @Test
    void leftKidneyIsHigherAndKidneysHaveCtValues() {
        PhantomConfig clean = SMALL.toBuilder().tumourFraction(0).cystFraction(0).partialVolumeBlur(false)
                .textureAmplitudeHu(Interval.of(0)).noiseSigmaHu(Interval.of(10)).build();
        PhantomGenerator g = PhantomGenerator.of(clean);
        for (int s = 0; s < 6; s++) {
            PhantomScan scan = g.generate(s);
            Volume lab = scan.label();
            Volume img = scan.image();
            double[] sumK = new double[2];
            int[] n = new int[2];
            double huSum = 0;
            int huN = 0;
            for (int k = 0; k < lab.nz(); k++) {
                for (int j = 0; j < lab.ny(); j++) {
                    for (int i = 0; i < lab.nx(); i++) {
                        if (lab.get(i, j, k) == LabeledVolume.KIDNEY) {
                            int side = i >= lab.nx() / 2 ? 0 : 1; // voxel i runs to the patient's left
                            sumK[side] += k;
                            n[side]++;
                            huSum += img.get(i, j, k);
                            huN++;
                        }
                    }
                }
            }
            assertThat(n[0]).isGreaterThan(500);
            assertThat(n[1]).isGreaterThan(500);
            double dropMm = (sumK[0] / n[0] - sumK[1] / n[1]) * lab.spacing()[2];
            assertThat(dropMm).as("left kidney centroid above the right one (10–25 mm drawn)").isBetween(4.0, 32.0);
            // Kidney voxels are the scan's phase's cortex or medulla (non-contrast 20–40 HU, else ≥ 60) plus noise.
            assertThat(scan.phase()).isNotNull();
            if (scan.phase() == ScanPhase.NON_CONTRAST) {
                assertThat(huSum / huN).isBetween(15.0, 45.0);
            } else {
                assertThat(huSum / huN).isBetween(70.0, 200.0);
            }
            assertThat(scan.lesions()).isEmpty();
        }
    }

    @Test
    void lesionsStayWithinTheirConfiguredRangesOverTwentyScans() {
        PhantomConfig cfg = SMALL.toBuilder().seed(3).tumourFraction(0.7).cystFraction(0.5).maxTumoursPerScan(2)
                .build();
        PhantomGenerator g = PhantomGenerator.of(cfg);
        int tumourScans = 0;
        List<Lesion> all = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            PhantomScan scan = g.generate(s);
            Volume lab = scan.label();
            double[] sp = lab.spacing();
            float[] labels = lab.copyVoxels();
            int tumourVoxels = 0;
            int cystVoxels = 0;
            for (float v : labels) {
                tumourVoxels += v == 2 ? 1 : 0;
                cystVoxels += v == 3 ? 1 : 0;
            }
            int recordedT = 0;
            int recordedC = 0;
            for (Lesion l : scan.lesions()) {
                all.add(l);
                if (l.kind() == Lesion.Kind.TUMOUR) {
                    recordedT += l.voxels();
                    assertThat(l.diameterMm()).isBetween(10.0, 60.0);
                    double scale = scan.phase().tumourContrastScale();
                    assertThat((double) l.contrastHu()).isBetween(-80.0 * scale - 1e-3, -20.0 * scale + 1e-3);
                    Interval cortex = scan.phase().cortexHu();
                    assertThat((double) (l.hu() - l.contrastHu())).as("host cortex HU")
                            .isBetween(cortex.min() - 1e-3, cortex.max() + 1e-3);
                    assertThat(Arrays.stream(l.radiiMm()).max().getAsDouble()).isCloseTo(l.diameterMm() / 2,
                            org.assertj.core.api.Assertions.within(1e-9));
                    assertThat(l.lobes()).isBetween(1, 3);
                } else {
                    recordedC += l.voxels();
                    assertThat(l.diameterMm()).isBetween(8.0, 30.0);
                    assertThat((double) l.hu()).isBetween(0.0, 20.0);
                }
            }
            assertThat(recordedT).isEqualTo(tumourVoxels);
            assertThat(recordedC).isEqualTo(cystVoxels);
            tumourScans += scan.hasTumour() ? 1 : 0;
            assertThat(scan.hasTumour()).isEqualTo(tumourVoxels > 0 || scan.lesions().stream()
                    .anyMatch(l -> l.kind() == Lesion.Kind.TUMOUR && l.voxels() == 0));
            // Every lesion voxel lies inside the sphere of its drawn diameter around one recorded centre.
            for (int k = 0; k < lab.nz(); k++) {
                for (int j = 0; j < lab.ny(); j++) {
                    for (int i = 0; i < lab.nx(); i++) {
                        float v = lab.get(i, j, k);
                        if (v < 2) {
                            continue;
                        }
                        boolean covered = false;
                        for (Lesion l : scan.lesions()) {
                            if (l.kind().label() != v) {
                                continue;
                            }
                            double[] c = l.centreVoxel();
                            double dx = (i - c[0]) * sp[0];
                            double dy = (j - c[1]) * sp[1];
                            double dz = (k - c[2]) * sp[2];
                            covered |= Math.sqrt(dx * dx + dy * dy + dz * dz) <= l.diameterMm() / 2 + 1e-6;
                        }
                        assertThat(covered).as("voxel (%d,%d,%d) label %s", i, j, k, v).isTrue();
                    }
                }
            }
        }
        assertThat(tumourScans).as("tumour scans of 20 at fraction 0.7").isBetween(8, 19);
        assertThat(all.stream().filter(l -> l.kind() == Lesion.Kind.CYST).count()).isGreaterThan(3);
        // Both ends of the diameter range are used (uniform in [10, 60]).
        assertThat(all.stream().filter(l -> l.kind() == Lesion.Kind.TUMOUR).mapToDouble(Lesion::diameterMm).min()
                .getAsDouble()).isLessThan(30);
        assertThat(all.stream().filter(l -> l.kind() == Lesion.Kind.TUMOUR).mapToDouble(Lesion::diameterMm).max()
                .getAsDouble()).isGreaterThan(40);
    }

    @Test
    void tumourVoxelsHaveTheRecordedHuAndTumoursLeaveTheRestOfTheScanUnchanged() {
        PhantomConfig healthy = SMALL.toBuilder().seed(21).tumourFraction(0).cystFraction(0)
                .partialVolumeBlur(false).textureAmplitudeHu(Interval.of(0)).noiseSigmaHu(Interval.of(15))
                .tumourDiameterMm(Interval.of(30, 50)).build();
        PhantomConfig sick = healthy.toBuilder().tumourFraction(1).build();
        for (int s = 0; s < 3; s++) {
            PhantomScan h = PhantomGenerator.of(healthy).generate(s);
            PhantomScan t = PhantomGenerator.of(sick).generate(s);
            float[] hv = h.image().copyVoxels();
            float[] tv = t.image().copyVoxels();
            float[] tl = t.label().copyVoxels();
            double sum = 0;
            int n = 0;
            for (int i = 0; i < hv.length; i++) {
                if (tl[i] == LabeledVolume.TUMOUR) {
                    sum += tv[i];
                    n++;
                } else {
                    assertThat(tv[i]).as("voxel %d outside the tumour", i).isEqualTo(hv[i]);
                }
            }
            Lesion tumour = t.lesions().get(0);
            assertThat(n).isEqualTo(tumour.voxels()).isGreaterThan(20);
            // Rounded HU + N(0, 15²) noise: the mean is within 5 standard errors (+0.5 for rounding).
            assertThat(sum / n).isCloseTo(tumour.hu(), org.assertj.core.api.Assertions.within(5 * 15 / Math.sqrt(n) + 0.5));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> PhantomGenerator.of(SMALL).generate(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scanIndex");
        assertThatThrownBy(() -> PhantomConfig.builder().matrixSize(8)).hasMessageContaining("matrixSize");
        assertThatThrownBy(() -> PhantomConfig.builder().tumourFraction(1.5)).hasMessageContaining("tumourFraction");
        assertThatThrownBy(() -> PhantomConfig.builder().sliceThicknessMm(Interval.of(0.1, 3)))
                .hasMessageContaining("sliceThicknessMm");
        assertThatThrownBy(() -> Interval.of(3, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min <= max");
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    @Test
    void singlePhaseKeepsTheAnatomyAndOnlyTheIntensitiesDiffer() {
        PhantomConfig mix = PhantomConfig.builder().seed(3).matrixSize(64).build();
        PhantomConfig single = mix.toBuilder().singlePhase().build();
        assertThat(single.singlePhase()).isTrue();
        assertThat(mix.phaseMix()).isEqualTo(PhantomConfig.DEFAULT_PHASE_MIX);
        assertThat(single.toString()).doesNotContain("phases=");
        PhantomScan a = PhantomGenerator.of(mix).generate(1);
        PhantomScan b = PhantomGenerator.of(single).generate(1);
        assertThat(b.phase()).isNull();
        assertThat(a.phase()).isNotNull();
        // The phase has its own random stream: same labels (geometry) in both, different HU.
        assertThat(a.label().copyVoxels()).isEqualTo(b.label().copyVoxels());
        assertThat(a.image().copyVoxels()).isNotEqualTo(b.image().copyVoxels());
    }

    @Test
    void phaseMixRejectsNegativeOrAllZeroWeights() {
        PhantomConfig.Builder b = PhantomConfig.builder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.phaseMix(java.util.Map.of(ScanPhase.NEPHROGRAPHIC, -1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NEPHROGRAPHIC")
                .hasMessageContaining("-1.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.phaseMix(java.util.Map.of(ScanPhase.NON_CONTRAST, 0.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("singlePhase()");
        PhantomConfig only = b.phaseMix(java.util.Map.of(ScanPhase.NON_CONTRAST, 1.0)).build();
        assertThat(PhantomGenerator.of(only.toBuilder().matrixSize(32).build()).generate(0).phase())
                .isEqualTo(ScanPhase.NON_CONTRAST);
    }
}
