package dev.coin.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fréchet distance between Gaussian fits of two feature sets, on the <b>classifier's</b> penultimate features
 * ({@code Classifier.features}) of the inputs ("real") and the counterfactuals ("fake"):
 * ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^{1/2}).
 *
 * <p>This is <b>not</b> the Inception FID of the papers (InceptionV3 768-d Mixed_6e features at 299²; reference
 * §7.1): numbers are not comparable with published FIDs, only between methods evaluated with the same classifier.
 *
 * <p>Tr (Σ1Σ2)^{1/2} is computed robustly through symmetric eigen-decompositions: S = Σ1^{1/2} from eig(Σ1) with
 * negative round-off eigenvalues clipped to 0, then Tr (Σ1Σ2)^{1/2} = Σ √λ_i(S Σ2 S) (S Σ2 S is symmetric PSD and
 * similar to Σ1Σ2), again clipping tiny negative λ. Streaming: add batches of features as they come.
 *
 * <pre>{@code
 * ClassifierFeatureFid fid = new ClassifierFeatureFid();
 * fid.addReal(clf.features(x));
 * fid.addFake(clf.features(xCf));
 * double d = fid.value();
 * }</pre>
 */
public final class ClassifierFeatureFid {
    private final FeatureMoments real = new FeatureMoments();
    private final FeatureMoments fake = new FeatureMoments();

    public void addReal(INDArray features) {
        real.add(features);
    }

    public void addFake(INDArray features) {
        fake.add(features);
    }

    public FeatureMoments real() {
        return real;
    }

    public FeatureMoments fake() {
        return fake;
    }

    /**
     * The distance; needs ≥ 2 vectors per set and equal dimensions.
     *
     * @throws IllegalStateException with fewer than 2 vectors in a set
     */
    public double value() {
        if (real.dimension() != fake.dimension()) {
            throw new IllegalStateException("real features have " + real.dimension() + " dimensions but fake ones have "
                    + fake.dimension());
        }
        return frechet(real.mean(), real.covariance(), fake.mean(), fake.covariance());
    }

    /** Fréchet distance of N(μ1, Σ1) and N(μ2, Σ2) (double arrays, Σ symmetric PSD). */
    public static double frechet(INDArray mu1, INDArray sigma1, INDArray mu2, INDArray sigma2) {
        INDArray d = mu1.sub(mu2);
        double meanTerm = d.mul(d).sumNumber().doubleValue();
        INDArray s = sqrtPsd(sigma1);
        INDArray m = s.mmul(sigma2).mmul(s);
        m = m.add(m.transpose()).muli(0.5);
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(m.dup('f'), false);
        double traceSqrt = 0;
        for (long i = 0; i < lambda.length(); i++) {
            traceSqrt += Math.sqrt(Math.max(lambda.getDouble(i), 0));
        }
        double value = meanTerm + trace(sigma1) + trace(sigma2) - 2 * traceSqrt;
        return Math.max(value, 0); // round-off can make identical sets a hair negative
    }

    /** Σ^{1/2} = V diag(√max(λ, 0)) Vᵀ. */
    static INDArray sqrtPsd(INDArray sigma) {
        INDArray vectors = sigma.dup('f');
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        INDArray root = Transforms.sqrt(Transforms.max(lambda.dup(), 0.0), false);
        INDArray scaled = vectors.mulRowVector(root.reshape(1, root.length()));
        return scaled.mmul(vectors.transpose());
    }

    @Override
    public String toString() {
        return "ClassifierFeatureFid[real=" + real.count() + ", fake=" + fake.count() + " vectors]";
    }

    private static double trace(INDArray m) {
        double t = 0;
        for (long i = 0; i < m.rows(); i++) {
            t += m.getDouble(i, i);
        }
        return t;
    }
}
