package dev.avatarfleet.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.avatarfleet.testkit.ModuleRules;

/**
 * The worker module's rules, on its production classes: across modules (no API code, Redis only through the
 * store, no development tools), and between its own packages (the render loop and the LiveKit side meet only in
 * {@code worker.media}; the renderer knows nothing of sessions, claims or the node; no package cycles).
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

    @ArchTest
    static final ArchRule livekitDoesNotDependOnRender = noClasses()
            .that().resideInAPackage("dev.avatarfleet.worker.livekit..")
            .should().dependOnClassesThat().resideInAPackage("dev.avatarfleet.worker.render..")
            .because("the frame and audio types both sides use live in worker.media");

    @ArchTest
    static final ArchRule renderDoesNotDependOnSessionsClaimsOrTheNode = noClasses()
            .that().resideInAPackage("dev.avatarfleet.worker.render..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.avatarfleet.worker.session..", "dev.avatarfleet.worker.claim..", "dev.avatarfleet.worker.node..")
            .because("the renderer is used by sessions and wired by the node, never the other way");

    @ArchTest
    static final ArchRule mediaDependsOnNoOtherWorkerPackage = noClasses()
            .that().resideInAPackage("dev.avatarfleet.worker.media..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.avatarfleet.worker", "dev.avatarfleet.worker.render..", "dev.avatarfleet.worker.livekit..",
                    "dev.avatarfleet.worker.session..", "dev.avatarfleet.worker.claim..", "dev.avatarfleet.worker.node..")
            .because("media is what render and livekit share; it must not pull either in");

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("dev.avatarfleet.(worker..)")
            .should().beFreeOfCycles();
}
