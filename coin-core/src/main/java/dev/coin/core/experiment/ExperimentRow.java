package dev.coin.core.experiment;

import dev.coin.core.Pipeline;
import dev.coin.core.model.Classifier;
import dev.coin.data.augment.Transform;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One row of an experiment table: a name for the report, how to configure the pipeline once its classifier exists,
 * and which classifier it explains (the table's plain one, or one trained with extra augmentations, as COIN-Aligned
 * rows 6 and 7 are). Sizes (widths, epochs, batch) are not the row's business: the run's {@link Budget} sets them.
 *
 * <pre>{@code
 * ExperimentRow coin = ExperimentRow.of("COIN", clf -> Presets.coinSynthetic().classifier(clf));
 * ExperimentRow mine = ExperimentRow.of("COIN, λ_tv 0", clf -> Presets.coinSynthetic().classifier(clf)
 *         .replaceLoss(TotalVariation.weight(0)));
 * }</pre>
 *
 * @param name                      the report's name of the row (unique in its table)
 * @param pipeline                  the row's pipeline given the classifier it explains
 * @param classifierName            the classifier's name: rows with the same name share one classifier per seed
 * @param classifierAugmentations   augmentations added to the reference ones when that classifier is trained
 */
public record ExperimentRow(String name, Function<Classifier, Pipeline.Builder> pipeline, String classifierName,
                            List<Transform> classifierAugmentations) {
    /** The name of the table's plain classifier (reference augmentations only). */
    public static final String PLAIN_CLASSIFIER = "classifier";

    public ExperimentRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(classifierName, "classifierName");
        classifierAugmentations = List.copyOf(classifierAugmentations);
        if (name.isBlank()) {
            throw new IllegalArgumentException("an experiment row needs a non-blank name, got '" + name + "'");
        }
        if (classifierName.equals(PLAIN_CLASSIFIER) != classifierAugmentations.isEmpty()) {
            throw new IllegalArgumentException("row '" + name + "': classifier '" + classifierName + "' with "
                    + classifierAugmentations.size() + " extra augmentations; the name '" + PLAIN_CLASSIFIER
                    + "' is reserved for the classifier without extra augmentations, give the other one its own name");
        }
    }

    /** A row explaining the table's plain classifier. */
    public static ExperimentRow of(String name, Function<Classifier, Pipeline.Builder> pipeline) {
        return new ExperimentRow(name, pipeline, PLAIN_CLASSIFIER, List.of());
    }

    /** This row explaining a classifier trained with {@code augmentations} on top of the reference ones. */
    public ExperimentRow withClassifier(String classifier, List<Transform> augmentations) {
        return new ExperimentRow(name, pipeline, classifier, augmentations);
    }

    /** The row's folder name: the name in lower case, runs of anything but letters and digits as one '-'. */
    public String slug() {
        return slug(name);
    }

    static String slug(String name) {
        String s = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD)
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "row" : s;
    }

    @Override
    public String toString() {
        return "ExperimentRow[" + name + (classifierAugmentations.isEmpty() ? "" : ", classifier " + classifierName)
                + "]";
    }
}
