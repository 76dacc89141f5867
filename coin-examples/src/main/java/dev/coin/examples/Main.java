package dev.coin.examples;

import java.nio.file.Path;

/**
 * The README's main job: {@link CoinStory} on the embedded synthetic data (dataset → classifier → COIN →
 * evaluation against RISE, ScoreCAM and LayerCAM → report), or only the data path with {@code --data-only}.
 *
 * <pre>
 * --work DIR          working folder (default coin-work): data/, run/classifier, run/coin, run/report
 * --scans N           phantom scans (default 16)
 * --coin-epochs N     COIN training epochs (default 6)
 * --classifier-epochs N, --classifier-steps N
 * --rise-masks N      RISE masks (default 2000; the paper uses 6000)
 * --generator-every K generator update every K steps (default 1; reference and --paper 5)
 * --coin-batch N      COIN batch size
 * --stem N           generator stem width (default 16; reference and --paper 64)
 * --output-gain G     Xavier gain of the generator's output conv (default 0.01; reference and --paper 1)
 * --classifier DIR    reuse a classifier saved by an earlier run (run/classifier) instead of training one
 * --no-baselines      evaluate COIN only
 * --keep-best         evaluate (and save) the epoch whose generator edits healthy validation slices least
 * --validate-every N  log COIN's validation IoU (and write panels) every N epochs (default 1; paper 10)
 * --aligned           also train COIN-Aligned (thesis row 6: tanh alignment, paired healthy discriminator, RpGAN +
 *                     R1/R2, classifier features in the CBN, a tanh-augmented classifier of its own) with the same
 *                     widths and epochs; its row joins the report's table
 * --segmentor         also train a kidney segmentor and COIN with the segmentor-guided term (λ 1, per-pixel L1 of
 *                     the kidney map); its row joins the table, and a kidney-edit table compares the models
 * --paper             the paper configuration (512² phantoms, 256² inputs, default widths, 151 epochs)
 * --data-only         build and slice the dataset, write contact sheets, stop
 *
 * table mode (dev.coin.core.experiment.Experiments): one of the papers' tables, rows × seeds, resumable
 * --table NAME        coin-table1 (Singla A–H and COIN), coin-ablations (COIN, λ_kl / λ_rec / λ_tv 0),
 *                     aligned-table1 (COIN, then COIN-Aligned rows 0–8) or coin (COIN alone, for seeds); cells in
 *                     WORK/tables/BUDGET (shared by the tables run there), the table in
 *                     WORK/tables/BUDGET/NAME/comparison.md
 * --budget B          laptop (default: 128², narrow widths, 3 epochs) or paper (256², reference widths, 151 epochs)
 * --seeds N           seeds 777, 778, … (default 1); --seed-list 1,2,3 for chosen ones
 * --parallel K        cells at once, each with cores / K threads (default 1)
 * --report-only       fold the cells finished so far into the table (nothing runs; the header names what is missing)
 * --rows A,B          only these rows (folder names, e.g. singla-h,coin), in this order
 * --coin-epochs, --coin-batch, --classifier-epochs, --classifier-steps, --rise-masks, --generator-every, --stem,
 * --output-gain and --scans override the budget's values (the table's header records the result)
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] rawArgs) {
        // The library does this in every entry class; here first, so ND4J's gradient-graph lines never reach stdout.
        dev.coin.data.runtime.NativeBackend.configure();
        // Maven passes -Dcoin.args="..." as one argument: split it; blank arguments are ignored.
        String[] args = java.util.Arrays.stream(rawArgs).flatMap(a -> java.util.Arrays.stream(a.trim().split("\\s+")))
                .filter(a -> !a.isEmpty()).toArray(String[]::new);
        Path work = Path.of("coin-work");
        boolean paper = false;
        boolean dataOnly = false;
        Integer scans = null;
        Integer coinEpochs = null;
        Integer clfEpochs = null;
        Integer clfSteps = null;
        Integer riseMasks = null;
        Integer generatorEvery = null;
        Integer coinBatch = null;
        Integer stem = null;
        Double outputGain = null;
        Path classifier = null;
        boolean baselines = true;
        boolean keepBest = false;
        boolean aligned = false;
        boolean segmentor = false;
        Integer validateEvery = null;
        String table = null;
        String budget = "laptop";
        long[] seedList = null;
        int parallel = 1;
        boolean reportOnly = false;
        java.util.List<String> rows = java.util.List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(value(args, ++i, "--work"));
                case "--scans" -> scans = number(args, ++i, "--scans");
                case "--coin-epochs" -> coinEpochs = number(args, ++i, "--coin-epochs");
                case "--classifier-epochs" -> clfEpochs = number(args, ++i, "--classifier-epochs");
                case "--classifier-steps" -> clfSteps = number(args, ++i, "--classifier-steps");
                case "--rise-masks" -> riseMasks = number(args, ++i, "--rise-masks");
                case "--generator-every" -> generatorEvery = number(args, ++i, "--generator-every");
                case "--coin-batch" -> coinBatch = number(args, ++i, "--coin-batch");
                case "--stem" -> stem = number(args, ++i, "--stem");
                case "--output-gain" -> outputGain = positive(args, ++i, "--output-gain");
                case "--classifier" -> classifier = Path.of(value(args, ++i, "--classifier"));
                case "--no-baselines" -> baselines = false;
                case "--keep-best" -> keepBest = true;
                case "--aligned" -> aligned = true;
                case "--segmentor" -> segmentor = true;
                case "--validate-every" -> validateEvery = number(args, ++i, "--validate-every");
                case "--paper" -> paper = true;
                case "--data-only" -> dataOnly = true;
                case "--table" -> table = value(args, ++i, "--table");
                case "--budget" -> budget = value(args, ++i, "--budget");
                case "--seeds" -> {
                    int n = number(args, ++i, "--seeds");
                    seedList = java.util.stream.LongStream.range(777, 777 + n).toArray();
                }
                case "--seed-list" -> seedList = seeds(value(args, ++i, "--seed-list"));
                case "--parallel" -> parallel = number(args, ++i, "--parallel");
                case "--report-only" -> reportOnly = true;
                case "--rows" -> rows = java.util.List.of(value(args, ++i, "--rows").split(","));
                case "--help", "-h" -> {
                    System.out.println("usage: Main [--work DIR] [--scans N] [--coin-epochs N] [--classifier-epochs N]"
                            + " [--classifier-steps N] [--rise-masks N] [--generator-every K] [--coin-batch N] [--stem N]"
                            + " [--output-gain G] [--classifier DIR] [--no-baselines] [--keep-best] [--validate-every N] [--aligned] [--segmentor] [--paper] [--data-only]"
                            + "\n       Main --table coin-table1|coin-ablations|aligned-table1|coin [--budget laptop|paper] [--seeds N | --seed-list A,B] [--parallel K] [--report-only] [--rows A,B] [--coin-epochs N] [--scans N] [--work DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; run with --help");
            }
        }
        if (table != null) {
            dev.coin.core.experiment.Budget b = dev.coin.core.experiment.Budget.named(budget);
            b = new dev.coin.core.experiment.Budget(b.name(), b.size(), stem != null ? stem : b.stemChannels(),
                    b.generatorWidths(), outputGain != null ? outputGain : b.outputGain(), b.discriminatorWidths(),
                    generatorEvery != null ? generatorEvery : b.generatorEvery(),
                    coinEpochs != null ? coinEpochs : b.epochs(), coinBatch != null ? coinBatch : b.batchSize(),
                    b.classifierWidth(), clfEpochs != null ? clfEpochs : b.classifierEpochs(),
                    clfSteps != null ? clfSteps : b.classifierSteps(), riseMasks != null ? riseMasks : b.riseMasks());
            int tableScans = scans != null ? scans : b.name().equals("paper") ? 40 : 16;
            TableRun.run(new TableRun.Options(work, table, b, seedList != null ? seedList : new long[] {777},
                    parallel, tableScans, reportOnly, rows));
            return;
        }
        CoinStory.Options o = paper ? CoinStory.Options.paper(work) : CoinStory.Options.laptop(work);
        o = new CoinStory.Options(o.work(), scans != null ? scans : o.scans(), o.matrix(), o.size(), o.template(),
                o.classifierWidth(), clfEpochs != null ? clfEpochs : o.classifierEpochs(),
                clfSteps != null ? clfSteps : o.classifierSteps(), o.generatorWidths(), o.discriminatorWidths(),
                coinEpochs != null ? coinEpochs : o.coinEpochs(), coinBatch != null ? coinBatch : o.coinBatch(),
                generatorEvery != null ? generatorEvery : o.generatorEvery(),
                riseMasks != null ? riseMasks : o.riseMasks(), o.seed(), stem != null ? stem : o.stemChannels(),
                outputGain != null ? outputGain : o.outputGain(), classifier, baselines,
                validateEvery != null ? validateEvery : o.validateEvery(), keepBest || o.keepBest(),
                aligned || o.aligned(), segmentor || o.segmentor());
        if (dataOnly) {
            DataTour.run(work, o.scans(), o.matrix());
        } else {
            CoinStory.run(o);
        }
    }

    private static long[] seeds(String list) {
        try {
            return java.util.Arrays.stream(list.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed-list needs whole numbers separated by commas, e.g. 777,778,779; "
                    + "got '" + list + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static double positive(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive number, got '" + v + "'");
        }
    }

    private static int number(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive whole number, got '" + v + "'");
        }
    }
}
