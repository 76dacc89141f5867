package dev.coin.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trainer logs from {@code SameDiff.fit}, whose session runs only the forward ops the gradient needs. Every raw,
 * weighted and component scalar the set names must be among them, with the same values as a plain forward pass.
 */
class FitPassTest extends DoubleGraphTest {
    private static final int B = 2, H = 3, W = 4;
    private final SplittableRandom rnd = new SplittableRandom(51);
    private final double[] x = uniform(rnd, B * H * W, -1, 1);
    private final double[] g0 = uniform(rnd, H * W, -0.5, 0.5);

    private static final LossInput PIXEL_WEIGHT = LossInput.fed("pixel_weight", DataType.DOUBLE,
            new long[] {-1, 1, H, W}, step -> Transforms.abs(step.get(LossInput.X)).add(1.0));
    private static final LossInput XCF_MEAN = LossInput.derived("xcf_mean", Set.of(LossInput.X_CF),
            (sd, in) -> sd.mean(in.get(LossInput.X_CF)));

    /** Activations reported during fit, by variable name. */
    private static final class Capture extends BaseListener {
        final Map<String, INDArray> seen = new HashMap<>();

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                INDArray activation) {
            if (activation != null) { // M2.1 reports identity ops' outputs as null here
                seen.put(varName, activation.dup());
            }
        }
    }

    /** One fit step (learning rate 0) of {@code set}'s generator loss over x_cf = x + g; checks the logged names. */
    private void assertFitComputesEveryLoggedTermValue(LossSet set) {
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.placeHolder("x", DataType.DOUBLE, -1, 1, H, W);
        SDVariable g = sd.var("g", arr(g0, 1, 1, H, W));
        LossInputs.Builder in = LossInputs.builder().put(LossInput.X, xv).put(LossInput.X_CF, xv.add(g));
        List<String> features = new ArrayList<>(List.of("x"));
        for (LossInput f : set.fedInputs(Player.GENERATOR)) {
            in.put(f, sd.placeHolder(LossSet.inputName(f), f.dataType(), f.shape()));
            features.add(LossSet.inputName(f));
        }
        BuiltLoss built = set.build(sd, Player.GENERATOR, in.build());
        sd.setLossVariables(built.totalName());
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(0.0))
                .dataSetFeatureMapping(features.toArray(String[]::new)).markLabelsUnused().build());

        INDArray xa = arr(x, B, 1, H, W);
        LossInput.StepArrays step = LossInput.StepArrays.of(Map.of(LossInput.X, xa));
        Map<String, INDArray> feeds = new HashMap<>(Map.of("x", xa));
        List<INDArray> featureArrays = new ArrayList<>(List.of(xa));
        for (LossInput f : set.fedInputs(Player.GENERATOR)) {
            INDArray a = f.computeFeed(step);
            feeds.put(LossSet.inputName(f), a);
            featureArrays.add(a);
        }
        Capture capture = new Capture();
        sd.fit(new org.nd4j.linalg.dataset.MultiDataSet(featureArrays.toArray(INDArray[]::new), new INDArray[0]),
                capture);

        List<String> termValues = built.terms().stream().flatMap(t -> t.logged().keySet().stream()).toList();
        assertThat(termValues).isNotEmpty();
        assertThat(capture.seen.keySet()).as("computed by the fit pass").containsAll(termValues);
        Map<String, INDArray> forward = sd.output(feeds, termValues.toArray(String[]::new));
        double sumWeighted = 0;
        for (String n : termValues) {
            assertThat(capture.seen.get(n).getDouble(0)).as(n).isCloseTo(forward.get(n).getDouble(0), within(1e-14));
        }
        for (BuiltTerm t : built.terms()) {
            sumWeighted += capture.seen.get(t.weighted().name()).getDouble(0);
        }
        double total = sd.output(feeds, built.totalName()).get(built.totalName()).getDouble(0);
        assertThat(sumWeighted).as("Σ logged weighted values = total").isCloseTo(total, within(1e-14));
    }

    @Test
    void everyRawWeightedAndComponentValueIsComputedByFitInAMixedSet() {
        CustomInputTest.Term weightedL1 = new CustomInputTest.Term("weighted_l1",
                Set.of(LossInput.X, LossInput.X_CF, PIXEL_WEIGHT), c -> c.sd().mean(c.get(PIXEL_WEIGHT)
                        .mul(c.sd().math.abs(c.get(LossInput.X).sub(c.get(LossInput.X_CF))))));
        CustomInputTest.Term spread = new CustomInputTest.Term("spread", Set.of(LossInput.X_CF, XCF_MEAN),
                c -> c.sd().mean(c.sd().math.square(c.get(LossInput.X_CF).sub(c.get(XCF_MEAN)))));
        assertFitComputesEveryLoggedTermValue(LossSet.of(new CustomTermTest.Split("split").weight(2.0),
                Reconstruction.l1().weight(0.5), TotalVariation.weight(1e-3), weightedL1, spread.weight(3.0)));
    }

    @Test
    void aSingleTermIsComputedByFitToo() {
        assertFitComputesEveryLoggedTermValue(LossSet.of(new CustomTermTest.Split("split").weight(2.0)));
        assertFitComputesEveryLoggedTermValue(LossSet.of(Reconstruction.minc(0.7)));
    }
}
