package dev.coin.data.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void shuffledVisitsEveryItemOnceInASeededOrder() {
        ShuffledSampler s = ShuffledSampler.shuffled(100, 7);
        int[] e0 = s.plan(0).items();
        assertThat(Arrays.stream(e0).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
        assertThat(s.plan(0).items()).isEqualTo(e0);
        assertThat(s.plan(1).items()).isNotEqualTo(e0);
        assertThat(ShuffledSampler.shuffled(100, 8).plan(0).items()).isNotEqualTo(e0);
        assertThat(ShuffledSampler.sequential(3).plan(5).items()).containsExactly(0, 1, 2);
    }

    @Test
    void balancedSamplerDrawsBothClassesEquallyOften() {
        int[] labels = new int[1000];
        for (int i = 0; i < 100; i++) {
            labels[i] = 1; // 10 % abnormal
        }
        BalancedSampler s = BalancedSampler.of(labels, 20000, 1);
        int abnormal = 0;
        int[] items = s.plan(0).items();
        for (int i : items) {
            abnormal += labels[i];
        }
        // Expected 10000 of 20000; 5 standard deviations is about 354.
        assertThat(abnormal).isBetween(9646, 10354);
        // With replacement: some abnormal item appears many times.
        assertThat(Arrays.stream(items).filter(i -> i == 3).count()).isGreaterThan(30);
        assertThat(s.plan(0).items()).isEqualTo(items);
        assertThat(s.plan(1).items()).isNotEqualTo(items);
    }

    private static List<SliceInfo> scan(String id, int slices, int... abnormalSlices) {
        List<SliceInfo> out = new ArrayList<>();
        for (int k = 0; k < slices; k++) {
            int label = 0;
            for (int a : abnormalSlices) {
                if (a == k) {
                    label = 1;
                }
            }
            out.add(new SliceInfo(id, k, k, label, slices == 1 ? 0.0 : k / (double) (slices - 1)));
        }
        return out;
    }

    @Test
    void pairedSamplerPairsEachAbnormalSliceWithAHealthyOneFromTheSameHeightBin() {
        List<SliceInfo> infos = new ArrayList<>();
        infos.addAll(scan("a", 11, 3, 4, 5));
        infos.addAll(scan("b", 11));
        infos.addAll(scan("c", 21, 10));
        PairedHealthySampler s = PairedHealthySampler.builder(infos).bins(10).seed(3).build();
        assertThat(s.size()).isEqualTo(4);
        EpochPlan p = s.plan(0);
        assertThat(p.isPaired()).isTrue();
        for (int i = 0; i < p.size(); i++) {
            SliceInfo abnormal = infos.get(p.item(i));
            SliceInfo healthy = infos.get(p.partner(i));
            assertThat(abnormal.label()).isEqualTo(1);
            assertThat(healthy.label()).isEqualTo(0);
            assertThat((int) Math.floor(10 * healthy.relativeHeight()))
                    .isEqualTo((int) Math.floor(10 * abnormal.relativeHeight()));
        }
        assertThat(s.plan(0).items()).isEqualTo(p.items());
    }

    @Test
    void pairedSamplerExplainsEmptyBinsAndOneSliceScans() {
        List<SliceInfo> infos = new ArrayList<>(scan("a", 11, 10)); // top slice abnormal: bin 50, no healthy there
        assertThatThrownBy(() -> PairedHealthySampler.builder(infos).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bin 50")
                .hasMessageContaining("a#10").hasMessageContaining("skipUnpairable");
        List<SliceInfo> single = new ArrayList<>(scan("solo", 1, 0));
        single.addAll(scan("b", 5, 2));
        assertThatThrownBy(() -> PairedHealthySampler.builder(single).build())
                .hasMessageContaining("solo").hasMessageContaining("single kidney slice");
        // Skipping keeps the pairable ones.
        List<SliceInfo> mixed = new ArrayList<>(single);
        mixed.addAll(scan("c", 3)); // heights 0, 0.5, 1: bin 25 matches b#2
        PairedHealthySampler s = PairedHealthySampler.builder(mixed).skipUnpairable().build();
        assertThat(s.size()).isEqualTo(1);
    }
}
