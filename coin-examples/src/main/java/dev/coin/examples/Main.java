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
 * --paper             the paper configuration (512² phantoms, 256² inputs, default widths, 151 epochs)
 * --data-only         build and slice the dataset, write contact sheets, stop
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] rawArgs) {
        QuietStdout.install();
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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(value(args, ++i, "--work"));
                case "--scans" -> scans = number(args, ++i, "--scans");
                case "--coin-epochs" -> coinEpochs = number(args, ++i, "--coin-epochs");
                case "--classifier-epochs" -> clfEpochs = number(args, ++i, "--classifier-epochs");
                case "--classifier-steps" -> clfSteps = number(args, ++i, "--classifier-steps");
                case "--rise-masks" -> riseMasks = number(args, ++i, "--rise-masks");
                case "--paper" -> paper = true;
                case "--data-only" -> dataOnly = true;
                case "--help", "-h" -> {
                    System.out.println("usage: Main [--work DIR] [--scans N] [--coin-epochs N] [--classifier-epochs N]"
                            + " [--classifier-steps N] [--rise-masks N] [--paper] [--data-only]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; run with --help");
            }
        }
        CoinStory.Options o = paper ? CoinStory.Options.paper(work) : CoinStory.Options.laptop(work);
        o = new CoinStory.Options(o.work(), scans != null ? scans : o.scans(), o.matrix(), o.size(), o.template(),
                o.classifierWidth(), clfEpochs != null ? clfEpochs : o.classifierEpochs(),
                clfSteps != null ? clfSteps : o.classifierSteps(), o.generatorWidths(), o.discriminatorWidths(),
                coinEpochs != null ? coinEpochs : o.coinEpochs(), o.coinBatch(), o.generatorEvery(),
                riseMasks != null ? riseMasks : o.riseMasks(), o.seed());
        if (dataOnly) {
            DataTour.run(work, o.scans(), o.matrix());
        } else {
            CoinStory.run(o);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
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
