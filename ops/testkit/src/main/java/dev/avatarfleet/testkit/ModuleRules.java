package dev.avatarfleet.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules every module's {@code ArchitectureTest} checks on its main classes (ArchUnit):
 * packages without cycles, the development tools kept out of production code, Redis reached only
 * through the store package.
 */
public final class ModuleRules {

    /** The one class that talks to Redis; everything else goes through the store package's types. */
    public static final String REDIS_GATEWAY = "dev.avatarfleet.common.store.RedisGateway";

    private ModuleRules() {
    }

    /** No cycle between the packages under {@code root} (one slice per package right below it). */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .because("a package cycle makes every change touch both sides");
    }

    /** Production code does not use the dev room server or the test kit: they are development tools. */
    public static ArchRule noDevelopmentToolsInProductionCode() {
        return noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.avatarfleet.devroom..", "dev.avatarfleet.testkit..")
                .because("the dev room server and the test kit are not shipped (production uses livekit-server)");
    }

    /** Only the store package holds the raw Redis gateway. */
    public static ArchRule redisOnlyThroughTheStore() {
        return noClasses().that().resideOutsideOfPackage("dev.avatarfleet.common.store")
                .should().dependOnClassesThat().haveFullyQualifiedName(REDIS_GATEWAY)
                .because("Redis is reached through the task store, registry and image store, which own its keys and scripts");
    }
}
