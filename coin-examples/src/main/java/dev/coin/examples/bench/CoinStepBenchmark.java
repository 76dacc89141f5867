package dev.coin.examples.bench;

import dev.coin.core.Pipeline;
import dev.coin.core.Presets;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.train.PipelineTrainer;
import dev.coin.core.train.StepReport;
import dev.coin.core.train.TrainingContext;
import dev.coin.core.train.TrainingListener;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.PairedHealthySampler;
import dev.coin.data.dataset.ShuffledSampler;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.runtime.NativeBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times COIN's two-player training step as a user gets it: a real {@link Pipeline} (the synthetic COIN preset's
 * losses, six-block discriminator and schedule, generator widths from the case), a standard-width {@link ResNet18}
 * as the frozen classifier, trained by {@link PipelineTrainer} on random 256² slices. The generator benchmark times
 * one graph in isolation; this one also covers the discriminator, the classifier inside the generator's loss, the
 * cyclic second generator pass and the trainer's host-side work (p(x), targets, spectral-norm power iterations),
 * which is what a training run pays.
 *
 * <p>Cases ({@code scripts/bench_coin_torch.py} builds the same steps in PyTorch):
 * <ul>
 *   <li>{@code d<base>x<batch>}, e.g. {@code d16x4}: discriminator-only steps, the four steps out of five of COIN's
 *       schedule (p(x), a train-mode generator forward for the fakes, the D update on real and detached fake). The
 *       generator period is set so large that step 0 is the only generator step;</li>
 *   <li>{@code coin<base>x<batch>}, e.g. {@code coin16x4}: {@code generatorEvery(1)}, so every step is a generator
 *       update followed by a discriminator update.</li>
 *   <li>{@code r<base>x<batch>}, e.g. {@code r16x4}: discriminator-only steps of COIN-Aligned thesis row 4
 *       ({@link Presets#alignedRow(int)}: unconditional five-block discriminator, paired healthy reals through
 *       tanh, the relativistic loss with exact R1 + R2 at γ = 50): what the gradient penalties cost, against
 *       PyTorch's double backpropagation of the same penalty.</li>
 * </ul>
 * {@code base} sets the encoder widths base…16·base (16: 16…256; 64: the reference's 64…1024); the stem stays 64
 * wide and the discriminator keeps the preset's 64…1024 widths, as in the reference.
 *
 * <p>Each step's time is the trainer's own {@link StepReport#seconds()}, read by a {@link TrainingListener}, so the
 * harness measures exactly what training does and nothing of graph construction. Skipped: the first step of each
 * kind (gradient graphs are built there), and for {@code d} cases the generator step 0. Prints one line per case,
 * {@code RESULT java <case> train <median s> <min> <max> <peak RSS MiB>}, like {@link GeneratorBenchmark}.
 *
 * <p>Arguments: {@code [repeats] [case ...]}; default {@code 5 d16x4 coin16x4}. The execution engine follows the
 * library's {@code coin.engine} system property; threads follow {@code OMP_NUM_THREADS}.
 */
public final class CoinStepBenchmark {
    private static final int SIZE = 256;

    private CoinStepBenchmark() {
    }

    public static void main(String[] args) {
        NativeBackend.configure();
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> cases = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            cases.add(args[i]);
        }
        if (cases.isEmpty()) {
            cases = List.of("d16x4", "coin16x4");
        }
        System.out.println("backend: " + NativeBackend.describe() + ", coin.engine="
                + System.getProperty("coin.engine", "<unset>"));
        for (String c : cases) {
            run(StepCase.parse(c), repeats);
        }
    }

    static void run(StepCase c, int repeats) {
        int steps = c.kind().skipped + repeats;
        boolean aligned = c.kind() == Kind.R1R2;
        // aligned: every abnormal slice (odd index) gets a healthy partner of its height bin, twice the slices a step
        SliceSource source = RandomSlices.of((aligned ? 2 : 1) * c.batch() * steps, SIZE, 1);
        int b = c.base();
        // row 4 is the first row with R1 + R2 and has no classifier-feature CBN, so the step is the penalty's alone
        Pipeline p = (aligned ? Presets.alignedRow(4) : Presets.coinSynthetic())
                .generatorWidths(b, 2 * b, 4 * b, 8 * b, 16 * b)
                .generatorEvery(c.kind().generatorEvery)
                .classifier(ResNet18.create(ResNet18.Spec.standard(), 7))
                .build();
        System.out.println(c.name() + ": " + p);
        BatchLoader loader = BatchLoader.builder(source).batchSize(c.batch())
                .sampler(aligned ? PairedHealthySampler.builder(source.infos()).seed(1).build()
                        : ShuffledSampler.sequential(source.size()))
                .build();
        StepTimes times = new StepTimes(c);
        PipelineTrainer.builder(p).listeners(times).build().fit(loader, 1);
        BenchStats.printResult(c.name(), "train", times.seconds());
    }

    /** What a case's steps are: the generator period, the steps left out of the timing, the kind of timed step. */
    enum Kind {
        /** Discriminator-only steps: step 0 (generator) and step 1 (first D step) are warm-up. */
        D("d", Integer.MAX_VALUE, 2, false),
        /** Generator + discriminator steps: step 0 is warm-up. */
        COIN("coin", 1, 1, true),
        /** Discriminator-only steps of COIN-Aligned row 4 (relativistic, R1 + R2): warm-up as {@link #D}. */
        R1R2("r", Integer.MAX_VALUE, 2, false);

        final String prefix;
        final int generatorEvery;
        final int skipped;
        final boolean generatorStep;

        Kind(String prefix, int generatorEvery, int skipped, boolean generatorStep) {
            this.prefix = prefix;
            this.generatorEvery = generatorEvery;
            this.skipped = skipped;
            this.generatorStep = generatorStep;
        }
    }

    /** A case name such as {@code d16x4} or {@code coin64x16}, parsed. */
    record StepCase(String name, Kind kind, int base, int batch) {
        private static final Pattern NAME = Pattern.compile("(d|coin|r)(\\d+)x(\\d+)");

        static StepCase parse(String name) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalArgumentException("case '" + name + "' is not d<base>x<batch> (discriminator step), "
                        + "coin<base>x<batch> (generator + discriminator step) or r<base>x<batch> (COIN-Aligned "
                        + "discriminator step with R1 + R2), e.g. d16x4, coin64x16 or r16x4");
            }
            Kind kind = java.util.Arrays.stream(Kind.values()).filter(k -> k.prefix.equals(m.group(1))).findFirst()
                    .orElseThrow();
            return new StepCase(name, kind, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }
    }

    /**
     * Keeps the trainer's wall time of every timed step and checks that each is of the case's kind (a schedule that
     * mixed G+D and D-only steps would silently average two different things). Prints every step for the log.
     */
    static final class StepTimes implements TrainingListener<Object> {
        private final StepCase c;
        private final List<Double> seconds = new ArrayList<>();

        StepTimes(StepCase c) {
            this.c = c;
        }

        @Override
        public void onStep(StepReport r, TrainingContext<?> context) {
            System.out.printf(Locale.ROOT, "step %d (%s): %.3f s%n", r.globalStep(), r.generatorStep() ? "G+D" : "D only",
                    r.seconds());
            if (r.globalStep() < c.kind().skipped) {
                return;
            }
            if (r.generatorStep() != c.kind().generatorStep) {
                throw new IllegalStateException("case " + c.name() + ": step " + r.globalStep() + " is "
                        + (r.generatorStep() ? "a generator" : "a discriminator-only") + " step; the schedule is wrong");
            }
            seconds.add(r.seconds());
        }

        double[] seconds() {
            if (seconds.isEmpty()) {
                throw new IllegalStateException("case " + c.name() + ": no timed step (repeats must be >= 1)");
            }
            return seconds.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
