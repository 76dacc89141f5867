package dev.coin.losses;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the desired classifier probability (the {@link LossInput#TARGET_PROB} input of {@link ClassifierKlTerm}) and
 * the generator's condition are derived from the frozen classifier's probability p = p(x) on the real batch
 * ({@link LossInput#CLASSIFIER_PROB_X}; reference §3.3, §9.1). Host-side: computed in Java from the no-grad classifier output, then fed to the graph.
 *
 * <pre>{@code
 * INDArray p = ...;                                     // [B, 1] sigmoid outputs on x
 * INDArray target = TargetRule.COIN_V1.target(p);       // 1e-6 where p >= 0.5, else p
 * INDArray cond   = TargetRule.COIN_V1.condition(p);    // all 0 (v1's degenerate condition)
 * INDArray dReal  = TargetRule.bin(p);                  // D's real label
 * }</pre>
 */
public enum TargetRule {
    /** COIN v1: abnormal-predicted samples (bin 1) get 1e-6, normal ones keep p; the condition is always 0. */
    COIN_V1 {
        @Override
        public double target(double p) {
            return bin(check(p)) == 1 ? ABNORMAL_TARGET : p;
        }

        @Override
        public int condition(double p) {
            check(p);
            return 0;
        }
    },
    /** Singla et al. (re-implemented): target 1 − p, condition bin(1 − p). */
    SINGLA {
        @Override
        public double target(double p) {
            return 1.0 - check(p);
        }

        @Override
        public int condition(double p) {
            return bin(1.0 - check(p));
        }
    },
    /** COIN-Aligned's {@code always_generate_healthy}: every sample gets 1e-6 and condition 0. */
    ALWAYS_HEALTHY {
        @Override
        public double target(double p) {
            check(p);
            return ABNORMAL_TARGET;
        }

        @Override
        public int condition(double p) {
            check(p);
            return 0;
        }
    };

    /** The reference's desired probability for samples that must become normal. */
    public static final double ABNORMAL_TARGET = 1e-6;

    /** Desired probability for one sample with classifier probability {@code p} in [0, 1]. */
    public abstract double target(double p);

    /** Generator condition (class index) for one sample. */
    public abstract int condition(double p);

    /** The reference's binning: 1 if p ≥ 0.5 (inclusive) else 0. */
    public static int bin(double p) {
        return check(p) >= 0.5 ? 1 : 0;
    }

    /** Elementwise {@link #target(double)}; same shape and data type as {@code p}. */
    public INDArray target(INDArray p) {
        double[] v = values(p);
        for (int i = 0; i < v.length; i++) {
            v[i] = target(checkAt(v[i], i));
        }
        return Nd4j.create(v, p.shape(), 'c').castTo(p.dataType());
    }

    /** Elementwise {@link #condition(double)}; same shape as {@code p}, INT32. */
    public INDArray condition(INDArray p) {
        double[] v = values(p);
        int[] c = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = condition(checkAt(v[i], i));
        }
        return Nd4j.createFromArray(c).reshape('c', p.shape());
    }

    /** Elementwise {@link #bin(double)}; same shape as {@code p}, INT32. */
    public static INDArray bin(INDArray p) {
        double[] v = values(p);
        int[] c = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = bin(checkAt(v[i], i));
        }
        return Nd4j.createFromArray(c).reshape('c', p.shape());
    }

    private static double[] values(INDArray p) {
        Objects.requireNonNull(p, "p");
        if (!p.dataType().isFPType()) {
            throw new IllegalArgumentException("Classifier probabilities p must be a floating-point array, got "
                    + p.dataType() + "; pass sigmoid outputs");
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("Classifier probabilities p are empty; pass one value per sample");
        }
        return Nd4j.toFlattened('c', p).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double checkAt(double p, int index) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Classifier probability p[" + index + "] (flat index) must be in [0, 1],"
                    + " got " + p + "; pass sigmoid outputs, not logits");
        }
        return p;
    }

    private static double check(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Classifier probability p must be in [0, 1], got " + p
                    + "; pass sigmoid outputs, not logits");
        }
        return p;
    }
}
