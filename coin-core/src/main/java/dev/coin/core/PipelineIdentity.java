package dev.coin.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.internal.Json;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Pipeline} is, as structured values ({@link SpecIdentity}): written into checkpoints and provenance
 * as JSON, and compared field by field when a run is resumed. Run length, batching and the run folder are not part
 * of it (they belong to the fit call, the loader and the trainer), so extending a run to more epochs resumes it.
 *
 * @param name           the pipeline's label (not compared when resuming)
 * @param classifier     the classifier's spec (its weights are checked separately, array by array)
 * @param generator      the generator spec
 * @param discriminator  the discriminator spec
 * @param losses         the loss terms as given (with their weights)
 * @param targetRule     the target rule's name
 * @param optimizer      the optimiser
 * @param generatorEvery k, the generator update period
 * @param seed           the initialisation seed
 * @param tanhAlignment  COIN-Aligned's tanh alignment
 * @param realSamples    what the discriminator sees as real ({@link RealSamples})
 */
public record PipelineIdentity(String name, SpecIdentity classifier, SpecIdentity generator,
                               SpecIdentity discriminator, List<SpecIdentity> losses, String targetRule,
                               SpecIdentity optimizer, int generatorEvery, long seed, boolean tanhAlignment,
                               String realSamples) {
    public PipelineIdentity {
        losses = List.copyOf(losses);
    }

    /** The identity as JSON. */
    public JsonNode toJson() {
        try {
            // through text, so that numbers have the node types a stored (parsed) identity has
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(this));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("pipeline identity is not serialisable: " + e.getMessage(), e);
        }
    }

    /** The part that must match to resume a checkpoint: everything but the name. */
    public JsonNode resumeKey() {
        ObjectNode o = (ObjectNode) toJson();
        o.remove("name");
        return o;
    }

    /**
     * How a stored resume key (from a checkpoint) differs from this identity's; empty when a run written with it can
     * be resumed by this pipeline.
     */
    public List<String> resumeDifferences(JsonNode stored) {
        Objects.requireNonNull(stored, "stored");
        JsonNode key = stored;
        if (stored instanceof ObjectNode o && (!o.has("tanhAlignment") || !o.has("realSamples"))) {
            // written before COIN-Aligned's settings existed: such runs were unaligned, with x as D's real input
            ObjectNode filled = o.deepCopy();
            if (!filled.has("tanhAlignment")) {
                filled.put("tanhAlignment", false);
            }
            if (!filled.has("realSamples")) {
                filled.put("realSamples", RealSamples.INPUT.name());
            }
            key = filled;
        }
        return SpecIdentity.differences(key, resumeKey(), 20);
    }
}
