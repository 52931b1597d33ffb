package dev.avatarfleet.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.avatarfleet.testkit.ModuleRules;

/**
 * The worker module's rules, on its main classes: here the ones across modules; the rules between the
 * worker's own packages belong here too.
 */
@AnalyzeClasses(packages = "dev.avatarfleet.worker", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule noApiCode = noClasses().should().dependOnClassesThat().resideInAPackage("dev.avatarfleet.api..")
            .because("workers and API nodes share only common; the fleet test runs both from the worker's tests");

    @ArchTest
    static final ArchRule redisOnlyThroughTheStore = ModuleRules.redisOnlyThroughTheStore();

    @ArchTest
    static final ArchRule noDevelopmentTools = ModuleRules.noDevelopmentToolsInProductionCode();
}
