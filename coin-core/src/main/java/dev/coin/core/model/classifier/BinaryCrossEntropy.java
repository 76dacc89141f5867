package dev.coin.core.model.classifier;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@code BCEWithLogitsLoss} (mean over the batch) from graph primitives, in the overflow-free form
 * {@code ℓ(z, y) = z/2 + |z|/2 + log1p(exp(−|z|)) − y·z} (= max(z,0) − y·z + log(1 + e^{−|z|})). SameDiff's
 * {@code sd.loss.*} ops ignore the upstream gradient on this ND4J version, hence the hand-written form.
 */
public final class BinaryCrossEntropy {
    private BinaryCrossEntropy() {
    }

    /** Mean loss over all elements; {@code logits} and {@code labels} have the same shape (labels in [0, 1]). */
    public static SDVariable withLogits(SameDiff sd, String name, SDVariable logits, SDVariable labels) {
        SDVariable abs = sd.math().abs(logits);
        SDVariable positivePart = logits.add(abs).mul(0.5);
        SDVariable softplusNegAbs = sd.math().log1p(sd.math().exp(abs.neg()));
        return positivePart.add(softplusNegAbs).sub(labels.mul(logits)).mean(name);
    }

    /** The same formula on the host (double precision), for validation losses. */
    public static double withLogits(double logit, double label) {
        double abs = Math.abs(logit);
        return 0.5 * (logit + abs) + Math.log1p(Math.exp(-abs)) - label * logit;
    }
}
