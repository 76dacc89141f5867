package dev.coin.core.train;

import dev.coin.core.model.Classifier;
import dev.coin.core.nn.Conv2d;
import dev.coin.core.nn.GraphScope;
import dev.coin.core.nn.ParameterKind;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.WeightInit;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A hand-built test classifier: logit = w · mean(relu(x − t)) + b. Pixels brighter than t (a bright blob on a
 * darker background) make it say "abnormal". The graph form uses the project's 1×1 conv block; the host form is
 * plain ND4J arithmetic, so the two are independent implementations of one formula.
 */
final class BlobClassifier implements Classifier {
    static final double THRESHOLD = 0.3;
    static final double W = 400;
    static final double B = -4;
    private final ParameterStore store = ParameterStore.create(DataType.FLOAT);
    private final Conv2d conv = new Conv2d("clf.conv", 1, 1, 1, true, WeightInit.xavierUniform(1.0), false);

    BlobClassifier() {
        store.add("clf.conv.weight", ParameterKind.CONV_WEIGHT, Nd4j.ones(DataType.FLOAT, 1, 1, 1, 1));
        store.add("clf.conv.bias", ParameterKind.PLAIN, Nd4j.valueArrayOf(new long[] {1}, -THRESHOLD, DataType.FLOAT));
        store.add("clf.fc.weight", ParameterKind.LINEAR_WEIGHT, Nd4j.valueArrayOf(new long[] {1, 1}, W, DataType.FLOAT));
        store.add("clf.fc.bias", ParameterKind.PLAIN, Nd4j.valueArrayOf(new long[] {1}, B, DataType.FLOAT));
    }

    @Override
    public Object spec() {
        return "BlobClassifier[w=" + W + ", b=" + B + ", t=" + THRESHOLD + "]";
    }

    @Override
    public ParameterStore parameters() {
        return store;
    }

    @Override
    public List<String> layerNames() {
        return List.of("conv");
    }

    @Override
    public ClassifierOutputs apply(GraphScope scope, SDVariable x, String... layers) {
        SDVariable h = scope.sd().nn().relu(conv.apply(scope, x), 0);
        SDVariable pooled = h.mean(true, 2, 3).reshape(-1, 1);
        SDVariable logits = scope.sd().nn().linear(scope.opName("clf.fc"), pooled, scope.param("clf.fc.weight"),
                scope.param("clf.fc.bias"));
        return new ClassifierOutputs(logits, pooled, layers.length == 0 ? List.of() : List.of(h));
    }

    @Override
    public INDArray logits(INDArray x) {
        INDArray m = Transforms.relu(x.castTo(DataType.FLOAT).sub(THRESHOLD), false).mean(2, 3).reshape(-1, 1);
        return m.muli(W).addi(B);
    }

    @Override
    public INDArray features(INDArray x) {
        return Transforms.relu(x.castTo(DataType.FLOAT).sub(THRESHOLD), false).mean(2, 3).reshape(-1, 1);
    }

    @Override
    public INDArray activations(INDArray x, String layer) {
        return Transforms.relu(x.castTo(DataType.FLOAT).sub(THRESHOLD), false);
    }
}
