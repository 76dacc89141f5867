package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.Pipeline;
import dev.coin.core.model.classifier.ResNet18;
import dev.coin.core.nn.Conditioning;
import dev.coin.core.nn.ParameterStore;
import dev.coin.core.nn.UpsampleKind;
import dev.coin.losses.Reconstruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainer's G, D and F graphs share one array holder, where constants live by name: a constant of one graph
 * with an automatic name ({@code sd_var…}) is replaced by another graph's constant of the same automatic name. That
 * broke the dilation loss (its INT pad widths became a FLOAT scalar). Every constant must hold an array of the type
 * and shape its graph declared, and no automatic name may be used by two graphs.
 */
class SharedHolderConstantsTest {
    @Test
    void constantsOfTheThreeGraphsDoNotReplaceEachOther() {
        ResNet18 clf = ResNet18.create(ResNet18.Spec.ofWidth(4), 17L);
        List<Pipeline> pipelines = List.of(
                TinyData.tinyCoin(clf).build(),
                TinyData.tinyCoin(clf).editGenerator(g -> g.conditioning(Conditioning.features(32))
                        .upsample(UpsampleKind.BILINEAR)).replaceLoss(Reconstruction.dilation(5).weight(1.0)).build());
        for (Pipeline p : pipelines) {
            ParameterStore store = TrainingGraphs.createStore(p, new HashSet<>());
            TrainingGraphs graphs = new TrainingGraphs(p, store, TinyData.SIZE, TinyData.SIZE, 2);
            Map<String, List<String>> autoNamed = new HashMap<>();
            for (Map.Entry<String, SameDiff> e : Map.of("G", graphs.g, "D", graphs.d, "F", graphs.f).entrySet()) {
                SameDiff sd = e.getValue();
                for (SDVariable v : sd.variables()) {
                    if (v.getVariableType() != VariableType.CONSTANT || store.contains(v.name())) {
                        continue;
                    }
                    INDArray held = sd.getArrForVarName(v.name());
                    assertThat(held.dataType()).as("%s: constant '%s' of graph %s", p.generator().conditioning(),
                            v.name(), e.getKey()).isEqualTo(v.dataType());
                    if (v.getShape() != null) {
                        assertThat(held.shape()).as("constant '%s' of graph %s", v.name(), e.getKey())
                                .containsExactly(v.getShape());
                    }
                    if (v.name().startsWith("sd_var")) {
                        autoNamed.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(e.getKey());
                    }
                }
            }
            Set<String> shared = new HashSet<>();
            autoNamed.forEach((name, in) -> {
                if (in.size() > 1) {
                    shared.add(name + " in " + in);
                }
            });
            assertThat(shared).as("automatically named constants used by several graphs; name them per graph")
                    .isEmpty();
        }
    }
}
