package dev.coin.core.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coin.core.model.FusionKind;
import dev.coin.core.model.ResNetDiscriminator;
import dev.coin.core.model.UNetPerturbation;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.UpsampleKind;
import java.util.TreeSet;

/**
 * JSON form of the network specs (used inside {@link NetworkFile} and saved models).
 *
 * <pre>{@code
 * ObjectNode json = SpecJson.generator(spec);
 * UNetPerturbation again = SpecJson.generator(json);   // equals(spec)
 * }</pre>
 */
public final class SpecJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecJson() {
    }

    /** The generator spec as JSON (stem, widths, skips, upsampling, SN, fusion, conditioning, output gain). */
    public static ObjectNode generator(UNetPerturbation g) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("stem_channels", g.stemChannels());
        n.set("encoder_channels", ints(g.encoderChannels()));
        n.set("decoder_channels", ints(g.decoderChannels()));
        ArrayNode skips = n.putArray("skips");
        g.skips().forEach(skips::add);
        n.put("upsample", g.upsample().name());
        n.put("spectral_norm", g.spectralNorm());
        n.put("fusion", g.fusion().name());
        n.put("conditioning", g.conditioning().kind().name());
        n.put("conditioning_size", g.conditioning().size());
        n.put("output_gain", g.outputGain());
        return n;
    }

    /**
     * Reads {@link #generator(UNetPerturbation)}'s JSON.
     *
     * @throws IllegalArgumentException when a field is missing or holds an unknown value
     */
    public static UNetPerturbation generator(JsonNode n) {
        TreeSet<Integer> skips = new TreeSet<>();
        n.required("skips").forEach(s -> skips.add(s.asInt()));
        return UNetPerturbation.builder()
                .stemChannels(n.required("stem_channels").asInt())
                .channels(ints(n.required("encoder_channels")))
                .decoderChannels(ints(n.required("decoder_channels")))
                .skips(skips)
                .upsample(UpsampleKind.valueOf(n.required("upsample").asText()))
                .spectralNorm(n.required("spectral_norm").asBoolean())
                .fusion(FusionKind.valueOf(n.required("fusion").asText()))
                .conditioning(new Conditioning(Conditioning.Kind.valueOf(n.required("conditioning").asText()),
                        n.required("conditioning_size").asInt()))
                .outputGain(n.path("output_gain").asDouble(1.0))
                .build();
    }

    /** The discriminator spec as JSON. */
    public static ObjectNode discriminator(ResNetDiscriminator d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("channels", ints(d.channels()));
        n.set("downsample", ints(d.downsample()));
        n.put("projection", d.projection());
        n.put("num_classes", d.numClasses());
        return n;
    }

    /** Reads {@link #discriminator(ResNetDiscriminator)}'s JSON. */
    public static ResNetDiscriminator discriminator(JsonNode n) {
        return ResNetDiscriminator.builder()
                .blocks(ints(n.required("channels")), ints(n.required("downsample")))
                .projection(n.required("projection").asBoolean())
                .numClasses(n.required("num_classes").asInt())
                .build();
    }

    private static ArrayNode ints(int[] v) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
