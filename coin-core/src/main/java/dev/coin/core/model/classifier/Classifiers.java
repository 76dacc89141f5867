package dev.coin.core.model.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coin.core.nn.io.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading classifiers saved with {@link GraphClassifier#save}: the spec from {@code classifier.json} decides the
 * architecture, the weights come from {@code weights.npz} (reference state_dict names and layouts).
 *
 * <pre>{@code
 * GraphClassifier c = Classifiers.load(Path.of("runs/cls"));
 * }</pre>
 */
public final class Classifiers {
    static final ObjectMapper JSON = new ObjectMapper();

    private Classifiers() {
    }

    /**
     * Rebuilds the network described by {@code dir/classifier.json} and loads {@code dir/weights.npz} into it.
     * {@code dir} may also be a classifier trainer's run folder: its {@code model/} is read.
     */
    public static GraphClassifier load(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(GraphClassifier.SPEC_FILE))
                && Files.isRegularFile(dir.resolve("model").resolve(GraphClassifier.SPEC_FILE))) {
            dir = dir.resolve("model");
        }
        Path specFile = dir.resolve(GraphClassifier.SPEC_FILE);
        Path weights = dir.resolve(GraphClassifier.WEIGHTS_FILE);
        if (!Files.isRegularFile(specFile) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("dir " + dir + " must hold " + GraphClassifier.SPEC_FILE + " and "
                    + GraphClassifier.WEIGHTS_FILE + "; write it with GraphClassifier.save");
        }
        ClassifierSpec spec = specFrom(JSON.readTree(specFile.toFile()), specFile);
        GraphClassifier c = spec.create(0L);
        StateDict.load(c.parameters(), weights);
        return c;
    }

    static ClassifierSpec specFrom(JsonNode node, Path source) {
        String arch = node.path("architecture").asText("");
        switch (arch) {
            case ResNet18.ARCHITECTURE:
                return new ResNet18.Spec(requiredInt(node, "baseWidth", source));
            case EfficientNetV2S.ARCHITECTURE:
                return new EfficientNetV2S.Spec(requiredDouble(node, "widthMultiplier", source),
                        requiredDouble(node, "depthMultiplier", source));
            default:
                throw new IllegalArgumentException("architecture '" + arch + "' in " + source + " is unknown; expected "
                        + ResNet18.ARCHITECTURE + " or " + EfficientNetV2S.ARCHITECTURE);
        }
    }

    private static int requiredInt(JsonNode node, String field, Path source) {
        if (!node.path(field).isInt()) {
            throw new IllegalArgumentException(source + ": field '" + field + "' must be an integer, got " + node.path(field));
        }
        return node.get(field).asInt();
    }

    private static double requiredDouble(JsonNode node, String field, Path source) {
        if (!node.path(field).isNumber()) {
            throw new IllegalArgumentException(source + ": field '" + field + "' must be a number, got " + node.path(field));
        }
        return node.get(field).asDouble();
    }
}
