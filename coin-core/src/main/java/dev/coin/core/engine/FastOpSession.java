package dev.coin.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.AbstractSession;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.TrainingSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * SameDiff's training session with {@link ExactKernels} in place of the slow M2.1 kernels, and, when asked, a
 * {@link StepRecorder} that writes down every op it executes (the raw material of a {@link ReplayPlan}).
 */
final class FastOpSession extends TrainingSession {
    private final ExactKernels.Counter counter;
    private StepRecorder recorder;

    FastOpSession(SameDiff gradFunction, ExactKernels.Counter counter) {
        super(gradFunction);
        this.counter = counter;
        setMmgr(SessionMemory.boundedManager()); // its cache would otherwise hold up to a quarter of maxbytes
    }

    /** Records the ops of the following iterations into {@code r} (null stops recording). */
    void record(StepRecorder r) {
        this.recorder = r;
    }

    /** SameDiff's map from each gradient variable to the variable it belongs to (filled by a training iteration). */
    Map<String, String> gradientToVariable() {
        return gradVarToVarMap;
    }

    /**
     * Forward and backward of the gradient function on {@code feeds}, computing {@code gradients} and
     * {@code required} (the training evaluations), with nothing updated and no listener called: a training
     * iteration's op list without its side effects (for recording a step at a smaller batch, {@link StepRecorder}).
     */
    void probe(TrainingConfig config, Map<String, INDArray> feeds, List<String> gradients, Set<String> required,
            MultiDataSet batch, At at) {
        withoutUpdates(config);
        output(gradients, feeds, batch, required, new ArrayList<>(), at);
    }

    /**
     * The values of {@code gradients} (variables of the gradient function) for {@code feeds}, with nothing updated:
     * no training configuration, updater or listener is involved, so this serves graphs that are never trained
     * (a {@link GradientProbe}).
     */
    Map<String, INDArray> gradients(Map<String, INDArray> feeds, List<String> gradients, At at) {
        withoutUpdates(null);
        return output(gradients, feeds, null, new ArrayList<>(gradients), new ArrayList<>(), at);
    }

    /**
     * Session state for an iteration that updates nothing: with no gradient mapped to a variable,
     * {@code TrainingSession.getOutputs} reads neither the config nor an updater, and calls no listener.
     */
    private void withoutUpdates(TrainingConfig config) {
        this.config = config;
        this.gradVarToVarMap = new HashMap<>();
        this.lossVarsToLossIdx = new HashMap<>();
        this.currIterLoss = new double[0];
        this.currIterRegLoss = new HashMap<>();
        this.updaters = new HashMap<>();
        this.listeners = new ArrayList<>();
    }

    @Override
    public ExecutionResult doExec(DifferentialFunction op, OpContext ctx, FrameIter frame,
            Set<AbstractSession.VarId> opInputs, Set<AbstractSession.VarId> allIterInputs, Set<String> constAndPh,
            Map<String, SDValue> otherPh) {
        ExecutionResult result = ExactKernels.tryExecute(op, ctx, counter)
                ? ExecutionResult.createFrom(op, ctx)
                : super.doExec(op, ctx, frame, opInputs, allIterInputs, constAndPh, otherPh);
        if (recorder != null) {
            recorder.executed(op, ctx, result);
        }
        return result;
    }
}
