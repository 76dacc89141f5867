package dev.coin.core;

import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.train.EpochMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link Pipeline#fit}: the pipeline, its trained weights (generator, discriminator, classifier in one
 * {@link ParameterStore}) and the per-epoch metrics. {@link #counterfactual} runs the generator in eval mode.
 *
 * <pre>{@code
 * TrainedPipeline t = pipeline.fit(train, 100);
 * TrainedPipeline.Counterfactual cf = t.counterfactual(x);    // x: [B, 1, H, W]
 * cf.probabilityBefore(); cf.probabilityAfter();
 * }</pre>
 */
public final class TrainedPipeline {
    private final Pipeline pipeline;
    private final ParameterStore store;
    private final List<EpochMetrics> history;
    private SameDiff eval;
    private GraphScope evalScope;
    private String evalOut;
    private long evalH;
    private long evalW;

    public TrainedPipeline(Pipeline pipeline, ParameterStore store, List<EpochMetrics> history) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.store = Objects.requireNonNull(store, "store");
        this.history = List.copyOf(history);
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** The live weights and statistics (not a copy). */
    public ParameterStore parameters() {
        return store;
    }

    /** Metrics of every epoch, oldest first. */
    public List<EpochMetrics> history() {
        return history;
    }

    /**
     * A counterfactual and the classifier's view of it.
     *
     * @param input             x [B, 1, H, W]
     * @param counterfactual    x_cf [B, 1, H, W]
     * @param probabilityBefore p(x) [B, 1]
     * @param probabilityAfter  p(x_cf) [B, 1]
     */
    public record Counterfactual(INDArray input, INDArray counterfactual, INDArray probabilityBefore,
                                 INDArray probabilityAfter) {
    }

    /**
     * The eval-mode counterfactual of {@code x} (batch-norm running statistics; the condition from the target rule).
     * Spectral-norm vectors still advance, as in the reference's evaluation.
     *
     * @throws IllegalArgumentException when {@code x} is not [B, 1, H, W]
     */
    public synchronized Counterfactual counterfactual(INDArray x) {
        Objects.requireNonNull(x, "x");
        if (x.rank() != 4 || x.size(1) != 1) {
            throw new IllegalArgumentException("x must be [B, 1, H, W], got " + java.util.Arrays.toString(x.shape())
                    + "; add the channel axis with x.reshape(b, 1, h, w)");
        }
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray p = pipeline.classifier().probabilities(xf);
        if (eval == null || evalH != x.size(2) || evalW != x.size(3)) {
            buildEval((int) x.size(2), (int) x.size(3));
        }
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put("x", xf);
        if (pipeline.conditioningMode() != ConditioningMode.NONE) {
            feeds.put("cond", pipeline.targetRule().condition(p).reshape(x.size(0)));
        }
        INDArray xcf = evalScope.hooks().output(feeds, evalOut).get(evalOut);
        return new Counterfactual(xf, xcf, p, pipeline.classifier().probabilities(xcf));
    }

    private void buildEval(int h, int w) {
        eval = GraphScope.newSameDiff(new SingleThreadArrayHolder());
        evalScope = GraphScope.create(eval, store).withMode(Mode.EVAL).withTrainable(false).withCallPrefix("e");
        SDVariable x = eval.placeHolder("x", DataType.FLOAT, -1, 1, h, w);
        SDVariable c = pipeline.conditioningMode() == ConditioningMode.NONE ? null
                : eval.placeHolder("cond", DataType.INT32, -1);
        evalOut = pipeline.generator().build(evalScope, x, c, h, w).counterfactual().name();
        evalH = h;
        evalW = w;
    }

    /** Epoch-by-epoch summary. */
    @Override
    public String toString() {
        EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
        return "TrainedPipeline[" + pipeline.name() + ", " + history.size() + " epochs"
                + (last == null ? "" : ", last flip rate " + last.flipRate() + ", last losses " + last.losses()) + "]";
    }

}
