package dev.avatarfleet.devroom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.avatarfleet.testkit.ModuleRules;

/** The dev room server's layering, on its main classes: it stands apart from the fleet's code. */
@AnalyzeClasses(packages = "dev.avatarfleet.devroom", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ModuleRules.noPackageCycles("dev.avatarfleet.devroom");

    @ArchTest
    static final ArchRule noFleetCode = noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.avatarfleet.api..",
                    "dev.avatarfleet.worker..", "dev.avatarfleet.common.store..", "dev.avatarfleet.common.kafka..",
                    "dev.avatarfleet.testkit..")
            .because("it plays livekit-server, which knows nothing of the fleet");
}
