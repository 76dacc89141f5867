package dev.coin.examples;

import dev.coin.core.RealSamples;
import dev.coin.core.experiment.ExperimentData;
import dev.coin.core.train.ClassifierLoader;
import dev.coin.data.augment.Transform;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.dataset.CtDataset;
import dev.coin.data.dataset.PairedHealthySampler;
import dev.coin.data.dataset.ShuffledSampler;
import dev.coin.data.dataset.SliceSource;
import dev.coin.data.dataset.SliceTransform;
import dev.coin.data.runtime.NativeBackend;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceOrientation;
import dev.coin.data.synth.AnomalyInsertion;
import dev.coin.data.synth.GaussianBlobAnomaly;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.SyntheticDataset;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.IntConsumer;

/**
 * The main job's data, built in one place so that {@link CoinStory} and the JShell script see the same slices: the
 * embedded synthetic phantom dataset under {@code <work>/data}, Gaussian-blob anomalies inserted in the kidneys
 * (a fresh draw per training access, a fixed seeded set for validation, reference §6.6), everything resized to
 * the training size.
 *
 * <p>{@link #prepare} records its settings in {@code <work>/data/}{@value #RECIPE_FILE}, so {@link #open} and
 * {@link #validationSlices(Path)} can later rebuild exactly the validation set of the last main job run in that
 * work folder, whatever flags it had.
 *
 * <pre>{@code
 * List<Slice> val = StoryData.validationSlices(Path.of("coin-work"));   // the fixed synthetic-anomaly set
 * Slice first = StoryData.abnormalValidationSlice(Path.of("coin-work"), 0);
 * }</pre>
 */
public final class StoryData implements ExperimentData {
    /** Seed of the fixed validation anomalies. */
    public static final long VALIDATION_SEED = 1234;
    /** The settings file written next to the datasets. */
    public static final String RECIPE_FILE = "story-data.properties";

    private final Recipe recipe;
    private final CtDataset dataset;
    private final GaussianBlobAnomaly anomalies;
    private final SliceTransform trainTransform;
    private final SliceSource validation;
    private final SliceSource validationClean;

    /**
     * What defines the data: the work folder, phantom scan count and matrix, training size, anomaly template size,
     * split seed.
     */
    public record Recipe(Path work, int scans, int matrix, int size, int template, long seed) {
        public Recipe {
            Objects.requireNonNull(work, "work");
            if (scans < 2) {
                throw new IllegalArgumentException("scans must be >= 2 (a train/validation split needs two), got "
                        + scans);
            }
            if (size < 1 || size > matrix) {
                throw new IllegalArgumentException("size must be in 1.." + matrix + " (the phantom matrix), got "
                        + size);
            }
            if (template < 1) {
                throw new IllegalArgumentException("template must be >= 1 pixel, got " + template);
            }
        }

        /** The recipe of a main job run. */
        public static Recipe of(CoinStory.Options o) {
            return new Recipe(o.work(), o.scans(), o.matrix(), o.size(), o.template(), o.seed());
        }

        /** Where the phantom dataset of this recipe lives. */
        public Path datasetRoot() {
            return work.resolve("data").resolve("synthetic-anomaly-" + matrix + "-" + scans);
        }
    }

    private StoryData(Recipe recipe, CtDataset dataset, GaussianBlobAnomaly anomalies) {
        this.recipe = recipe;
        this.dataset = dataset;
        this.anomalies = anomalies;
        int size = recipe.size();
        this.trainTransform = AnomalyInsertion.training(anomalies).andThen((s, seed) -> s.resized(size, size));
        this.validation = resized(AnomalyInsertion.fixedSet(dataset.validation(), anomalies, VALIDATION_SEED), size);
        this.validationClean = resized(dataset.validation(), size);
    }

    /** {@link #prepare(Recipe, IntConsumer)} for a main job run. */
    public static StoryData prepare(CoinStory.Options o, IntConsumer scanWritten) {
        return prepare(Recipe.of(o), scanWritten);
    }

    /**
     * Builds the phantom dataset if it is absent (calling {@code scanWritten} with each scan index written), opens it
     * and records the recipe in {@code <work>/data/}{@value #RECIPE_FILE}.
     */
    public static StoryData prepare(Recipe r, IntConsumer scanWritten) {
        NativeBackend.configure();
        PhantomConfig phantom = SyntheticDataset.defaultConfig().toBuilder().matrixSize(r.matrix()).tumourFraction(0)
                .build();
        SyntheticDataset.ensure(r.datasetRoot(), phantom, r.scans(), scanWritten);
        writeRecipe(r);
        CtDataset ds = CtDataset.builder(r.datasetRoot()).seed(r.seed())
                .sliceConfig(w -> SliceConfig.synthetic(w).toBuilder().outputSize(r.matrix(), r.matrix())
                        .labelMap(SyntheticDataset.KIDNEY_ONLY_LABELS)   // the phantom's cysts: known, no warning
                        .orientation(SliceOrientation.TRANSPOSED).build())
                .build();
        return new StoryData(r, ds, GaussianBlobAnomaly.builder().templateSize(r.template()).build());
    }

    /**
     * The data of the last main job run in {@code work} (from its recipe file).
     *
     * @throws IllegalArgumentException when {@code work} holds no recipe (the main job has not run there)
     */
    public static StoryData open(Path work) {
        return prepare(readRecipe(work), i -> { });
    }

    /** The fixed synthetic-anomaly validation set of the last main job run in {@code work}, as a list. */
    public static List<Slice> validationSlices(Path work) {
        return open(work).validationSlices();
    }

    /**
     * The {@code i}-th validation slice that has an inserted anomaly (label 1), counting from 0.
     *
     * @throws IllegalArgumentException when there are not that many
     */
    public static Slice abnormalValidationSlice(Path work, int i) {
        List<Slice> abnormal = validationSlices(work).stream().filter(s -> s.label() == 1).toList();
        if (i < 0 || i >= abnormal.size()) {
            throw new IllegalArgumentException("abnormal slice index " + i + " is out of range: the validation set in "
                    + work + " has " + abnormal.size() + " slices with an anomaly; use 0.." + (abnormal.size() - 1));
        }
        return abnormal.get(i);
    }

    public Recipe recipe() {
        return recipe;
    }

    /** The phantom dataset at native matrix size (train / validation split by scan). */
    public CtDataset dataset() {
        return dataset;
    }

    public GaussianBlobAnomaly anomalies() {
        return anomalies;
    }

    /** For training loaders: a fresh anomaly draw per access (seeded by the loader), then the resize. */
    public SliceTransform trainTransform() {
        return trainTransform;
    }

    /** The fixed validation set: anomalies drawn once with {@link #VALIDATION_SEED}, resized. */
    public SliceSource validation() {
        return validation;
    }

    /** The validation slices before the anomalies were inserted, same order (the perfect counterfactuals). */
    public SliceSource validationClean() {
        return validationClean;
    }

    /** {@link #validation()} as a list. */
    public List<Slice> validationSlices() {
        return all(validation);
    }

    private static List<Slice> all(SliceSource source) {
        List<Slice> out = new ArrayList<>(source.size());
        for (int i = 0; i < source.size(); i++) {
            out.add(source.get(i));
        }
        return List.copyOf(out);
    }

    // ---- ExperimentData: what the main job's stages and the experiment tables train and evaluate on ----------

    /**
     * {@link RealSamples#INPUT}: the training slices shuffled with {@code seed}, a fresh anomaly draw per access, resized
     * (the main job's COIN loader; the last batch is dropped only where it would hold one slice).
     * {@link RealSamples#PAIRED_HEALTHY}: tumour-only, as the thesis's paired dataset: the training slices with one
     * fixed anomaly each (drawn once with {@code seed + 1}, because the pairing needs the labels before a batch is
     * made), each paired with a clean training slice of the same relative-height bin; incomplete batches dropped.
     */
    @Override
    public BatchLoader counterfactualBatches(RealSamples realSamples, int batchSize, long seed) {
        if (realSamples == RealSamples.PAIRED_HEALTHY) {
            SliceSource paired = resized(AnomalyInsertion.fixedSet(dataset.train(), anomalies, seed + 1),
                    recipe.size());
            PairedHealthySampler sampler = PairedHealthySampler.builder(paired.infos()).seed(seed).skipUnpairable()
                    .build();
            return BatchLoader.builder(paired).batchSize(batchSize).sampler(sampler).dropLast(true).build();
        }
        BatchLoader.Builder b = BatchLoader.builder(dataset.train()).batchSize(batchSize).seed(seed)
                .sampler(ShuffledSampler.shuffled(dataset.train().size(), seed)).transform(trainTransform);
        BatchLoader loader = b.build();
        return loader.lastBatchSize(0) == 1 ? b.dropLast(true).build() : loader;
    }

    /** The reference augmentations then {@code extraAugmentations}, on fresh anomaly draws, resized. */
    @Override
    public BatchLoader classifierBatches(List<Transform> extraAugmentations, int batchSize, int steps, long seed) {
        List<Transform> augmentations = new ArrayList<>(ClassifierLoader.referenceAugmentations());
        augmentations.addAll(extraAugmentations);
        return ClassifierLoader.builder(dataset.train()).batchSize(batchSize).stepsPerEpoch(steps).seed(seed)
                .transform(trainTransform).augmentations(augmentations).build();
    }

    @Override
    public SliceSource classifierValidation() {
        return validation;
    }

    @Override
    public List<Slice> evaluationSlices() {
        return validationSlices();
    }

    @Override
    public List<Slice> cleanEvaluationSlices() {
        return all(validationClean);
    }

    @Override
    public String truthMask() {
        return AnomalyInsertion.MASK;
    }

    @Override
    public String splitHash() {
        return dataset.split().hash();
    }

    @Override
    public String describe() {
        long abnormal = validation.infos().stream().filter(i -> i.label() == 1).count();
        return String.format(java.util.Locale.ROOT, "synthetic phantom, %d scans (%d² matrix), slices resized to %d², "
                        + "Gaussian-blob anomalies (template %d px); evaluated on %d validation slices, %d with an "
                        + "anomaly (seed %d)", recipe.scans(), recipe.matrix(), recipe.size(), recipe.template(),
                validation.size(), abnormal, VALIDATION_SEED);
    }

    @Override
    public String toString() {
        return "StoryData[" + recipe + ", " + validation.size() + " validation slices]";
    }

    static SliceSource resized(SliceSource source, int size) {
        List<Slice> out = new ArrayList<>(source.size());
        for (int i = 0; i < source.size(); i++) {
            out.add(source.get(i).resized(size, size));
        }
        return SliceSource.of(out);
    }

    // ---- recipe file ---------------------------------------------------------------------------------------

    private static Path recipeFile(Path work) {
        return work.resolve("data").resolve(RECIPE_FILE);
    }

    private static void writeRecipe(Recipe r) {
        Properties p = new Properties();
        p.setProperty("scans", Integer.toString(r.scans()));
        p.setProperty("matrix", Integer.toString(r.matrix()));
        p.setProperty("size", Integer.toString(r.size()));
        p.setProperty("template", Integer.toString(r.template()));
        p.setProperty("seed", Long.toString(r.seed()));
        Path file = recipeFile(r.work());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), RECIPE_FILE, ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "data of the last main job run in this work folder (StoryData)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Recipe readRecipe(Path work) {
        Objects.requireNonNull(work, "work");
        Path file = recipeFile(work);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("work folder " + work.toAbsolutePath() + " has no " + file.getFileName()
                    + " (looked for " + file.toAbsolutePath() + "); run the main job there first, or pass the folder "
                    + "it used (--work), e.g. -Dcoin.work=/path/to/coin-work for the JShell script");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return new Recipe(work, Integer.parseInt(p.getProperty("scans")), Integer.parseInt(p.getProperty("matrix")),
                    Integer.parseInt(p.getProperty("size")), Integer.parseInt(p.getProperty("template")),
                    Long.parseLong(p.getProperty("seed")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(file + " is corrupt (" + e.getMessage() + "); rerun the main job to "
                    + "rewrite it", e);
        }
    }
}
