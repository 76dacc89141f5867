package dev.coin.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.model.classifier.ResNet18;
import org.junit.jupiter.api.Test;

/** Resume keys written before COIN-Aligned's settings existed still resume the runs they describe. */
class PipelineIdentityTest {
    @Test
    void aResumeKeyWithoutTheAlignedSettingsReadsAsUnaligned() {
        Pipeline p = Presets.coinSynthetic(ResNet18.Spec.ofWidth(2).create(1L));
        ObjectNode old = (ObjectNode) p.identity().resumeKey();
        old.remove("tanhAlignment");
        old.remove("realSamples");
        assertThat(p.identity().resumeDifferences(old)).isEmpty();
        Pipeline aligned = p.toBuilder().tanhAlignment(true).build();
        assertThat(aligned.identity().resumeDifferences(old)).singleElement().asString().contains("tanhAlignment");
        Pipeline paired = p.toBuilder().realSamples(RealSamples.PAIRED_HEALTHY)
                .editDiscriminator(d -> d.projection(false)).build();
        assertThat(paired.identity().resumeDifferences(old)).anyMatch(d -> d.contains("realSamples"));
    }
}
