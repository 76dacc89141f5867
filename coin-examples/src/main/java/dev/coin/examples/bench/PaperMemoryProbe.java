package dev.coin.examples.bench;

import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.train.PipelineTrainer;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.ShuffledSampler;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.runtime.NativeBackend;
import java.util.Locale;

/**
 * Does the paper configuration (COIN synthetic preset: default widths, 6-block discriminator, ResNet18, 256²)
 * train at a given batch size on this machine? Runs {@code steps} training steps (the first is a generator step,
 * the others discriminator-only, as with k = 5) on random slices and prints step times and peak RSS.
 *
 * <p>Arguments: {@code [batch] [steps]} (default 2 and 6). Run in a JVM with the memory flags of the README, e.g.
 * {@code -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=20G -Dorg.bytedeco.javacpp.maxphysicalbytes=22G}.
 */
public final class PaperMemoryProbe {
    private PaperMemoryProbe() {
    }

    public static void main(String[] args) {
        NativeBackend.configure();
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int size = 256;
        SliceSource source = RandomSlices.of(batch * steps, size, 1);
        Pipeline p = Presets.coinSynthetic().classifier(ResNet18.create(ResNet18.Spec.standard(), 7))
                .build();
        System.out.println(p);
        BatchLoader loader = BatchLoader.builder(source).batchSize(batch).sampler(ShuffledSampler.sequential(source.size()))
                .build();
        long t = System.nanoTime();
        PipelineTrainer.builder(p).build().fit(loader, 1);
        System.out.printf(Locale.ROOT, "RESULT paper-config batch %d: %d steps in %.1f s, peak RSS %.0f MiB%n", batch,
                steps, (System.nanoTime() - t) / 1e9, BenchStats.peakRssMib());
    }
}
