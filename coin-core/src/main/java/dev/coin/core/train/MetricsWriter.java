package dev.coin.core.train;

import dev.coin.core.EpochMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the per-epoch metrics (every logged scalar: loss terms, D real/fake, validation numbers, flip rate) to
 * {@code metrics.csv} and {@code metrics.json} in the trainer's run folder after every epoch (rewritten whole, so a
 * resumed run stays consistent).
 */
public final class MetricsWriter implements TrainingListener<Object> {
    @Override
    public void onStart(TrainingContext<?> context) {
        context.requireRunDirectory("MetricsWriter");
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, TrainingContext<?> context) {
        write(context.history(), context.requireRunDirectory("MetricsWriter"));
    }

    /** Writes both files for {@code history} into {@code folder}. */
    public static void write(List<EpochMetrics> history, Path folder) {
        Set<String> columns = new LinkedHashSet<>();
        history.forEach(m -> columns.addAll(m.losses().keySet()));
        StringBuilder csv = new StringBuilder("epoch,steps,generator_steps,seconds,flip_rate,abnormal_slices");
        for (String c : columns) {
            csv.append(',').append(c);
        }
        csv.append('\n');
        for (EpochMetrics m : history) {
            csv.append(m.epoch()).append(',').append(m.steps()).append(',').append(m.generatorSteps()).append(',')
                    .append(num(m.seconds())).append(',').append(num(m.flipRate())).append(',')
                    .append(m.abnormalSlices());
            for (String c : columns) {
                csv.append(',').append(num(m.loss(c)));
            }
            csv.append('\n');
        }
        List<Object> json = new ArrayList<>();
        history.forEach(m -> json.add(m.toJson()));
        try {
            Files.createDirectories(folder);
            atomic(folder.resolve("metrics.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            atomic(folder.resolve("metrics.json"), Checkpoint.JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write metrics into " + folder, e);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }

    static void atomic(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
