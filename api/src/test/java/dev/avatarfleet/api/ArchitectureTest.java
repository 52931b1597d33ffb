package dev.avatarfleet.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.avatarfleet.testkit.ModuleRules;

/** The API module's layering, on its main classes. */
@AnalyzeClasses(packages = "dev.avatarfleet.api", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ModuleRules.noPackageCycles("dev.avatarfleet.api");

    @ArchTest
    static final ArchRule noWorkerCode = noClasses().should().dependOnClassesThat().resideInAPackage("dev.avatarfleet.worker..")
            .because("API nodes reach workers over HTTP and through the fleet's shared state, never by their code");

    @ArchTest
    static final ArchRule redisOnlyThroughTheStore = ModuleRules.redisOnlyThroughTheStore();

    @ArchTest
    static final ArchRule noDevelopmentTools = ModuleRules.noDevelopmentToolsInProductionCode();
}
