package dev.coin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Parameter counts against the reference architecture §11 (computed from the specs, nothing allocated). */
class ParameterCountTest {
    @Test
    void coinGeneratorWithSkips1234() {
        UNetPerturbation g = UNetPerturbation.withSkips(4).build();
        assertThat(g.encoderParameterCount()).isEqualTo(19_581_504L);
        assertThat(g.decoderParameterCount()).isEqualTo(33_525_441L);
        assertThat(g.parameterCount()).isEqualTo(53_106_945L);
        // SN and the upsampling kind do not change the count
        assertThat(g.toBuilder().spectralNorm(true).upsample(UpsampleKind.NEAREST).build().parameterCount()).isEqualTo(53_106_945L);
        assertThat(g.toString()).contains("53,106,945");
    }

    @Test
    void decoderWithoutSkipsAndClassifierBridges() {
        UNetPerturbation noSkip = UNetPerturbation.withSkips(0).build();
        assertThat(noSkip.encoderParameterCount()).isEqualTo(19_581_504L);
        assertThat(noSkip.decoderParameterCount()).isEqualTo(30_040_001L);
        UNetPerturbation aligned = UNetPerturbation.withSkips(4).conditioning(Conditioning.features(1280)).build();
        assertThat(aligned.parameterCount()).isEqualTo(68_168_449L);
    }

    @Test
    void discriminators() {
        assertThat(ResNetDiscriminator.fiveBlocks().build().parameterCount()).isEqualTo(19_543_489L);
        assertThat(ResNetDiscriminator.sixBlocks().build().parameterCount()).isEqualTo(38_419_905L);
        assertThat(ResNetDiscriminator.sixBlocks().projection(false).build().parameterCount()).isEqualTo(38_419_905L);
    }

    @Test
    void builtTinyNetworksHoldExactlyTheCountedParameters() {
        UNetPerturbation g = UNetPerturbation.withSkipLevels(1, 2).channels(2, 3, 4, 5, 6).decoderChannels(6, 5, 4, 3, 2)
                .stemChannels(3).spectralNorm(true).conditioning(Conditioning.features(7)).build();
        ParameterStore gs = g.initialise(DataType.FLOAT, 1L);
        assertThat(gs.trainableParameterCount()).isEqualTo(g.parameterCount());
        ResNetDiscriminator d = ResNetDiscriminator.builder().blocks(new int[] {2, 3, 3}, new int[] {2, 2, 1}).build();
        ParameterStore ds = d.initialise(DataType.FLOAT, 1L);
        assertThat(ds.trainableParameterCount()).isEqualTo(d.parameterCount());
        // by hand: block0 (1→2): 1x1 2+2, 3x3 18+2, 3x3 36+2 = 62; block1 (2→3): 6+3, 54+3, 81+3 = 150;
        // block2 (3→3, identity shortcut): 84+84 = 168; head 3+1; embedding 2·3 = 6
        assertThat(d.parameterCount()).isEqualTo(62 + 150 + 168 + 4 + 6);
    }

    @Test
    void outputGainScalesOnlyTheOutputConvInitialisation() {
        UNetPerturbation ref = UNetPerturbation.withSkipLevels(1, 2).channels(2, 3, 4, 5, 6).stemChannels(3).build();
        UNetPerturbation small = ref.toBuilder().outputGain(0.01).build();
        ParameterStore a = ref.initialise(DataType.DOUBLE, 5L);
        ParameterStore b = small.initialise(DataType.DOUBLE, 5L);
        String w = "gen.last_block.2.weight";
        // Xavier uniform bound = gain·sqrt(6 / (fan_in + fan_out)) with fan_in = C·9, fan_out = 1·9
        double bound = 0.01 * Math.sqrt(6.0 / ((ref.decoderChannels()[4] + 1) * 9.0));
        assertThat(b.array(w).amaxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(bound / 10);
        // same random draw scaled by the gain ratio; every other parameter identical
        assertThat(b.array(w).sub(a.array(w).mul(0.01)).amaxNumber().doubleValue()).isLessThan(1e-15);
        for (ParameterStore.Entry e : a.entries()) {
            if (!e.name().equals(w)) {
                assertThat(b.array(e.name())).as(e.name()).isEqualTo(e.array());
            }
        }
        assertThat(small).isNotEqualTo(ref);
        // the saved spec keeps the gain (model.json), older files without it read as the reference's 1.0
        assertThat(dev.coin.core.model.io.SpecJson.generator(dev.coin.core.model.io.SpecJson.generator(small))).isEqualTo(small);
        com.fasterxml.jackson.databind.node.ObjectNode old = dev.coin.core.model.io.SpecJson.generator(small);
        old.remove("output_gain");
        assertThat(dev.coin.core.model.io.SpecJson.generator(old)).isEqualTo(ref.toBuilder().build());
        assertThat(small.toString()).contains("output gain 0.01");
        assertThat(ref.toString()).doesNotContain("output gain");
        assertThatThrownBy(() -> ref.toBuilder().outputGain(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outputGain").hasMessageContaining("1.0");
    }

    @Test
    void badSpecsAreRejected() {
        assertThatThrownBy(() -> UNetPerturbation.withSkips(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..4");
        assertThatThrownBy(() -> UNetPerturbation.withSkipLevels(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("skip level 0");
        assertThatThrownBy(() -> UNetPerturbation.builder().channels(1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly 5 values");
        assertThatThrownBy(() -> ResNetDiscriminator.builder().blocks(new int[] {4}, new int[] {3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("downsample 1 or 2");
    }
}
