package dev.coin.core.train;

import dev.coin.core.model.classifier.BinaryCrossEntropy;


import java.util.Locale;

/**
 * Binary classification metrics as torchmetrics computes them from logits: p = sigmoid(logit), predicted positive
 * when p > 0.5 (i.e. logit > 0); precision/recall/F1 of each class (0 = normal, 1 = abnormal), their macro average,
 * and the mean BCE-with-logits loss. An undefined ratio (no predicted or no actual members) counts as 0, as in
 * torchmetrics.
 *
 * @param loss          mean binary cross-entropy with logits
 * @param count         number of images
 * @param truePositives abnormal predicted abnormal
 * @param falsePositives normal predicted abnormal
 * @param trueNegatives normal predicted normal
 * @param falseNegatives abnormal predicted normal
 */
public record ClassificationReport(double loss, int count, int truePositives, int falsePositives, int trueNegatives,
                                   int falseNegatives) {

    /** Metrics from logits and 0/1 labels (same length). */
    public static ClassificationReport of(float[] logits, float[] labels) {
        if (logits.length != labels.length || logits.length == 0) {
            throw new IllegalArgumentException("logits and labels must be non-empty and of equal length, got "
                    + logits.length + " and " + labels.length);
        }
        double loss = 0;
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < logits.length; i++) {
            float y = labels[i];
            if (y != 0f && y != 1f) {
                throw new IllegalArgumentException("labels[" + i + "] = " + y + "; labels must be 0 or 1");
            }
            loss += BinaryCrossEntropy.withLogits(logits[i], y);
            boolean predicted = logits[i] > 0f;
            if (y == 1f) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ClassificationReport(loss / logits.length, logits.length, tp, fp, tn, fn);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0.0 : (double) a / b;
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** Precision of class {@code c} (0 or 1). */
    public double precision(int c) {
        return c == 1 ? ratio(truePositives, truePositives + falsePositives) : ratio(trueNegatives, trueNegatives + falseNegatives);
    }

    /** Recall of class {@code c} (0 or 1). */
    public double recall(int c) {
        return c == 1 ? ratio(truePositives, truePositives + falseNegatives) : ratio(trueNegatives, trueNegatives + falsePositives);
    }

    /** F1 of class {@code c} (0 or 1). */
    public double f1(int c) {
        checkClass(c);
        return f1(precision(c), recall(c));
    }

    private static void checkClass(int c) {
        if (c != 0 && c != 1) {
            throw new IllegalArgumentException("class must be 0 (normal) or 1 (abnormal), got " + c);
        }
    }

    /** Mean of the two per-class precisions. */
    public double macroPrecision() {
        return (precision(0) + precision(1)) / 2;
    }

    /** Mean of the two per-class recalls. */
    public double macroRecall() {
        return (recall(0) + recall(1)) / 2;
    }

    /** Mean of the two per-class F1 scores. */
    public double macroF1() {
        return (f1(0) + f1(1)) / 2;
    }

    /** Fraction of correct predictions. */
    public double accuracy() {
        return (double) (truePositives + trueNegatives) / count;
    }

    /** The per-class part of {@link #toString()}: abnormal and normal P/R/F1 and the confusion counts. */
    public String perClass() {
        return String.format(Locale.ROOT, "abnormal P/R/F1 %.3f/%.3f/%.3f, normal P/R/F1 %.3f/%.3f/%.3f (TP %d FP %d TN %d"
                + " FN %d)", precision(1), recall(1), f1(1), precision(0), recall(0), f1(0), truePositives,
                falsePositives, trueNegatives, falseNegatives);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "loss %.4f, acc %.3f, macro P/R/F1 %.3f/%.3f/%.3f, abnormal P/R/F1 %.3f/%.3f/%.3f, normal P/R/F1 %.3f/%.3f/%.3f"
                        + " (TP %d FP %d TN %d FN %d)",
                loss, accuracy(), macroPrecision(), macroRecall(), macroF1(), precision(1), recall(1), f1(1),
                precision(0), recall(0), f1(0), truePositives, falsePositives, trueNegatives, falseNegatives);
    }
}
