package dev.avatarfleet.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The test kit starts real servers for any module's tests; it depends on no module but config. */
@AnalyzeClasses(packages = "dev.avatarfleet.testkit", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule noFleetCode = noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.avatarfleet.api..",
                    "dev.avatarfleet.worker..", "dev.avatarfleet.devroom..", "dev.avatarfleet.common.store..",
                    "dev.avatarfleet.common.kafka..", "dev.avatarfleet.common.task..")
            .because("common's own tests use the test kit, so it cannot use common");
}
