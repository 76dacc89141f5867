package dev.coin.core.train;

import dev.coin.core.engine.GradientProbe;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.nn.ForwardHooks;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The input gradients of the discriminator that COIN-Aligned's zero-centred R1/R2 penalties need (reference §9.4),
 * computed by ordinary first-order backprop in a probe graph of their own: g_i = ∂(Σ_j D(x_j))/∂x_i for the real and
 * the fake batch, the squared norms R_i = ‖g_i‖², and the unit directions u_i = g_i / ‖g_i‖ (0 where g_i = 0).
 *
 * <p><b>Why a probe and a directional difference, not double backprop.</b> SameDiff 1.0.0-M2.1 cannot differentiate a
 * gradient (platform notes), and the penalty's parameter gradient is second order. For the discriminator, which is
 * piecewise linear in its input (spectrally normalised convolutions with σ a constant, ReLU, average pooling, a global
 * sum, a linear head), D(x + ε·u) = D(x) + ε·g·u exactly as long as no ReLU changes sign within ε, so
 * ((D(x + ε·u) − D(x)) / ε)² with u held constant equals ‖g‖², and its parameter gradient, 2‖g‖·∂θ(g·u), equals that of
 * ‖g‖². The training graph therefore needs only one extra forward per input along a constant direction
 * ({@link dev.coin.losses.GradientPenalty}); the alternative, an explicit hand-written input-gradient graph of the
 * discriminator (ReLU masks, transposed convolutions, pooling backward) differentiated once more, would duplicate
 * every layer's backward in our code. Cost, measured on the step: one forward + backward of D over both batches here,
 * plus two more D forwards (and their backward) in the training graph. The probe runs through a {@link GradientProbe}:
 * one session for the whole run, with the engine's exact replacements for M2.1's slow backward kernels.
 *
 * <p><b>Spectral norm.</b> The probe's two calls run the power iterations of the discriminator step (real first, then
 * fake: one update of every {@code u} per call, as the reference's two D calls); the training graph
 * {@linkplain ForwardHooks#followSpectralNorm follows} them, so the gradients here and the penalised forward there
 * use the same σ values and each {@code u} advances exactly as in the reference.
 */
final class PenaltyDirections {
    static final String REAL = "x_real";
    static final String FAKE = "x_fake";
    static final String REAL_LABEL = "d_real_label";
    static final String FAKE_LABEL = "d_fake_label";
    private static final String REAL_IN = "probe/x_real";
    private static final String FAKE_IN = "probe/x_fake";

    /**
     * One probe result.
     *
     * @param uReal the unit input-gradient directions of the real batch [B, 1, H, W]
     * @param uFake the same for the fake batch
     * @param r1    ‖∂ΣD/∂x_real,i‖² per sample
     * @param r2    ‖∂ΣD/∂x_fake,i‖² per sample
     */
    record Directions(INDArray uReal, INDArray uFake, double[] r1, double[] r2) {
    }

    private final SameDiff sd;
    private final GraphScope scope;
    private final GradientProbe gradients;
    private final boolean projection;

    /**
     * Builds the probe on the training graphs' holder. The call prefixes ({@code pr}, {@code pf}) must not be used
     * by another graph on the same holder: per-call constants live there by name.
     */
    PenaltyDirections(ResNetDiscriminator disc, ParameterStore store, SingleThreadArrayHolder holder, int h, int w) {
        Objects.requireNonNull(disc, "disc");
        sd = GraphScope.newSameDiff(holder);
        scope = GraphScope.create(sd, store).withMode(Mode.TRAIN).withTrainable(false);
        projection = disc.projection();
        SDVariable xr = sd.placeHolder(REAL, DataType.FLOAT, -1, 1, h, w);
        SDVariable rl = projection ? sd.placeHolder(REAL_LABEL, DataType.INT32, -1) : null;
        SDVariable xf = sd.placeHolder(FAKE, DataType.FLOAT, -1, 1, h, w);
        SDVariable fl = projection ? sd.placeHolder(FAKE_LABEL, DataType.INT32, -1) : null;
        // the same order as the training graph's calls: real, then fake
        // M2.1 gives no gradient for a placeholder, and differentiates only towards a trainable variable: D reads
        // the inputs times a scalar variable fixed at 1, whose products are op outputs with gradients
        SDVariable one = sd.var("probe/one", Nd4j.scalar(DataType.FLOAT, 1f));
        SDVariable xrIn = xr.mul(REAL_IN, one);
        SDVariable xfIn = xf.mul(FAKE_IN, one);
        SDVariable real = disc.build(scope.withCallPrefix("pr"), xrIn, rl, h, w).logits();
        SDVariable fake = disc.build(scope.withCallPrefix("pf"), xfIn, fl, h, w).logits();
        SDVariable total = sd.sum("probe/sum_d", real).add("probe/total", sd.sum(fake));
        sd.setLossVariables(total);
        scope.hooks().install();
        gradients = GradientProbe.of(sd, REAL_IN, FAKE_IN);
    }

    /** The probe's hooks: the training graph's discriminator calls follow their σ values. */
    ForwardHooks hooks() {
        return scope.hooks();
    }

    /**
     * Advances the spectral-norm vectors (one power iteration per call) and returns the directions.
     *
     * @param realLabels D's labels for the real batch (projection discriminators only, else ignored)
     */
    Directions compute(INDArray xReal, INDArray realLabels, INDArray xFake, INDArray fakeLabels) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(REAL, xReal);
        feeds.put(FAKE, xFake);
        if (projection) {
            feeds.put(REAL_LABEL, Objects.requireNonNull(realLabels, "realLabels"));
            feeds.put(FAKE_LABEL, Objects.requireNonNull(fakeLabels, "fakeLabels"));
        }
        scope.hooks().beforeForward();
        Map<String, INDArray> g = gradients.gradients(feeds);
        double[] r1 = new double[(int) xReal.size(0)];
        double[] r2 = new double[(int) xFake.size(0)];
        INDArray uReal = unit(g.get(REAL_IN), r1);
        INDArray uFake = unit(g.get(FAKE_IN), r2);
        return new Directions(uReal, uFake, r1, r2);
    }

    /** Per-sample unit vectors of {@code g}; writes the squared norms into {@code squaredNorms}. */
    private static INDArray unit(INDArray g, double[] squaredNorms) {
        if (g == null) {
            throw new IllegalStateException("SameDiff returned no input gradient for the discriminator probe");
        }
        long n = g.size(0);
        INDArray flat = g.castTo(DataType.DOUBLE).reshape('c', n, -1);
        INDArray norms = flat.norm2(1);
        INDArray u = Nd4j.zeros(DataType.DOUBLE, flat.shape());
        for (int i = 0; i < n; i++) {
            double norm = norms.getDouble(i);
            squaredNorms[i] = norm * norm;
            if (norm > 0) {
                u.putRow(i, flat.getRow(i).div(norm));
            }
        }
        return u.reshape('c', g.shape()).castTo(DataType.FLOAT);
    }
}
