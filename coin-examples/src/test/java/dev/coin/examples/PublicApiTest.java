package dev.coin.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The examples are written as a user would write them: only the library's public packages, never its internal ones. */
class PublicApiTest {
    @Test
    void examplesUseOnlyPublicPackages() {
        JavaClasses examples = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.coin.examples");
        assertThat(examples.size()).as("classes imported from dev.coin.examples").isGreaterThan(5);
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.coin..internal..").check(examples);
    }
}
