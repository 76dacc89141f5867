package dev.coin.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.Adam;
import dev.coin.core.Pipeline;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.eval.Evaluation;
import dev.coin.core.eval.EvaluationReport;
import dev.coin.core.explain.LayerCam;
import dev.coin.core.explain.Rise;
import dev.coin.core.explain.SaliencyMethod;
import dev.coin.core.explain.ScoreCam;
import dev.coin.core.model.classifier.Classifiers;
import dev.coin.core.model.classifier.GraphClassifier;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.train.CheckpointListener;
import dev.coin.core.train.ClassifierTrainer;
import dev.coin.core.train.MetricsWriter;
import dev.coin.core.train.PipelineTrainer;
import dev.coin.core.train.TrainingListener;
import dev.coin.data.dataset.BatchLoader;
import dev.coin.data.runtime.NativeBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link ExperimentTable} × seeds at one {@link Budget} and collects one {@link CellResult} per cell: the
 * papers' tables as one call, resumable, with the attribution baselines evaluated once per classifier.
 *
 * <p>Per seed, in order: each row's cell (train the row's pipeline on the data's training batches, evaluate it on
 * the evaluation slices with every threshold policy of {@link Evaluation}), then the baselines' cell (RISE, ScoreCAM
 * and LayerCAM explaining the seed's plain classifier, and the perfect-counterfactual ceiling where the data has
 * one). A row's classifier (a ResNet18 at the budget's width, trained with the seed) is trained when a cell first
 * needs it and shared by every row that names it.
 *
 * <p>Folders: one output folder holds one budget on one data set ({@code <output>/plan.json}, checked on every run),
 * and any tables and seeds run there share it: {@code <output>/seed-<s>/<row>/} with {@code identity.json} (the
 * pipeline's identity: a row of the same name must be the same pipeline), {@code train/} (the trainer's run folder:
 * provenance, metrics, the latest checkpoint, the model) and {@code result.json} once the cell is complete;
 * {@code <output>/seed-<s>/<classifier>/} for the classifiers; {@code <output>/<table>/comparison.md} (and .csv,
 * box plot) per table. Started again on the same folder, a run reads finished cells back (their files are not
 * touched), continues an interrupted cell from its latest checkpoint (bit-identical on CPU), and runs the rest; a
 * second table reuses the cells (and classifiers) it has in common with the first, e.g. COIN and the baselines.
 *
 * <p>Cells run one after another by default, each with all of ND4J's threads. {@link Builder#parallelCells(int)}
 * runs k cells at once, each with {@code cores / k} threads, so that the cores are never oversubscribed (and memory
 * grows about k-fold); the classifiers are trained first, one at a time.
 *
 * <pre>{@code
 * ExperimentResults r = Experiments.builder().table(ExperimentTable.named("coin-table1")).seeds(777, 778, 779)
 *         .budget(Budget.laptop()).data(myData).output(Path.of("coin-work/tables/coin-table1")).build().run();
 * }</pre>
 */
public final class Experiments {
    private static final Logger LOG = LoggerFactory.getLogger(Experiments.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The name of each seed's baseline cell. */
    public static final String BASELINES = "Baselines";
    /** The file describing a table run, compared on resume. */
    public static final String PLAN_FILE = "plan.json";
    private static final String CLASSIFIER_DONE = "complete";
    /** The pipeline identity a cell folder belongs to. */
    public static final String IDENTITY_FILE = "identity.json";

    private final ExperimentTable table;
    private final long[] seeds;
    private final Budget budget;
    private final ExperimentData data;
    private final Path output;
    private final boolean baselines;
    private final int parallelCells;
    private final Consumer<String> progress;
    private final ExperimentListener listener;
    private final Map<String, GraphClassifier> classifiers = new LinkedHashMap<>();

    private Experiments(Builder b) {
        this.table = b.table;
        this.seeds = b.seeds.clone();
        this.budget = b.budget;
        this.data = b.data;
        this.output = b.output;
        this.baselines = b.baselines;
        this.parallelCells = b.parallelCells;
        this.progress = b.progress;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One cell of the run.
     *
     * @param index  0-based position in the run order
     * @param count  cells in the run
     * @param name   the row's name, or {@link #BASELINES}
     * @param row    the row, or {@code null} for the baselines' cell
     * @param seed   the cell's seed
     * @param folder the cell's folder
     */
    public record Cell(int index, int count, String name, ExperimentRow row, long seed, Path folder) {
        /** Whether this is a seed's baselines cell. */
        public boolean isBaselines() {
            return row == null;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "cell %d/%d (%s, seed %d)", index + 1, count, name, seed);
        }
    }

    /** The cells in run order. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        int count = seeds.length * (table.rows().size() + (baselines ? 1 : 0));
        for (long seed : seeds) {
            Path s = seedFolder(seed);
            for (ExperimentRow r : table.rows()) {
                out.add(new Cell(out.size(), count, r.name(), r, seed, s.resolve(r.slug())));
            }
            if (baselines) {
                out.add(new Cell(out.size(), count, BASELINES, null, seed, s.resolve("baselines")));
            }
        }
        return out;
    }

    /**
     * Runs (or resumes) every cell and returns their results in run order.
     *
     * @throws IllegalStateException when {@code output} holds cells of another budget or data, or a cell folder of a
     *                               row with the same name but another pipeline
     */
    public ExperimentResults run() {
        NativeBackend.configure();
        long t0 = System.nanoTime();
        checkPlan();
        List<Cell> cells = cells();
        progress.accept(String.format(Locale.ROOT, "%s: %d rows × %d seeds%s = %d cells, %s; output %s",
                table.name(), table.rows().size(), seeds.length, baselines ? " (+ baselines)" : "", cells.size(),
                budget, output));
        CellResult[] results = new CellResult[cells.size()];
        if (parallelCells == 1) {
            for (Cell c : cells) {
                results[c.index()] = runOrRead(c);
            }
        } else {
            runParallel(cells, results);
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        progress.accept(String.format(Locale.ROOT, "%s: %d cells done in %.1f min", table.name(), cells.size(),
                minutes));
        ExperimentResults done = new ExperimentResults(table, budget, seeds, data.describe(),
                output.resolve(table.name()), Arrays.asList(results), minutes, List.of());
        progress.accept("comparison table: " + done.write());
        return done;
    }

    /**
     * The cells of this table finished so far, folded into its comparison and written, without training or
     * evaluating anything: a look at a table that is still running in another process, or was interrupted. The
     * header names the missing cells.
     *
     * @throws IllegalStateException when the output folder holds no run of this budget and data, or no finished cell
     *                               of this table
     */
    public ExperimentResults collect() {
        Path file = output.resolve(PLAN_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("output folder " + output + " holds no table run (no " + PLAN_FILE
                    + "); run() the table first");
        }
        checkPlan();
        List<CellResult> done = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Cell c : cells()) {
            if (Files.isRegularFile(c.folder().resolve(CellResult.FILE))) {
                done.add(CellResult.read(c.folder()));
            } else {
                missing.add(c.name() + " (seed " + c.seed() + ")");
            }
        }
        if (done.isEmpty()) {
            throw new IllegalStateException("no cell of table '" + table.name() + "' is finished in " + output
                    + "; run() it first");
        }
        ExperimentResults r = new ExperimentResults(table, budget, seeds, data.describe(), output.resolve(table.name()),
                done, Double.NaN, missing);
        progress.accept(String.format(Locale.ROOT, "%s: %d of %d cells finished; comparison table: %s", table.name(),
                done.size(), done.size() + missing.size(), r.write()));
        return r;
    }

    private void runParallel(List<Cell> cells, CellResult[] results) {
        // classifiers first, one at a time with every thread: the cells then only read them
        for (Cell c : cells) {
            classifier(c.seed(), classifierName(c), classifierAugmentations(c));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int threadsPerCell = Math.max(1, cores / parallelCells);
        int before = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(threadsPerCell);
        progress.accept(String.format(Locale.ROOT, "running %d cells at once, %d ND4J threads each (%d cores)",
                parallelCells, threadsPerCell, cores));
        ExecutorService pool = Executors.newFixedThreadPool(parallelCells);
        try {
            List<Future<CellResult>> futures = new ArrayList<>();
            for (Cell c : cells) {
                futures.add(pool.submit(() -> runOrRead(c)));
            }
            for (int i = 0; i < futures.size(); i++) {
                results[i] = futures.get(i).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cells were running; start the run again to resume", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("a cell failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
            Nd4j.getEnvironment().setMaxThreads(before);
        }
    }

    private CellResult runOrRead(Cell c) {
        Pipeline pipeline = c.isBaselines() ? null : pipeline(c);
        if (pipeline != null) {
            checkIdentity(c, pipeline);
        }
        if (Files.isRegularFile(c.folder().resolve(CellResult.FILE))) {
            CellResult r = CellResult.read(c.folder());
            progress.accept(c + ": finished in an earlier run, read back");
            listener.onCellDone(c, r, true);
            return r;
        }
        listener.onCellStart(c);
        long t0 = System.nanoTime();
        CellResult r = c.isBaselines() ? runBaselines(c) : runRow(c, pipeline);
        r.write(c.folder());
        progress.accept(String.format(Locale.ROOT, "%s: done in %.1f min", c, (System.nanoTime() - t0) / 60e9));
        listener.onCellDone(c, r, false);
        return r;
    }

    /** The cell's pipeline: the row's, with the seed's classifier, at the budget's sizes and the cell's seed. */
    private Pipeline pipeline(Cell c) {
        GraphClassifier clf = classifier(c.seed(), classifierName(c), classifierAugmentations(c));
        return budget.apply(c.row().pipeline().apply(clf), c.seed()).build();
    }

    /**
     * Cells are shared by every table run in the output folder (a COIN cell of one table is the COIN cell of another),
     * so a cell folder records its pipeline's identity and refuses a row of the same name that is another pipeline.
     */
    private void checkIdentity(Cell c, Pipeline pipeline) {
        Path file = c.folder().resolve(IDENTITY_FILE);
        JsonNode identity = pipeline.identity().toJson();
        if (Files.isRegularFile(file)) {
            JsonNode was = readJson(file);
            if (!was.equals(identity)) {
                throw new IllegalStateException(c + ": the folder " + c.folder() + " holds a row named '" + c.name()
                        + "' with another pipeline (" + pipeline.identity().resumeDifferences(was) + "); give the row "
                        + "another name, or run the table in another output folder");
            }
            return;
        }
        try {
            writeText(file, JSON.writeValueAsString(identity) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        writeText(c.folder().resolve("pipeline.txt"), pipeline.describe() + "\n");
    }

    private CellResult runRow(Cell c, Pipeline pipeline) {
        BatchLoader loader = data.counterfactualBatches(pipeline.realSamples(), budget.batchSize(), c.seed());
        progress.accept(String.format(Locale.ROOT, "%s: training %s for %d epochs (%d batches of %d per epoch)", c,
                pipeline.name(), budget.epochs(), loader.batchesIn(0), budget.batchSize()));
        List<TrainingListener<? super TrainedPipeline>> listeners = new ArrayList<>();
        listeners.add(new MetricsWriter());
        listeners.add(CheckpointListener.every(1).keepingOnlyLatest());
        listeners.add(new EpochLine(c, progress));
        listeners.addAll(listener.trainingListeners(c));
        TrainedPipeline trained = PipelineTrainer.builder(pipeline).runDirectory(c.folder().resolve("train"))
                .resumeLatest().datasetSplitHash(data.splitHash()).listeners(listeners).build()
                .fit(loader, budget.epochs());
        double seconds = trained.history().stream().mapToDouble(dev.coin.core.EpochMetrics::seconds).sum();
        List<dev.coin.data.slice.Slice> slices = data.evaluationSlices();
        progress.accept(c + ": evaluating on " + slices.size() + " slices");
        EvaluationReport report = Evaluation.builder().truthMask(data.truthMask()).gallery(false)
                .counterfactual(c.name(), trained).progress(line -> progress.accept(c + ": " + line))
                .build().on(slices);
        long parameters = pipeline.generator().encoderParameterCount() + pipeline.generator().decoderParameterCount();
        return CellResult.of(c.name(), c.seed(), report, seconds, trained.history().size(), parameters);
    }

    private CellResult runBaselines(Cell c) {
        GraphClassifier clf = classifier(c.seed(), classifierName(c), classifierAugmentations(c));
        List<SaliencyMethod> methods = List.of(
                Rise.builder().classifier(clf).masks(budget.riseMasks()).seed(c.seed()).build(),
                ScoreCam.builder().classifier(clf).layer("layer4").build(),
                new LayerCam(clf, "layer4"));
        Evaluation.Builder e = Evaluation.builder().truthMask(data.truthMask()).gallery(false).saliency(methods)
                .progress(line -> progress.accept(c + ": " + line));
        List<dev.coin.data.slice.Slice> clean = data.cleanEvaluationSlices();
        if (!clean.isEmpty()) {
            e.ceiling(clean);
        }
        EvaluationReport report = e.build().on(data.evaluationSlices());
        return CellResult.of(c.name(), c.seed(), report, 0, 0, 0);
    }

    /** The classifier a cell explains: its row's, or the plain one for the baselines. */
    private static String classifierName(Cell c) {
        return c.isBaselines() ? ExperimentRow.PLAIN_CLASSIFIER : c.row().classifierName();
    }

    private static List<dev.coin.data.augment.Transform> classifierAugmentations(Cell c) {
        return c.isBaselines() ? List.of() : c.row().classifierAugmentations();
    }

    /** The seed's classifier of that name: trained once (resumable), then read back by every cell that names it. */
    private synchronized GraphClassifier classifier(long seed, String name,
                                                    List<dev.coin.data.augment.Transform> augmentations) {
        String key = seed + "/" + name;
        GraphClassifier cached = classifiers.get(key);
        if (cached != null) {
            return cached;
        }
        Path dir = seedFolder(seed).resolve(name);
        GraphClassifier clf;
        if (Files.isRegularFile(dir.resolve(CLASSIFIER_DONE))) {
            try {
                clf = Classifiers.load(dir.resolve(TrainedPipeline.MODEL_FOLDER));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the classifier in " + dir + "; delete the folder to "
                        + "train it again", e);
            }
            progress.accept("seed " + seed + ": " + name + " read back from " + dir);
        } else {
            progress.accept(String.format(Locale.ROOT, "seed %d: training %s (ResNet18 width %d, %d × %d steps%s)",
                    seed, name, budget.classifierWidth(), budget.classifierEpochs(), budget.classifierSteps(),
                    augmentations.isEmpty() ? "" : ", extra augmentations " + augmentations));
            BatchLoader loader = data.classifierBatches(augmentations, 16, budget.classifierSteps(), seed);
            clf = ClassifierTrainer.builder(ResNet18.Spec.ofWidth(budget.classifierWidth())).seed(seed)
                    .optimizer(Adam.lr(2e-3)).validation(data.classifierValidation()).runDirectory(dir)
                    .resumeLatest().datasetSplitHash(data.splitHash())
                    .listeners(new MetricsWriter(), CheckpointListener.every(1).keepingOnlyLatest())
                    .build().fit(loader, budget.classifierEpochs()).classifier();
            writeText(dir.resolve(CLASSIFIER_DONE), "the classifier in model/ is complete\n");
        }
        classifiers.put(key, clf);
        return clf;
    }

    private Path seedFolder(long seed) {
        return output.resolve("seed-" + seed);
    }

    // ---- the plan: what the output folder holds ------------------------------------------------------------

    private JsonNode plan() {
        ObjectNode o = JSON.createObjectNode();
        o.put("budget", budget.toString());
        o.put("data", data.describe());
        return o;
    }

    private void checkPlan() {
        Path file = output.resolve(PLAN_FILE);
        JsonNode plan = plan();   // text fields only, so it compares equal to the same plan read back
        if (Files.isRegularFile(file)) {
            JsonNode was = readJson(file);
            if (!was.equals(plan)) {
                List<String> diff = new ArrayList<>();
                plan.fieldNames().forEachRemaining(f -> {
                    if (!plan.get(f).equals(was.get(f))) {
                        diff.add(f + " " + plan.get(f) + " (was " + was.get(f) + ")");
                    }
                });
                throw new IllegalStateException("output folder " + output + " holds cells of another budget or data: "
                        + String.join("; ", diff) + ". Use a new output folder, or delete " + file
                        + " and the cells to start over");
            }
            return;
        }
        try {
            writeText(file, JSON.writeValueAsString(plan) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (" + e.getMessage() + "); delete it to start that "
                    + "part of the run over", e);
        }
    }

    private static void writeText(Path file, String text) {
        dev.coin.data.runtime.AtomicFiles.writeString(file, text);
    }

    @Override
    public String toString() {
        return "Experiments[" + table + ", seeds " + Arrays.toString(seeds) + ", " + budget.name() + " budget, "
                + output + "]";
    }

    /** One line per epoch: the cell's progress in a long table run. */
    private record EpochLine(Cell cell, Consumer<String> progress) implements TrainingListener<Object> {
        @Override
        public void onEpochEnd(dev.coin.core.EpochMetrics m, dev.coin.core.train.TrainingContext<?> c) {
            progress.accept(String.format(Locale.ROOT, "%s: epoch %d/%d in %.0f s, flip rate %.3f", cell,
                    m.epoch() + 1, c.totalEpochs(), m.seconds(), m.flipRate()));
        }
    }

    /** Options of a run; table, data and output are required. */
    public static final class Builder {
        private ExperimentTable table;
        private long[] seeds = {777};
        private Budget budget = Budget.laptop();
        private ExperimentData data;
        private Path output;
        private boolean baselines = true;
        private int parallelCells = 1;
        private Consumer<String> progress = LOG::info;
        private ExperimentListener listener = new ExperimentListener() { };

        private Builder() {
        }

        public Builder table(ExperimentTable t) {
            this.table = Objects.requireNonNull(t, "table");
            return this;
        }

        /** The seeds (default 777); each seed is a full pass over the table with its own classifiers. */
        public Builder seeds(long... s) {
            if (s.length == 0) {
                throw new IllegalArgumentException("seeds: give at least one seed, e.g. seeds(777, 778, 779)");
            }
            if (Arrays.stream(s).distinct().count() != s.length) {
                throw new IllegalArgumentException("seeds " + Arrays.toString(s) + " repeat a seed; give each once");
            }
            this.seeds = s.clone();
            return this;
        }

        /** The sizes (default {@link Budget#laptop()}). */
        public Builder budget(Budget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        public Builder data(ExperimentData d) {
            this.data = Objects.requireNonNull(d, "data");
            return this;
        }

        /** The run's folder (cells, plan, table). */
        public Builder output(Path dir) {
            this.output = Objects.requireNonNull(dir, "output");
            return this;
        }

        /** Whether each seed gets a baselines cell (RISE, ScoreCAM, LayerCAM, ceiling); default on. */
        public Builder baselines(boolean on) {
            this.baselines = on;
            return this;
        }

        /** How many cells run at once (default 1); each gets cores / k ND4J threads. */
        public Builder parallelCells(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("parallelCells must be >= 1, got " + k);
            }
            this.parallelCells = k;
            return this;
        }

        /** Where progress lines go (default: the log at INFO). */
        public Builder progress(Consumer<String> sink) {
            this.progress = Objects.requireNonNull(sink, "progress");
            return this;
        }

        public Builder listener(ExperimentListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** @throws IllegalStateException when the table, the data or the output folder is missing */
        public Experiments build() {
            if (table == null || data == null || output == null) {
                throw new IllegalStateException("an experiment run needs table(...), data(...) and output(...); "
                        + "missing: " + (table == null ? "table " : "") + (data == null ? "data " : "")
                        + (output == null ? "output" : ""));
            }
            return new Experiments(this);
        }
    }
}
