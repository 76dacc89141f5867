package dev.coin.data.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceAndLabelMapTest {
    private static final FloatImage IMG = FloatImage.of(2, 2, new float[] {-1, 0, 0.5f, 1});
    private static final FloatImage KIDNEY = FloatImage.of(2, 2, new float[] {1, 1, 0, 0});
    private static final FloatImage TUMOUR = FloatImage.of(2, 2, new float[] {0, 0, 1, 0});

    @Test
    void presetsHaveTheReferenceValuesAndChannels() {
        assertThat(LabelMap.TUH.channelNames()).containsExactly("background", "kidney", "tumour", "cyst");
        assertThat(LabelMap.TUH.value("cyst")).isEqualTo(3);
        assertThat(LabelMap.KITS19.channelNames()).containsExactly("background", "kidney", "tumour");
        assertThat(LabelMap.KITS19.value("tumour")).isEqualTo(2);
        assertThat(LabelMap.KIDNEY_ONLY.channelCount()).isEqualTo(2);
        assertThat(LabelMap.TUH.toString()).isEqualTo("LabelMap[TUH: background=0, kidney=1, tumour=2, cyst=3]");
        assertThat(LabelMap.TUH.toBuilder().build()).isEqualTo(LabelMap.TUH);
    }

    @Test
    void labelMapRejectsDuplicatesAndUnknownNames() {
        assertThatThrownBy(() -> LabelMap.builder("m").put("kidney", 1).put("tumour", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already used");
        assertThatThrownBy(() -> LabelMap.builder("m").put("kidney", 1).put("kidney", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already in");
        assertThatThrownBy(() -> LabelMap.TUH.value("tumor"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[background, kidney, tumour, cyst]");
        assertThatThrownBy(() -> LabelMap.builder("m").put("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClassMayOwnSeveralLabelValues() {
        LabelMap lr = LabelMap.builder("lr").put("background", 0).put("kidney", 1, 2).put("tumour", 5).build();
        assertThat(lr.values("kidney")).containsExactly(1, 2);
        assertThat(lr.valuesAt(1)).containsExactly(1, 2);
        assertThat(lr.value("tumour")).isEqualTo(5);
        assertThat(lr.channelOf(2)).isEqualTo(1);
        assertThat(lr.channelOf(5)).isEqualTo(2);
        assertThat(lr.channelOf(3)).isEqualTo(-1);
        assertThat(lr.maxValue()).isEqualTo(5);
        assertThat(lr.toString()).isEqualTo("LabelMap[lr: background=0, kidney=1|2, tumour=5]");
        assertThat(lr.toBuilder().build()).isEqualTo(lr).hasSameHashCodeAs(lr);
        assertThat(LabelMap.TOTALSEGMENTATOR_KIDNEYS.values(LabelMap.KIDNEY)).containsExactly(1, 2);
        assertThat(LabelMap.KITS23.channelNames()).containsExactly("background", "kidney", "tumour", "cyst");
        // one value would silently drop the other: refused, naming the method that gives all of them
        assertThatThrownBy(() -> lr.value("kidney")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'kidney'").hasMessageContaining("[1, 2]").hasMessageContaining("values(\"kidney\")");
        assertThatThrownBy(() -> lr.valueAt(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("valuesAt(1)");
        assertThatThrownBy(() -> LabelMap.builder("m").put("kidney", 1, 2).put("tumour", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already used by class 'kidney'");
        assertThatThrownBy(() -> LabelMap.builder("m").put("kidney", 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given twice");
    }

    @Test
    void sliceIsImmutableAndReadsWellInJshell() {
        List<String> names = new ArrayList<>(List.of("background", "kidney", "tumour"));
        List<FloatImage> masks = new ArrayList<>(List.of(FloatImage.zeros(2, 2), KIDNEY, TUMOUR));
        Slice s = new Slice("case_00012", 57, 1, 0.4321, IMG, names, masks);
        names.set(1, "changed");
        masks.clear();
        assertThat(s.maskNames()).containsExactly("background", "kidney", "tumour");
        assertThat(s.mask("kidney")).isEqualTo(KIDNEY);
        assertThatThrownBy(() -> s.maskNames().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(s.toString()).isEqualTo("Slice[scan=case_00012, k=57, label=1, h=0.43, 2x2, kidney 2 px, tumour 1 px]");
    }

    @Test
    void withersAddAChannelOrChangeTheLabelWithoutTouchingTheOriginal() {
        Slice s = new Slice("a", 3, 0, 0, IMG, List.of("kidney"), List.of(KIDNEY));
        Slice t = s.withMask("anomaly", TUMOUR).withLabel(1);
        assertThat(t.maskNames()).containsExactly("kidney", "anomaly");
        assertThat(t.label()).isEqualTo(1);
        assertThat(s.maskNames()).containsExactly("kidney");
        assertThat(s.label()).isZero();
        assertThatThrownBy(() -> s.withMask("kidney", TUMOUR)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a mask 'kidney'");
    }

    @Test
    void inconsistentSlicesAreRejected() {
        assertThatThrownBy(() -> new Slice("a", 0, 2, 0, IMG, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        assertThatThrownBy(() -> new Slice("a", 0, 0, 1.5, IMG, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relativeHeight");
        assertThatThrownBy(() -> new Slice("a", 0, 0, 0, IMG, List.of("k"), List.of(FloatImage.zeros(3, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3x2");
        assertThatThrownBy(() -> new Slice("a", 0, 0, 0, IMG, List.of("k", "k"), List.of(KIDNEY, KIDNEY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique");
        assertThatThrownBy(() -> new Slice("a", 0, 0, 0, IMG, List.of("k"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maskNames");
    }
}
