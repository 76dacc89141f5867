package dev.coin.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.UpsampleKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads the PyTorch reference test vectors and their configs: COIN's (src/test/resources/testvectors/reference) and,
 * with a case name starting {@code "aligned/"}, COIN-Aligned's (testvectors/aligned).
 */
final class ReferenceVectors {
    private ReferenceVectors() {
    }

    /** {@code name} under testvectors/reference, or under testvectors/aligned when it starts "aligned/". */
    static Path file(String name) {
        String path = name.startsWith("aligned/") ? "/testvectors/" + name : "/testvectors/reference/" + name;
        try {
            return Path.of(ReferenceVectors.class.getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test vector " + name + " not on the test class path", e);
        }
    }

    static JsonNode config(String caseName) throws IOException {
        return new ObjectMapper().readTree(file(caseName + ".json").toFile());
    }

    /** Arrays read with ND4J's own npz reader (independent of our reader). */
    static Map<String, INDArray> arrays(String caseName) throws Exception {
        return Nd4j.createFromNpzFile(file(caseName + ".npz").toFile());
    }

    static int[] ints(JsonNode n) {
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = n.get(i).asInt();
        }
        return r;
    }

    static UNetPerturbation generator(JsonNode c) {
        TreeSet<Integer> skips = new TreeSet<>();
        if (!c.get("skip_conn").isNull()) {
            for (int s : ints(c.get("skip_conn"))) {
                if (s > 0) {
                    skips.add(s);
                }
            }
        }
        String fuse = c.get("ptb_fuse_type").isNull() ? null : c.get("ptb_fuse_type").asText();
        return UNetPerturbation.builder()
                .channels(ints(c.get("enc_out_channels")))
                .decoderChannels(ints(c.get("gen_out_channels")))
                .skips(skips)
                .upsample(c.get("upsample_kind").asText().equals("bilinear") ? UpsampleKind.BILINEAR : UpsampleKind.NEAREST)
                .spectralNorm(c.get("use_snconv").asBoolean())
                .fusion(FusionKind.fromReferenceName(fuse))
                .conditioning(c.path("use_signal_from_classifier").asBoolean(false)
                        ? Conditioning.features(c.get("classifier_output_dim").asInt())
                        : Conditioning.labels(c.get("n_classes").asInt()))
                .build();
    }

    static ResNetDiscriminator discriminator(JsonNode c) {
        return ResNetDiscriminator.builder()
                .blocks(ints(c.get("out_channels")), ints(c.get("downsample_scales")))
                .numClasses(c.get("n_classes").asInt())
                .projection(true)
                .build();
    }
}
