package dev.coin.examples.bench;

import dev.coin.core.model.GeneratorOutputs;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.core.engine.TrainingStepper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Times COIN's generator (encoder + decoder, skips 1–4, bilinear, tanh(x + g)) at 256²: a training step (forward,
 * backward, Adam) and an eval-mode inference, for channel bases 16 and 64 and batches 4 and 16. Prints one
 * machine-readable line per case ({@code RESULT java <case> <phase> <median s> <min> <max> <peak RSS MiB>}), which
 * {@code scripts/bench-generator.sh} pairs with the PyTorch script's lines to print ratios.
 *
 * <p>Arguments: {@code [repeats] [case ...]} with cases like {@code b16x4} (base 16, batch 4); default
 * {@code 5 b16x4 b16x16 b64x4 b64x16}. The loss is L1(x, x_cf), the same in both frameworks. With
 * {@code -Dcoin.bench.profile=true} the training steps are also profiled op by op ({@link OpProfile}): {@code PROFILE}
 * lines (op type → ms per step, share, count, and the time between ops; the listener adds a little overhead).
 * Threads: ND4J follows {@code OMP_NUM_THREADS} (the script sets it).
 */
public final class GeneratorBenchmark {
    private GeneratorBenchmark() {
    }

    public static void main(String[] args) {
        NativeBackend.configure();
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> cases = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            cases.add(args[i]);
        }
        if (cases.isEmpty()) {
            cases = List.of("b16x4", "b16x16", "b64x4", "b64x16");
        }
        System.out.println("backend: " + NativeBackend.describe());
        for (String c : cases) {
            String[] p = c.substring(1).split("x");
            run(c, Integer.parseInt(p[0]), Integer.parseInt(p[1]), repeats);
        }
    }

    static void run(String name, int base, int batch, int repeats) {
        int size = 256;
        UNetPerturbation spec = UNetPerturbation.withSkips(4).upsample(UpsampleKind.BILINEAR)
                .channels(base, 2 * base, 4 * base, 8 * base, 16 * base).build();
        ParameterStore store = spec.initialise(DataType.FLOAT, 777L);
        SingleThreadArrayHolder holder = new SingleThreadArrayHolder();

        SameDiff train = GraphScope.newSameDiff(holder);
        SDVariable x = train.placeHolder("x", DataType.FLOAT, -1, 1, size, size);
        SDVariable y = train.placeHolder("labels", DataType.INT32, -1);
        GraphScope scope = GraphScope.create(train, store).withMode(Mode.TRAIN).withCallPrefix("g");
        GeneratorOutputs out = spec.build(scope, x, y, size, size);
        // 0 + L1 as a pairwise add: its backward reads the mean, so the training pass computes the loss chain (a bare
        // mean as the loss variable is requested by fit but its input is never computed: NPE in M2.1)
        SDVariable l1 = train.math().abs(out.counterfactual().sub(x)).mean();
        SDVariable loss = train.constant(Nd4j.scalar(DataType.FLOAT, 0f)).add("loss", l1);
        train.setLossVariables(loss);
        train.setTrainingConfig(TrainingConfig.builder().updater(new Adam(2e-4, 0.0, 0.999, 1e-8))
                .dataSetFeatureMapping("x", "labels").markLabelsUnused().build());
        scope.hooks().install();

        SameDiff infer = GraphScope.newSameDiff(holder);
        SDVariable xi = infer.placeHolder("x", DataType.FLOAT, -1, 1, size, size);
        SDVariable yi = infer.placeHolder("labels", DataType.INT32, -1);
        GraphScope iscope = GraphScope.create(infer, store).withMode(Mode.EVAL).withCallPrefix("e");
        String cf = spec.build(iscope, xi, yi, size, size).counterfactual().name();

        INDArray xb = Nd4j.rand(DataType.FLOAT, batch, 1, size, size).muli(1.8).subi(0.9);
        INDArray lb = Nd4j.zeros(DataType.INT32, batch);
        MultiDataSet mds = new MultiDataSet(new INDArray[] {xb, lb}, new INDArray[0]);
        OpProfile profile = Boolean.getBoolean("coin.bench.profile") ? new OpProfile() : null;
        if (profile != null) {
            train.addListeners(profile);
        }
        TrainingStepper stepper = TrainingStepper.of(train);
        int[] calls = {0};
        double[] step = BenchStats.time(1, repeats, () -> {
            if (profile != null && calls[0]++ == 1) {
                profile.start(); // from the first timed step: BenchStats runs one warm-up call first
            }
            stepper.step(mds);
        });
        report(name, "train", step);
        long[] replaced = stepper.replacementCounts();
        System.out.printf(Locale.ROOT, "engine %s: %d pairwise backward ops and %d relu backward ops replaced%n",
                stepper.engine(), replaced[0], replaced[1]);
        if (profile != null) {
            System.out.print(profile.summary(15));
        }
        double[] inf = BenchStats.time(1, repeats, () -> iscope.hooks().output(Map.of("x", xb, "labels", lb), cf));
        report(name, "infer", inf);
    }

    private static void report(String name, String phase, double[] s) {
        System.out.printf(Locale.ROOT, "RESULT java %s %s %.4f %.4f %.4f %.0f%n", name, phase, BenchStats.median(s),
                java.util.Arrays.stream(s).min().orElse(Double.NaN), java.util.Arrays.stream(s).max().orElse(Double.NaN),
                BenchStats.peakRssMib());
    }
}
