package dev.coin.core;

import dev.coin.core.model.Classifier;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.model.classifier.ClassifierSpec;
import dev.coin.core.nn.Conditioning;
import dev.coin.losses.LossInput;
import dev.coin.losses.LossSet;
import dev.coin.losses.LossTerm;
import dev.coin.losses.Player;
import dev.coin.losses.TargetRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A complete COIN-style system: the frozen classifier to explain, the generator and discriminator specs, the loss
 * terms, the target rule, the optimiser, the update schedule and the initialisation seed. Immutable; a
 * {@link dev.coin.core.train.PipelineTrainer} trains it.
 *
 * <p>One owner per setting: a pipeline says <em>what</em> is trained. Batching and the data order belong to the
 * {@link dev.coin.data.dataset.BatchLoader} (its batch size and seed), the number of epochs to the
 * {@code fit(loader, epochs)} call, and the run folder, listeners and resuming to the trainer.
 *
 * <pre>{@code
 * Pipeline p = Pipeline.builder()
 *     .classifier(classifier)
 *     .generator(UNetPerturbation.withSkips(4))          // discriminator: the reference's 5-block one by default
 *     .loss(Adversarial.bce()).loss(ClassifierKl.weight(1.0))
 *     .loss(Reconstruction.cyclicL1().weight(1.0)).loss(TotalVariation.weight(5e-5))
 *     .build();
 * TrainedPipeline t = PipelineTrainer.builder(p).build().fit(loader, 100);
 * }</pre>
 */
public final class Pipeline {
    static {
        // Select the fast oneDNN natives before this class can be the first to load ND4J.
        dev.coin.data.runtime.NativeBackend.configure();
    }

    private final String name;
    private final Classifier classifier;
    private final UNetPerturbation generator;
    private final ResNetDiscriminator discriminator;
    private final LossSet losses;
    private final TargetRule targetRule;
    private final Adam optimizer;
    private final int generatorEvery;
    private final long seed;
    private final boolean tanhAlignment;
    private final RealSamples realSamples;
    private final PipelineIdentity preset;

    private Pipeline(Builder b) {
        this.name = b.name;
        this.classifier = b.classifier;
        this.generator = b.generator;
        this.discriminator = b.discriminator;
        this.losses = LossSet.of(b.losses);
        this.targetRule = b.targetRule;
        this.optimizer = b.optimizer;
        this.generatorEvery = b.generatorEvery;
        this.seed = b.seed;
        this.tanhAlignment = b.tanhAlignment;
        this.realSamples = b.realSamples;
        this.preset = b.preset;
    }

    /**
     * An empty builder with the reference's common settings: Adam 2e-4 (0, 0.999), k = 5, seed 777, the 5-block
     * discriminator, the COIN v1 target rule. Classifier, generator and losses must be set.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.classifier = classifier;
        b.generator = generator;
        b.discriminator = discriminator;
        b.losses = new ArrayList<>(losses.terms());
        b.targetRule = targetRule;
        b.optimizer = optimizer;
        b.generatorEvery = generatorEvery;
        b.seed = seed;
        b.tanhAlignment = tanhAlignment;
        b.realSamples = realSamples;
        b.preset = preset;
        return b;
    }

    public String name() {
        return name;
    }

    public Classifier classifier() {
        return classifier;
    }

    public UNetPerturbation generator() {
        return generator;
    }

    public ResNetDiscriminator discriminator() {
        return discriminator;
    }

    public LossSet losses() {
        return losses;
    }

    public TargetRule targetRule() {
        return targetRule;
    }

    public Adam optimizer() {
        return optimizer;
    }

    /** k: the generator is updated when {@code globalStep % k == 0}; the discriminator every step. */
    public int generatorEvery() {
        return generatorEvery;
    }

    /**
     * The initialisation seed: generator and discriminator weights derive from it. The data order and the
     * augmentations follow the loader's own seed.
     */
    public long seed() {
        return seed;
    }

    /**
     * COIN-Aligned's tanh alignment (reference §9.2): the generator and the classifier see the raw x, but every later
     * comparison — reconstruction, total variation, the discriminator's real input, the penalties — and the
     * evaluation's difference map use tanh(x), so that a zero perturbation gives x_cf = tanh(x) exactly.
     */
    public boolean tanhAlignment() {
        return tanhAlignment;
    }

    /** What the discriminator sees as real: the input batch (COIN) or the paired healthy slices (COIN-Aligned). */
    public RealSamples realSamples() {
        return realSamples;
    }

    /** The class conditions the generator receives (derived from its conditioning and the target rule). */
    public ConditioningMode conditioningMode() {
        return conditioningMode(generator, targetRule);
    }

    static ConditioningMode conditioningMode(UNetPerturbation generator, TargetRule targetRule) {
        if (generator.conditioning().kind() == Conditioning.Kind.NONE) {
            return ConditioningMode.NONE;
        }
        return targetRule == TargetRule.SINGLA ? ConditioningMode.TWO : ConditioningMode.ONE;
    }

    /** True when the generator fuses its map with the input (x_cf = tanh(x + g)); false for x_cf = tanh(g). */
    public boolean perturbation() {
        return generator.fusion() != FusionKind.NONE;
    }

    /** The structured identity (checkpoints and provenance store it; resuming compares it). */
    public PipelineIdentity identity() {
        return identityOf(name, classifier, generator, discriminator, losses.terms(), targetRule, optimizer,
                generatorEvery, seed, tanhAlignment, realSamples);
    }

    private static PipelineIdentity identityOf(String name, Classifier classifier, UNetPerturbation generator,
            ResNetDiscriminator discriminator, List<LossTerm> losses, TargetRule targetRule, Adam optimizer,
            int generatorEvery, long seed, boolean tanhAlignment, RealSamples realSamples) {
        SpecIdentity clf = classifier == null ? new SpecIdentity("<not set>", java.util.Map.of())
                : SpecIdentity.of(classifier.spec() != null ? classifier.spec() : classifier.getClass());
        return new PipelineIdentity(name, clf, generator == null ? null : SpecIdentity.of(generator),
                discriminator == null ? null : SpecIdentity.of(discriminator),
                losses.stream().map(SpecIdentity::of).toList(), targetRule.name(), SpecIdentity.of(optimizer),
                generatorEvery, seed, tanhAlignment, realSamples.name());
    }

    /**
     * How this pipeline differs from the preset it started from (e.g. {@code generator.channels: [64, …] → [16, …]});
     * empty when it was not built from a preset or nothing but the classifier was changed.
     */
    public List<String> changesFromPreset() {
        if (preset == null) {
            return List.of();
        }
        com.fasterxml.jackson.databind.node.ObjectNode before = (com.fasterxml.jackson.databind.node.ObjectNode)
                preset.resumeKey();
        com.fasterxml.jackson.databind.node.ObjectNode now = (com.fasterxml.jackson.databind.node.ObjectNode)
                identity().resumeKey();
        before.remove("classifier");
        now.remove("classifier");
        return SpecIdentity.differences(before, now, 50);
    }

    /** The settings that define training (everything but the classifier's weights), one per line. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("name: ").append(name).append('\n');
        s.append("classifier: ").append(classifier == null ? "<not set>" : String.valueOf(classifier.spec())).append('\n');
        s.append("generator: ").append(generator).append('\n');
        s.append("perturbation: ").append(perturbation()).append('\n');
        s.append("discriminator: ").append(discriminator).append('\n');
        s.append("losses: ").append(losses).append('\n');
        s.append("target rule: ").append(targetRule).append('\n');
        // with classifier features the generator reads F features of x; the labels then only feed a projection D
        s.append("conditioning: ").append(generator != null && generator.conditioning().kind() == Conditioning.Kind.FEATURES
                ? generator.conditioning() + " (classifier features of x)" : conditioningMode()).append('\n');
        s.append("tanh alignment: ").append(tanhAlignment).append('\n');
        s.append("real samples: ").append(realSamples).append('\n');
        s.append("optimizer: ").append(optimizer).append('\n');
        s.append("generator every: ").append(generatorEvery).append('\n');
        s.append("seed: ").append(seed).append('\n');
        List<String> changes = changesFromPreset();
        if (!changes.isEmpty()) {
            s.append("changed from preset '").append(preset.name()).append("': ").append(String.join("; ", changes))
                    .append('\n');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "Pipeline[" + describe().strip().replace("\n", ", ") + "]";
    }

    /**
     * The width of a classifier's penultimate features (what classifier-feature CBN reads): from its
     * {@link ClassifierSpec}, else from one forward of a blank 1×1×32×32 batch.
     */
    static int featureWidth(Classifier classifier) {
        if (classifier.spec() instanceof ClassifierSpec spec) {
            return spec.featureWidth();
        }
        return Math.toIntExact(classifier.features(
                org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 32, 32)).size(1));
    }

    /** Options of a {@link Pipeline}; {@link #build()} checks that the required parts are there. */
    public static final class Builder {
        private String name = "custom";
        private Classifier classifier;
        private UNetPerturbation generator;
        /** The fusion perturbation(false) switched off, restored by perturbation(true); reset by generator(...). */
        private FusionKind fusionBeforeOff;
        private ResNetDiscriminator discriminator = ResNetDiscriminator.builder().build();   // its default, 5 blocks
        private List<LossTerm> losses = new ArrayList<>();
        private TargetRule targetRule = TargetRule.COIN_V1;
        private Adam optimizer = Adam.lr(2e-4).betas(0.0, 0.999);
        private int generatorEvery = 5;
        private long seed = 777;
        private boolean tanhAlignment;
        private RealSamples realSamples = RealSamples.INPUT;
        private PipelineIdentity preset;

        private Builder() {
        }

        /**
         * Marks the current settings as a preset's: {@link Pipeline#changesFromPreset()} and {@code toString()}
         * then list every later change. Presets call it last.
         */
        Builder asPreset() {
            this.preset = identityOf(name, null, generator, discriminator, losses, targetRule, optimizer,
                    generatorEvery, seed, tanhAlignment, realSamples);
            return this;
        }

        /** A label for logs and provenance (presets set it). */
        public Builder name(String n) {
            this.name = Objects.requireNonNull(n, "name");
            return this;
        }

        /** The frozen classifier to explain (required). */
        public Builder classifier(Classifier c) {
            this.classifier = Objects.requireNonNull(c, "classifier");
            return this;
        }

        /**
         * Replaces the generator spec as a whole (required unless a preset set one). To change only some settings of
         * a preset's generator, use {@link #editGenerator} or {@link #generatorWidths}, which keep the others.
         */
        public Builder generator(UNetPerturbation g) {
            this.generator = Objects.requireNonNull(g, "generator");
            this.fusionBeforeOff = null;
            return this;
        }

        /** The generator spec, built from its builder; replaces the whole spec (see {@link #generator(UNetPerturbation)}). */
        public Builder generator(UNetPerturbation.Builder g) {
            return generator(Objects.requireNonNull(g, "generator").build());
        }

        /**
         * Edits the current generator spec, keeping every setting the edit does not touch, e.g.
         * {@code .editGenerator(g -> g.channels(16, 32, 64, 128, 256).stemChannels(16))}.
         *
         * @throws IllegalStateException when no generator is set yet
         */
        public Builder editGenerator(UnaryOperator<UNetPerturbation.Builder> edit) {
            Objects.requireNonNull(edit, "edit");
            requireGenerator("editGenerator");
            generator = Objects.requireNonNull(edit.apply(generator.toBuilder()), "edit result").build();
            return this;
        }

        /** Encoder widths of the current generator (the decoder follows), keeping its other settings. */
        public Builder generatorWidths(int... encoder) {
            requireGenerator("generatorWidths");
            return editGenerator(g -> g.channels(encoder));
        }

        /**
         * Replaces the discriminator spec (default: {@code ResNetDiscriminator.builder()}, the reference's five-block
         * TUH discriminator; the synthetic configurations use {@code ResNetDiscriminator.sixBlocks()}).
         */
        public Builder discriminator(ResNetDiscriminator d) {
            this.discriminator = Objects.requireNonNull(d, "discriminator");
            return this;
        }

        /** The discriminator spec, built from its builder. */
        public Builder discriminator(ResNetDiscriminator.Builder d) {
            return discriminator(Objects.requireNonNull(d, "discriminator").build());
        }

        /** Edits the current discriminator spec, keeping the settings the edit does not touch. */
        public Builder editDiscriminator(UnaryOperator<ResNetDiscriminator.Builder> edit) {
            Objects.requireNonNull(edit, "edit");
            discriminator = Objects.requireNonNull(edit.apply(discriminator.toBuilder()), "edit result").build();
            return this;
        }

        /**
         * Adds a loss term.
         *
         * @throws IllegalArgumentException when a term with the same name is already there (use {@link #replaceLoss})
         */
        public Builder loss(LossTerm term) {
            Objects.requireNonNull(term, "term");
            for (LossTerm t : losses) {
                if (t.name().equals(term.name())) {
                    throw new IllegalArgumentException("loss term '" + term.name() + "' is already set (" + t
                            + "); use replaceLoss(" + term + ") to change it");
                }
            }
            losses.add(term);
            return this;
        }

        /**
         * Replaces the term with the same name (e.g. another reconstruction kind or weight).
         *
         * @throws IllegalArgumentException when there is no such term (use {@link #loss})
         */
        public Builder replaceLoss(LossTerm term) {
            Objects.requireNonNull(term, "term");
            for (int i = 0; i < losses.size(); i++) {
                if (losses.get(i).name().equals(term.name())) {
                    losses.set(i, term);
                    return this;
                }
            }
            throw new IllegalArgumentException("there is no loss term named '" + term.name() + "' to replace; add it"
                    + " with loss(" + term + ")");
        }

        /** Removes every loss term. */
        public Builder clearLosses() {
            losses.clear();
            return this;
        }

        /** How targets and conditions follow from p(x) (default COIN v1). */
        public Builder targetRule(TargetRule rule) {
            this.targetRule = Objects.requireNonNull(rule, "targetRule");
            return this;
        }

        public Builder optimizer(Adam adam) {
            this.optimizer = Objects.requireNonNull(adam, "optimizer");
            return this;
        }

        /** Generator update period k ≥ 1 (COIN: 5). */
        public Builder generatorEvery(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("generatorEvery must be >= 1, got " + k
                        + "; COIN updates the generator every 5th step (generatorEvery(5))");
            }
            this.generatorEvery = k;
            return this;
        }

        /** The initialisation seed of the generator and discriminator weights (default 777). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * COIN-Aligned's tanh alignment on or off (default off; see {@link Pipeline#tanhAlignment()}). It also
         * changes the evaluation: the difference map becomes |tanh(x) − x_cf| / 2.
         */
        public Builder tanhAlignment(boolean on) {
            this.tanhAlignment = on;
            return this;
        }

        /**
         * What the discriminator sees as real (default {@link RealSamples#INPUT}). {@link RealSamples#PAIRED_HEALTHY}
         * needs an unconditional discriminator and a loader whose batches carry paired healthy slices.
         */
        public Builder realSamples(RealSamples r) {
            this.realSamples = Objects.requireNonNull(r, "realSamples");
            return this;
        }

        // ---- Table 1 switches (they edit the generator spec) -------------------------------------------------

        /**
         * Perturbation on: x_cf = fusion(x, g); off: x_cf = tanh(g) (Singla's original, {@link FusionKind#NONE}).
         * Changes nothing else: on a generator that already perturbs, {@code perturbation(true)} keeps its fusion
         * (e.g. COIN-Aligned's {@link FusionKind#SHIFTED_TANH}); turning it back on after {@code perturbation(false)}
         * restores the fusion it had; on a generator that never perturbed it sets COIN's
         * {@link FusionKind#SKIP_ADD_TANH}, x_cf = tanh(x + g). Another fusion: {@code editGenerator(g ->
         * g.fusion(...))}. Needs the generator set.
         */
        public Builder perturbation(boolean on) {
            requireGenerator("perturbation");
            FusionKind now = generator.fusion();
            if (on && now == FusionKind.NONE) {
                FusionKind restored = fusionBeforeOff != null ? fusionBeforeOff : FusionKind.SKIP_ADD_TANH;
                generator = generator.toBuilder().fusion(restored).build();
            } else if (!on && now != FusionKind.NONE) {
                fusionBeforeOff = now;
                generator = generator.toBuilder().fusion(FusionKind.NONE).build();
            }
            return this;
        }

        /**
         * Skip connections at exactly these levels, each in 1..4 ({@code skipLevels(3)} is {3},
         * {@code skipLevels(1, 3)} is {1, 3}); no levels for no skips. Keeps the generator's other settings; needs
         * the generator set. For "levels 1..n", as {@code UNetPerturbation.withSkips(n)} and the paper's ablation rows
         * read, use {@link #skipsUpTo}.
         */
        public Builder skipLevels(int... levels) {
            requireGenerator("skipLevels");
            generator = generator.toBuilder().skipLevels(levels).build();
            return this;
        }

        /**
         * Skip connections at levels 1..n ({@code skipsUpTo(3)} is {1, 2, 3}; 0 for none), as
         * {@code UNetPerturbation.withSkips(n)}. Keeps the generator's other settings; needs the generator set.
         */
        public Builder skipsUpTo(int n) {
            requireGenerator("skipsUpTo");
            generator = generator.toBuilder().skipsUpTo(n).build();
            return this;
        }

        private void requireGenerator(String what) {
            if (generator == null) {
                throw new IllegalStateException(what + "(...) edits the generator spec, but no generator is set; call "
                        + "generator(UNetPerturbation.withSkips(4)) first or start from a preset");
            }
        }

        /**
         * Checks the parts and builds the pipeline.
         *
         * @throws IllegalStateException naming the missing part and how to set it
         */
        public Pipeline build() {
            if (classifier == null) {
                throw new IllegalStateException("Pipeline '" + name + "': no classifier set; call .classifier(c) with "
                        + "the frozen classifier to explain (presets: Presets.coin(classifier))");
            }
            if (generator == null) {
                throw new IllegalStateException("Pipeline '" + name + "': no generator set; call "
                        + ".generator(UNetPerturbation.withSkips(4))");
            }
            if (generator.conditioning().kind() == Conditioning.Kind.FEATURES) {
                checkFeatureWidth();
            }
            if (generator.conditioning().kind() == Conditioning.Kind.LABELS && generator.conditioning().size() < 2) {
                throw new IllegalStateException("Pipeline '" + name + "': generator conditioning "
                        + generator.conditioning() + " needs at least 2 classes (bins 0 and 1); use Conditioning.labels(2)");
            }
            if (realSamples == RealSamples.PAIRED_HEALTHY && discriminator.projection()) {
                throw new IllegalStateException("Pipeline '" + name + "': realSamples(PAIRED_HEALTHY) compares x_cf with"
                        + " healthy slices that have no class to project; the discriminator " + discriminator
                        + " is a projection one: use editDiscriminator(d -> d.projection(false))");
            }
            if (discriminator.projection() && discriminator.numClasses() < 2) {
                throw new IllegalStateException("Pipeline '" + name + "': a projection discriminator needs at least 2 "
                        + "classes, got " + discriminator.numClasses() + "; use numClasses(2)");
            }
            LossSet set;
            try {
                set = LossSet.of(losses);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Pipeline '" + name + "': " + e.getMessage(), e);
            }
            if (set.active(Player.GENERATOR).isEmpty() || set.active(Player.DISCRIMINATOR).isEmpty()) {
                throw new IllegalStateException("Pipeline '" + name + "': the losses " + set + " need an active "
                        + "generator term and an active discriminator term; add .loss(Adversarial.bce())");
            }
            TrainerInputs.check(name, set);
            if (generator.conditioning().kind() == Conditioning.Kind.FEATURES) {
                refuseSecondPassWithFeatures(set);
            }
            return new Pipeline(this);
        }

        /**
         * COIN-Aligned (§9.5): the bridge {@code Linear(F → 2C)} of every CBN reads the classifier's penultimate
         * features, so F must be the classifier's feature width. The reference hard-wires F = 1280 (EfficientNetV2-S;
         * {@code GeneratorResBlock} never passes {@code classifier_output_dim}), so a ResNet18 classifier (512) breaks
         * there; here F is checked against the classifier actually used.
         */
        private void checkFeatureWidth() {
            int f = generator.conditioning().size();
            int width;
            try {
                width = featureWidth(classifier);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Pipeline '" + name + "': generator conditioning "
                        + generator.conditioning() + " needs the classifier's feature width, but its spec "
                        + classifier.spec() + " does not say it and features(x) of a blank 32×32 batch failed ("
                        + e.getMessage() + "); use a GraphClassifier (ResNet18, EfficientNetV2S)", e);
            }
            if (width != f) {
                throw new IllegalStateException("Pipeline '" + name + "': the generator's classifier-feature conditioning "
                        + "has F = " + f + " but the classifier " + classifier.spec() + " has " + width
                        + " penultimate features; set .editGenerator(g -> g.conditioning(Conditioning.features(" + width
                        + ")))");
            }
        }

        /**
         * The cyclic and identity passes ({@code X_CYCLIC}, {@code X_REC}) run the generator a second time, on x_cf
         * or x; the reference passes no classifier features there and crashes (§9.5), so the combination is refused
         * rather than given a meaning the reference never had.
         */
        private void refuseSecondPassWithFeatures(LossSet set) {
            for (LossTerm t : set.active(Player.GENERATOR)) {
                for (LossInput in : t.requires()) {
                    LossInput second = secondPass(in);
                    if (second != null) {
                        throw new IllegalStateException("Pipeline '" + name + "': loss term '" + t.name() + "' (" + t
                                + ") needs " + second + ", a second generator pass, which has no classifier features "
                                + "with generator conditioning " + generator.conditioning() + " (the reference crashes "
                                + "there too); use a forward-only reconstruction (Reconstruction.l1() or "
                                + "Reconstruction.dilation(k)), set that term's weight to 0, or use "
                                + "Conditioning.labels(2)");
                    }
                }
            }
        }

        private static LossInput secondPass(LossInput in) {
            if (in.equals(LossInput.X_CYCLIC) || in.equals(LossInput.X_REC)) {
                return in;
            }
            for (LossInput from : in.from()) {
                LossInput s = secondPass(from);
                if (s != null) {
                    return s;
                }
            }
            return null;
        }
    }
}
