package dev.coin.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients of a graph's loss with respect to chosen variables, for a graph that is evaluated again and again but
 * never trained (COIN-Aligned's R1/R2 probe: D's input gradients every discriminator step).
 *
 * <p>{@code SameDiff.calculateGradients} runs M2.1's kernels as they are, including the broadcast {@code multiply_bp}
 * that tiles its small operand one element at a time ({@link ExactKernels}); a spectrally normalised layer divides
 * every weight by σ, so a discriminator has one such op per layer. A probe keeps one session for its graph's
 * gradient function across calls and runs it with {@link ExactKernels} in place of those kernels: the same
 * arithmetic, so the same gradients. Under {@link TrainingStepper.Engine#FIT} it calls
 * {@code calculateGradients} itself, the stock path the faster one is tested against.
 *
 * <p>The arrays returned are copies: they stay valid after the next call. Not thread-safe: one probe per graph,
 * called from the training thread.
 */
public final class GradientProbe {
    private final SameDiff sd;
    private final List<String> variables;
    private final TrainingStepper.Engine engine;
    private final ExactKernels.Counter counter = new ExactKernels.Counter();
    private FastOpSession session;
    private List<String> gradientNames;
    private long calls;

    private GradientProbe(SameDiff sd, List<String> variables, TrainingStepper.Engine engine) {
        this.sd = Objects.requireNonNull(sd, "sd");
        this.variables = List.copyOf(variables);
        this.engine = Objects.requireNonNull(engine, "engine");
        if (this.variables.isEmpty()) {
            throw new IllegalArgumentException("a gradient probe needs at least one variable to differentiate towards");
        }
        if (sd.getLossVariables() == null || sd.getLossVariables().isEmpty()) {
            throw new IllegalArgumentException("graph has no loss variable; call sd.setLossVariables(...) before "
                    + "making a GradientProbe");
        }
        for (String v : this.variables) {
            if (!sd.hasVariable(v)) {
                throw new IllegalArgumentException("graph has no variable '" + v + "' to differentiate towards");
            }
        }
    }

    /** A probe with the engine the {@value TrainingStepper#ENGINE_PROPERTY} property selects (fast by default). */
    public static GradientProbe of(SameDiff sd, String... variables) {
        return of(sd, TrainingStepper.Engine.fromSystemProperty(), variables);
    }

    public static GradientProbe of(SameDiff sd, TrainingStepper.Engine engine, String... variables) {
        return new GradientProbe(sd, List.of(variables), engine);
    }

    /** ∂loss/∂v for every probed variable v, by name, for {@code feeds}. */
    public Map<String, INDArray> gradients(Map<String, INDArray> feeds) {
        Objects.requireNonNull(feeds, "feeds");
        calls++;
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (engine == TrainingStepper.Engine.FIT) {
            Map<String, INDArray> g = sd.calculateGradients(feeds, variables);
            for (String v : variables) {
                out.put(v, g.get(v));
            }
            return out;
        }
        if (session == null) {
            start();
        }
        At at = At.builder().epoch(0).iteration((int) Math.min(Integer.MAX_VALUE, calls)).trainingThreadNum(0)
                .javaThreadNum(Thread.currentThread().getId()).operation(Operation.INFERENCE).build();
        Map<String, INDArray> g = session.gradients(feeds, gradientNames, at);
        for (int i = 0; i < variables.size(); i++) {
            INDArray a = g.get(gradientNames.get(i));
            if (a == null) {
                throw new IllegalStateException("SameDiff computed no gradient for '" + variables.get(i) + "'");
            }
            out.put(variables.get(i), a.dup());
        }
        return out;
    }

    /** Broadcast and same-shape pairwise backward ops run by {@link ExactKernels} so far. */
    public long replacedOps() {
        return counter.pairwiseBackward + counter.reluBackward;
    }

    private void start() {
        if (sd.getFunction("grad") == null) {
            sd.createGradFunction();
        }
        List<String> names = new ArrayList<>();
        for (String v : variables) {
            SDVariable g = sd.getVariable(v).getGradient();
            if (g == null) {
                throw new IllegalArgumentException("the loss does not depend on '" + v + "': it has no gradient");
            }
            names.add(g.name());
        }
        gradientNames = List.copyOf(names);
        session = new FastOpSession(sd.getFunction("grad"), counter);
    }
}
