package dev.avatarfleet.common.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The config module sits under everything: it uses no other module of the project. */
@AnalyzeClasses(packages = {"dev.avatarfleet.common.config", "dev.avatarfleet.common.logging"},
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule usesNoOtherModule = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.avatarfleet.common.store..", "dev.avatarfleet.common.kafka..", "dev.avatarfleet.api..",
                    "dev.avatarfleet.worker..", "dev.avatarfleet.devroom..", "dev.avatarfleet.testkit..")
            .because("the test kit and the dev room read their settings through config, so config can depend on none of them");

    @ArchTest
    static final ArchRule settingsDoNotLog = noClasses().that().resideInAPackage("dev.avatarfleet.common.config")
            .and().doNotHaveSimpleName("Env")
            .should().dependOnClassesThat().resideInAPackage("dev.avatarfleet.common.logging")
            .because("logging reads its setting through config, not the other way round");
}
