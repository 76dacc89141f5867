package dev.coin.core.train;

import dev.coin.core.Pipeline;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.SliceSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Step-time probe (not a test of correctness; off unless {@code -Dcoin.timing=true}): medians of generator steps
 * (G update + D update) and discriminator-only steps at 128², batch 4, base width 16.
 */
@EnabledIfSystemProperty(named = "coin.timing", matches = "true")
class StepTiming {
    @Test
    void stepTimesAt128() {
        int size = Integer.getInteger("coin.timing.size", 128);
        int batch = Integer.getInteger("coin.timing.batch", 4);
        Pipeline p = dev.coin.core.Presets.coinSynthetic().classifier(new BlobClassifier())
                .generator(UNetPerturbation.builder().stemChannels(16).channels(16, 32, 64, 128, 256)
                        .upsample(UpsampleKind.NEAREST).spectralNorm(true).build())
                .discriminator(ResNetDiscriminator.builder().blocks(new int[] {16, 32, 64, 128, 256},
                        new int[] {2, 2, 2, 2, 2}).build())
                .generatorEvery(2).build();
        List<Double> g = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        TrainingListener<Object> timer = new TrainingListener<>() {
            @Override
            public void onStep(StepReport s, TrainingContext<?> c) {
                if (s.globalStep() >= 2) {
                    (s.generatorStep() ? g : d).add(s.seconds());
                }
            }
        };
        SliceSource src = SliceSource.of(TinyData.slices(batch * 14, 1, size));
        PipelineTrainer.builder(p).listeners(timer).build()
                .fit(BatchLoader.builder(src).batchSize(batch).seed(1).build(), 1);
        g.sort(null);
        d.sort(null);
        System.out.printf("TIMING %d² batch %d: generator step median %.3f s (n=%d), discriminator-only step median %.3f s (n=%d)%n",
                size, batch, g.get(g.size() / 2), g.size(), d.get(d.size() / 2), d.size());
    }
}
