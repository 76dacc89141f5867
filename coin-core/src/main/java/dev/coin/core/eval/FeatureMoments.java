package dev.coin.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Streaming mean and covariance of feature vectors, in double precision. Sums are taken around the first sample
 * (a shift) so that large common offsets do not cancel catastrophically. Covariance uses the unbiased n − 1
 * denominator (numpy {@code cov}, torchmetrics).
 */
public final class FeatureMoments {
    private INDArray shift;   // [1, F]
    private INDArray sum;     // [1, F]   Σ (x − shift)
    private INDArray outer;   // [F, F]   Σ (x − shift)ᵀ (x − shift)
    private long n;

    /** Adds a batch [B, F]. */
    public void add(INDArray features) {
        if (features == null || features.rank() != 2 || features.size(0) < 1) {
            throw new IllegalArgumentException("features must be [B, F] with B >= 1, got "
                    + (features == null ? "null" : java.util.Arrays.toString(features.shape())));
        }
        INDArray x = features.castTo(DataType.DOUBLE);
        if (shift == null) {
            long f = x.size(1);
            shift = x.getRow(0).dup().reshape(1, f);
            sum = Nd4j.zeros(DataType.DOUBLE, 1, f);
            outer = Nd4j.zeros(DataType.DOUBLE, f, f);
        } else if (x.size(1) != shift.size(1)) {
            throw new IllegalArgumentException("features have " + x.size(1) + " columns, earlier batches had " + shift.size(1));
        }
        INDArray centred = x.subRowVector(shift);
        if (centred.isNaN().any() || centred.isInfinite().any()) {
            throw new IllegalArgumentException("features contain NaN or infinite values");
        }
        sum.addi(centred.sum(true, 0));
        outer.addi(centred.transpose().mmul(centred));
        n += x.size(0);
    }

    public long count() {
        return n;
    }

    public long dimension() {
        return shift == null ? 0 : shift.size(1);
    }

    /** Mean [F] (double). */
    public INDArray mean() {
        requireSamples(1);
        return shift.add(sum.div(n)).reshape(shift.size(1));
    }

    /** Covariance [F, F] (double, n − 1 denominator). */
    public INDArray covariance() {
        requireSamples(2);
        INDArray m = sum.div(n);
        INDArray cov = outer.sub(m.transpose().mmul(m).muli(n)).divi(n - 1);
        return cov.add(cov.transpose()).muli(0.5);
    }

    private void requireSamples(long k) {
        if (n < k) {
            throw new IllegalStateException("need at least " + k + " feature vectors, have " + n);
        }
    }
}
