package dev.coin.core.train;

import dev.coin.core.Adam;

import dev.coin.core.ConditioningMode;
import dev.coin.core.Pipeline;
import dev.coin.core.model.Classifier;
import dev.coin.core.model.DiscriminatorOutputs;
import dev.coin.core.model.GeneratorOutputs;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.Mode;
import dev.coin.core.nn.ParameterStore;
import dev.coin.data.random.Seeds;
import dev.coin.losses.BuiltLoss;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossInputs;
import dev.coin.losses.LossSet;
import dev.coin.losses.Player;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The three graphs of two-player training on one {@link SingleThreadArrayHolder} (platform notes: each weight is
 * one array seen by every graph, each trained graph keeps its own Adam state):
 * <ul>
 *   <li>G: generator weights are variables; discriminator and classifier weights are constants; loss = the
 *       pipeline's generator terms;</li>
 *   <li>D: discriminator weights are variables; the fake input is a placeholder fed with the detached x_cf;</li>
 *   <li>F: a forward-only generator (train mode) for the steps without a generator update, so those steps advance
 *       the generator's batch-norm statistics and spectral-norm vectors once, as the reference does.</li>
 * </ul>
 * Call prefixes differ between graphs because per-call constants (1/σ) live in the shared holder by name.
 */
final class TrainingGraphs {
    static final String X = "x";
    static final String COND = "cond";
    static final String COND_SELF = "cond_self";
    static final String D_FAKE_LABEL = "d_fake_label";
    static final String D_REAL_LABEL = "d_real_label";
    static final String TARGET = "target";
    static final String MASKS = "masks";
    static final String X_REAL = "x_real";
    static final String X_FAKE = "x_fake";
    static final String P_X = "p_x";
    static final String U_REAL = "u_real";
    static final String U_FAKE = "u_fake";
    /** Logged per step for every adversarial kind: the mean discriminator logit on the real and the fake samples. */
    static final String REAL_LOGIT = "d/real_logit";
    static final String FAKE_LOGIT = "d/fake_logit";

    final SameDiff g;
    final SameDiff d;
    final SameDiff f;
    final GraphScope gScope;
    final GraphScope dScope;
    final GraphScope fScope;
    final BuiltLoss gLoss;
    final BuiltLoss dLoss;
    final List<String> gFeeds = new ArrayList<>();
    final List<String> dFeeds = new ArrayList<>();
    final List<String> fFeeds = new ArrayList<>();
    /** Fed inputs of custom terms: placeholder name → key, per graph (the trainer computes them every step). */
    final Map<String, LossInput> gFed = new LinkedHashMap<>();
    final Map<String, LossInput> dFed = new LinkedHashMap<>();
    final String gCounterfactual;
    final String gProbCf;
    final String fCounterfactual;
    final ValueCapture gCapture;
    final ValueCapture dCapture;
    /** D's logits on the real and the fake samples in the D step (captured for {@link #REAL_LOGIT}/{@link #FAKE_LOGIT}). */
    final String dRealLogits;
    final String dFakeLogits;
    /** The input-gradient probe of the R1/R2 penalties, or null when no discriminator term needs slopes. */
    final PenaltyDirections probe;
    /** True when the generator graph reads D's real input from {@link #X_REAL} (fed with the step's real samples). */
    final boolean gReadsRealInput;

    /** One store with generator, discriminator (initialised from the pipeline seed) and the classifier's arrays. */
    static ParameterStore createStore(Pipeline p, Set<String> classifierNames) {
        ParameterStore store = ParameterStore.create(DataType.FLOAT);
        p.generator().declare(store, Seeds.derive(p.seed(), 1));
        p.discriminator().declare(store, Seeds.derive(p.seed(), 2));
        ParameterStore clf = p.classifier().parameters();
        if (clf.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("classifier weights are " + clf.dataType() + "; the trainer needs FLOAT");
        }
        for (ParameterStore.Entry e : clf.entries()) {
            if (store.contains(e.name())) {
                throw new IllegalArgumentException("classifier parameter '" + e.name() + "' clashes with a generator or "
                        + "discriminator parameter; prefix the classifier's names (e.g. 'clf.')");
            }
            store.add(e.name(), e.kind(), e.array()); // by reference: the classifier stays bit-identical
            classifierNames.add(e.name());
        }
        return store;
    }

    TrainingGraphs(Pipeline p, ParameterStore store, int h, int w, long maskChannels) {
        SingleThreadArrayHolder holder = new SingleThreadArrayHolder();
        UNetPerturbation gen = p.generator();
        ResNetDiscriminator disc = p.discriminator();
        Classifier clf = p.classifier();
        LossSet losses = p.losses();
        boolean conditioned = p.conditioningMode() != ConditioningMode.NONE;
        boolean two = p.conditioningMode() == ConditioningMode.TWO;
        Set<LossInput> req = losses.builtInInputs(Player.GENERATOR);

        // ---- graph G
        g = GraphScope.newSameDiff(holder);
        gScope = GraphScope.create(g, store).withMode(Mode.TRAIN).withTrainable(true).withCallPrefix("g");
        SDVariable x = placeholder(g, gFeeds, X, DataType.FLOAT, -1, 1, h, w);
        SDVariable cond = conditioned ? condition(g, gFeeds, gen) : null;
        SDVariable condSelf = two && (req.contains(LossInput.X_REC) || req.contains(LossInput.X_CYCLIC))
                ? placeholder(g, gFeeds, COND_SELF, DataType.INT32, -1) : null;
        GeneratorOutputs out = gen.build(gScope, x, cond, h, w);
        SDVariable xcf = out.counterfactual();
        gCounterfactual = xcf.name();
        // COIN-Aligned (§9.2): x_cf comes from the raw x; every comparison after it uses tanh(x)
        SDVariable compared = p.tanhAlignment() ? g.math().tanh("x_aligned", x) : x;
        LossInputs.Builder in = LossInputs.builder().put(LossInput.X, compared).put(LossInput.X_CF, xcf);
        if (req.contains(LossInput.X_CYCLIC)) {
            // COIN: the cyclic pass gets the desired condition; Singla*: x's own bin (reference §4.3)
            in.put(LossInput.X_CYCLIC, gen.build(gScope.withCallPrefix("gc"), xcf, two ? condSelf : cond, h, w)
                    .counterfactual());
        }
        if (req.contains(LossInput.X_REC)) {
            // Singla's identity pass G(E(x), bin p(x)); the encoder runs again on x (same output in train mode)
            in.put(LossInput.X_REC, gen.build(gScope.withCallPrefix("gr"), x, two ? condSelf : cond, h, w)
                    .counterfactual());
        }
        GraphScope frozenD = gScope.withTrainable(false).withCallPrefix("dg");
        if (req.contains(LossInput.D_FAKE_LOGITS)) {
            SDVariable fl = disc.projection() ? placeholder(g, gFeeds, D_FAKE_LABEL, DataType.INT32, -1) : null;
            in.put(LossInput.D_FAKE_LOGITS, disc.build(frozenD, xcf, fl, h, w).logits());
        }
        // the real samples of D: x itself (COIN), or what the step feeds (tanh(x), the paired healthy slices)
        gReadsRealInput = req.contains(LossInput.D_REAL_LOGITS)
                && (p.tanhAlignment() || p.realSamples() != dev.coin.core.RealSamples.INPUT);
        if (req.contains(LossInput.D_REAL_LOGITS)) {
            SDVariable rl = disc.projection() ? placeholder(g, gFeeds, D_REAL_LABEL, DataType.INT32, -1) : null;
            SDVariable real = gReadsRealInput ? placeholder(g, gFeeds, X_REAL, DataType.FLOAT, -1, 1, h, w) : x;
            in.put(LossInput.D_REAL_LOGITS, disc.build(frozenD.withCallPrefix("dgr"), real, rl, h, w).logits());
        }
        if (req.contains(LossInput.CLASSIFIER_PROB_CF)) {
            GraphScope frozenC = gScope.withMode(Mode.EVAL).withTrainable(false).withCallPrefix("clf");
            SDVariable pcf = g.nn().sigmoid("clf/p_cf", clf.apply(frozenC, xcf).logits());
            in.put(LossInput.CLASSIFIER_PROB_CF, pcf);
            gProbCf = pcf.name();
        } else {
            gProbCf = null;
        }
        if (req.contains(LossInput.TARGET_PROB)) {
            in.put(LossInput.TARGET_PROB, placeholder(g, gFeeds, TARGET, DataType.FLOAT, -1, 1));
        }
        if (req.contains(LossInput.MASKS)) {
            in.put(LossInput.MASKS, placeholder(g, gFeeds, MASKS, DataType.FLOAT, -1, maskChannels, h, w));
        }
        if (req.contains(LossInput.CLASSIFIER_PROB_X)) {
            in.put(LossInput.CLASSIFIER_PROB_X, placeholder(g, gFeeds, P_X, DataType.FLOAT, -1, 1));
        }
        addFed(g, gFeeds, gFed, losses.fedInputs(Player.GENERATOR), in);
        gLoss = losses.build(g, Player.GENERATOR, in.build());
        g.setLossVariables(gLoss.totalName());
        g.setTrainingConfig(TrainingConfig.builder().updater(p.optimizer().toUpdater())
                .dataSetFeatureMapping(gFeeds.toArray(String[]::new)).markLabelsUnused().build());
        gScope.hooks().install();
        Set<String> gNames = new HashSet<>(gLoss.logged().keySet());
        gNames.add(gCounterfactual);
        if (gProbCf != null) {
            gNames.add(gProbCf);
        }
        gCapture = new ValueCapture(g, gNames);
        g.addListeners(gCapture);

        // ---- graph D
        d = GraphScope.newSameDiff(holder);
        dScope = GraphScope.create(d, store).withMode(Mode.TRAIN).withTrainable(true);
        SDVariable xr = placeholder(d, dFeeds, X_REAL, DataType.FLOAT, -1, 1, h, w);
        SDVariable rl = disc.projection() ? placeholder(d, dFeeds, D_REAL_LABEL, DataType.INT32, -1) : null;
        SDVariable xf = placeholder(d, dFeeds, X_FAKE, DataType.FLOAT, -1, 1, h, w);
        SDVariable fl = disc.projection() ? placeholder(d, dFeeds, D_FAKE_LABEL, DataType.INT32, -1) : null;
        Set<LossInput> dReq = losses.builtInInputs(Player.DISCRIMINATOR);
        boolean slopes = dReq.contains(LossInput.D_REAL_SLOPE) || dReq.contains(LossInput.D_FAKE_SLOPE);
        // reference order: D(x, b) first, then D(x_cf.detach(), c)
        DiscriminatorOutputs realOut;
        DiscriminatorOutputs fakeOut;
        if (slopes) {
            // R1/R2 (§9.4): the slopes along the probe's unit input gradients, with the probe's σ
            SDVariable ur = placeholder(d, dFeeds, U_REAL, DataType.FLOAT, -1, 1, h, w);
            SDVariable uf = placeholder(d, dFeeds, U_FAKE, DataType.FLOAT, -1, 1, h, w);
            realOut = disc.buildWithSlope(dScope.withCallPrefix("dr"), xr, rl, ur, h, w);
            fakeOut = disc.buildWithSlope(dScope.withCallPrefix("df"), xf, fl, uf, h, w);
            probe = new PenaltyDirections(disc, store, holder, h, w);
            dScope.hooks().followSpectralNorm(probe.hooks());
        } else {
            realOut = disc.build(dScope.withCallPrefix("dr"), xr, rl, h, w);
            fakeOut = disc.build(dScope.withCallPrefix("df"), xf, fl, h, w);
            probe = null;
        }
        SDVariable realLogits = realOut.logits();
        SDVariable fakeLogits = fakeOut.logits();
        dRealLogits = realLogits.name();
        dFakeLogits = fakeLogits.name();
        LossInputs.Builder din = LossInputs.builder().put(LossInput.D_REAL_LOGITS, realLogits)
                .put(LossInput.D_FAKE_LOGITS, fakeLogits).put(LossInput.X, xr).put(LossInput.X_CF, xf);
        if (slopes) {
            din.put(LossInput.D_REAL_SLOPE, realOut.slope()).put(LossInput.D_FAKE_SLOPE, fakeOut.slope());
        }
        if (dReq.contains(LossInput.TARGET_PROB)) {
            din.put(LossInput.TARGET_PROB, placeholder(d, dFeeds, TARGET, DataType.FLOAT, -1, 1));
        }
        if (dReq.contains(LossInput.MASKS)) {
            din.put(LossInput.MASKS, placeholder(d, dFeeds, MASKS, DataType.FLOAT, -1, maskChannels, h, w));
        }
        if (dReq.contains(LossInput.CLASSIFIER_PROB_X)) {
            din.put(LossInput.CLASSIFIER_PROB_X, placeholder(d, dFeeds, P_X, DataType.FLOAT, -1, 1));
        }
        addFed(d, dFeeds, dFed, losses.fedInputs(Player.DISCRIMINATOR), din);
        dLoss = losses.build(d, Player.DISCRIMINATOR, din.build());
        d.setLossVariables(dLoss.totalName());
        d.setTrainingConfig(TrainingConfig.builder().updater(p.optimizer().toUpdater())
                .dataSetFeatureMapping(dFeeds.toArray(String[]::new)).markLabelsUnused().build());
        dScope.hooks().install();
        Set<String> dNames = new LinkedHashSet<>(dLoss.logged().keySet());
        dNames.add(dRealLogits);
        dNames.add(dFakeLogits);
        dCapture = new ValueCapture(d, dNames);
        d.addListeners(dCapture);

        // ---- graph F (forward only, train mode)
        f = GraphScope.newSameDiff(holder);
        fScope = GraphScope.create(f, store).withMode(Mode.TRAIN).withTrainable(false).withCallPrefix("f");
        SDVariable fx = placeholder(f, fFeeds, X, DataType.FLOAT, -1, 1, h, w);
        SDVariable fc = conditioned ? condition(f, fFeeds, gen) : null;
        fCounterfactual = gen.build(fScope, fx, fc, h, w).counterfactual().name();
    }

    /**
     * The generator's condition {@link #COND}: the INT labels (N), or with {@code Conditioning.features(F)} the
     * classifier's penultimate features of the raw x, FLOAT (N, F), fed as a host array (no gradient to the
     * classifier, as the reference computes them under no_grad).
     */
    private static SDVariable condition(SameDiff sd, List<String> feeds, UNetPerturbation gen) {
        return gen.conditioning().kind() == Conditioning.Kind.FEATURES
                ? placeholder(sd, feeds, COND, DataType.FLOAT, -1, gen.conditioning().size())
                : placeholder(sd, feeds, COND, DataType.INT32, -1);
    }

    /** A placeholder per fed input of a custom term, named {@link LossSet#inputName}. */
    private static void addFed(SameDiff sd, List<String> feeds, Map<String, LossInput> fed, List<LossInput> keys,
            LossInputs.Builder in) {
        for (LossInput k : keys) {
            String name = LossSet.inputName(k);
            in.put(k, placeholder(sd, feeds, name, k.dataType(), k.shape()));
            fed.put(name, k);
        }
    }

    private static SDVariable placeholder(SameDiff sd, List<String> feeds, String name, DataType dt, long... shape) {
        feeds.add(name);
        return sd.placeHolder(name, dt, shape);
    }
}
