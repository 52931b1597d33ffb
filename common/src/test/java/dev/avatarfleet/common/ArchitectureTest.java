package dev.avatarfleet.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.avatarfleet.testkit.ModuleRules;

/** The common module's layering, on its main classes. */
@AnalyzeClasses(packages = "dev.avatarfleet.common", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ModuleRules.noPackageCycles("dev.avatarfleet.common");

    @ArchTest
    static final ArchRule storageImportsNoKafka = noClasses().that().resideInAPackage("dev.avatarfleet.common.store..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
            .because("storage is Redis; the duties that combine it with the Kafka log live in common.fleet");

    @ArchTest
    static final ArchRule redisOnlyThroughTheStore = ModuleRules.redisOnlyThroughTheStore();

    @ArchTest
    static final ArchRule noNodeCode = noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.avatarfleet.api..",
            "dev.avatarfleet.worker..").because("common is what both nodes share, beneath them");

    @ArchTest
    static final ArchRule noDevelopmentTools = ModuleRules.noDevelopmentToolsInProductionCode();
}
