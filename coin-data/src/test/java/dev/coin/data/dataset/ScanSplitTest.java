package dev.coin.data.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanSplitTest {

    private static Map<String, Double> volumes(int n) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(String.format("case_%03d", i), (double) ((i * 37) % 101)); // distinct, unsorted volumes
        }
        return m;
    }

    @Test
    void isEightyTwentyAndCoversEveryScanOnce() {
        ScanSplit s = ScanSplit.stratified(volumes(50), 0.2, 777);
        assertThat(s.validation()).hasSize(10);
        assertThat(s.train()).hasSize(40);
        Set<String> all = new HashSet<>(s.train());
        all.addAll(s.validation());
        assertThat(all).isEqualTo(volumes(50).keySet());
    }

    @Test
    void eachVolumeStratumGivesOneValidationScan() {
        Map<String, Double> v = volumes(50);
        ScanSplit s = ScanSplit.stratified(v, 0.2, 3);
        // Sorted by volume, every consecutive block of 5 scans holds exactly one validation scan.
        var sorted = v.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        for (int start = 0; start < 50; start += 5) {
            long inVal = sorted.subList(start, start + 5).stream().filter(s.validation()::contains).count();
            assertThat(inVal).as("stratum starting at %d", start).isEqualTo(1);
        }
    }

    @Test
    void seedFixesTheSplitAndAnotherSeedChangesIt() {
        assertThat(ScanSplit.stratified(volumes(40), 0.2, 1)).isEqualTo(ScanSplit.stratified(volumes(40), 0.2, 1));
        assertThat(ScanSplit.stratified(volumes(40), 0.2, 1)).isNotEqualTo(ScanSplit.stratified(volumes(40), 0.2, 2));
    }

    @Test
    void savesAndReloadsAndNeverRedrawsSilently(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("splits/split.csv");
        ScanSplit first = ScanSplit.loadOrCreate(csv, volumes(20), 0.2, 5);
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo(ScanSplit.HEADER);
        // A different seed must not matter once the file exists.
        assertThat(ScanSplit.loadOrCreate(csv, volumes(20), 0.2, 99)).isEqualTo(first);
        assertThat(ScanSplit.load(csv).hash()).isEqualTo(first.hash());
        // The dataset changed: refuse, naming the difference.
        assertThatThrownBy(() -> ScanSplit.loadOrCreate(csv, volumes(21), 0.2, 5))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("case_020")
                .hasMessageContaining("delete or move");
    }

    @Test
    void rejectsBadInputWithActionableMessages(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ScanSplit.stratified(volumes(10), 0.7, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationFraction");
        assertThatThrownBy(() -> ScanSplit.stratified(volumes(1), 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "scan_id,split\ncase_1,test\n");
        assertThatThrownBy(() -> ScanSplit.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("'test'");
        assertThatThrownBy(() -> ScanSplit.of(java.util.List.of("a"), java.util.List.of("a")))
                .hasMessageContaining("both");
    }
}
