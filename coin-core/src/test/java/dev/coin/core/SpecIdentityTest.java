package dev.coin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Structured identities of specs: records, functions and data-sized arrays. */
class SpecIdentityTest {
    record Scaled(String name, DoubleUnaryOperator f) {
    }

    private static DoubleUnaryOperator times(double k) {
        return v -> v * k;
    }

    @Test
    void aFunctionIsIdentifiedByItsDefiningClassCodeAndCapturedValues() {
        SpecIdentity a = SpecIdentity.of(new Scaled("s", times(2)));
        SpecIdentity b = SpecIdentity.of(new Scaled("s", times(3)));
        SpecIdentity a2 = SpecIdentity.of(new Scaled("s", times(2)));
        SpecIdentity f = (SpecIdentity) a.parameters().get("f");
        assertThat(f.type()).isEqualTo("function");
        assertThat(f.parameters().get("definedIn")).isEqualTo(SpecIdentityTest.class.getName());
        assertThat((String) f.parameters().get("code")).matches("sha256:[0-9a-f]{24}");
        assertThat(f.parameters().get("captured")).isEqualTo(List.of(2.0));
        // the same function with the same captured value is the same identity; another value is another one, and
        // a resume check names the field
        assertThat(a.toJson()).isEqualTo(a2.toJson());
        assertThat(SpecIdentity.differences(a.toJson(), b.toJson(), 5)).singleElement().asString()
                .contains("f.captured").contains("2.0").contains("3.0");
    }

    @Test
    void dataSizedArraysAreSummarisedNotListed() {
        record Holder(float[] values, int[] small) {
        }
        SpecIdentity id = SpecIdentity.of(new Holder(new float[1000], new int[] {1, 2}));
        assertThat((String) id.parameters().get("values")).startsWith("<1000 float values, hash ");
        assertThat(id.parameters().get("small")).isEqualTo(List.of(1, 2));
    }
}
