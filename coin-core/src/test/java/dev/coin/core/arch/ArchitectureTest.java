package dev.coin.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure of coin-core, read from its compiled classes: no package depends back on a package that
 * depends on it, and the layers point one way (the layer library knows no model, the models know no training).
 * coin-examples' {@code PackageCyclesTest} checks every module for cycles from the source files' imports as well
 * (javadoc-only imports included), which class files do not show.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.coin.core");

    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return SliceIdentifier.of(c.getPackageName());
        }

        @Override
        public String getDescription() {
            return "the packages of dev.coin.core";
        }
    };

    @Test
    void corePackagesAreFreeOfCycles() {
        assertThat(CORE.size()).as("classes imported from dev.coin.core").isGreaterThan(100);
        // one slice per package, the root package (Pipeline, TrainedPipeline, ...) included
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(CORE);
    }

    @Test
    void layersPointOneWay() {
        noClasses().that().resideInAPackage("dev.coin.core.nn..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.coin.core.model..", "dev.coin.core.train..", "dev.coin.core.eval..",
                        "dev.coin.core.explain..", "dev.coin.core.report..", "dev.coin.core.mask..")
                .check(CORE);
        noClasses().that().resideInAPackage("dev.coin.core.model..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.coin.core.train..", "dev.coin.core.eval..", "dev.coin.core.report..")
                .check(CORE);
        noClasses().that().resideInAnyPackage("dev.coin.core.mask..", "dev.coin.core.report..").should()
                .dependOnClassesThat().resideInAnyPackage("dev.coin.core.train..", "dev.coin.core.eval..")
                .check(CORE);
        // the execution engine runs any SameDiff graph: it knows none of the library's blocks, models or trainers
        noClasses().that().resideInAPackage("dev.coin.core.engine..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.coin.core", "dev.coin.core.nn..", "dev.coin.core.model..",
                        "dev.coin.core.train..", "dev.coin.core.eval..", "dev.coin.core.explain..",
                        "dev.coin.core.report..", "dev.coin.core.mask..")
                .check(CORE);
        noClasses().that().resideInAPackage("dev.coin.core").should().dependOnClassesThat()
                .resideInAnyPackage("dev.coin.core.train..", "dev.coin.core.eval..").check(CORE);
    }

    @Test
    void blockInternalsServeOnlyTheNetworks() {
        // nn.internal holds the blocks of the library's own networks: the public layers never need them, and
        // nothing above the networks (pipeline, training, evaluation, explanations) reaches past the networks
        noClasses().that().resideOutsideOfPackages("dev.coin.core.nn.internal..", "dev.coin.core.model..")
                .should().dependOnClassesThat().resideInAPackage("dev.coin.core.nn.internal..").check(CORE);
    }
}
