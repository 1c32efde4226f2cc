package io.lvscp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layering written down in docs/architecture.md ("Packages and layers"), held by a test.
 * Production classes only: a test may reach across layers to set up what it checks.
 */
@AnalyzeClasses(packages = "io.lvscp", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTests.NotAotGenerated.class})
class ArchitectureTests {

    /**
     * Leaves out what Spring AOT generates at {@code package} (Foo__BeanDefinitions, the application's
     * __BeanFactoryRegistrations): it wires every layer by design, and a second {@code verify} in the same
     * tree finds it in target/classes.
     */
    static final class NotAotGenerated implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("__");
        }
    }

    /** No two top-level packages use each other, directly or round a longer loop. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.lvscp.(*)..").should().beFreeOfCycles();

    /**
     * Each layer uses only the layers below it (lowest first in this list); every class is in a layer,
     * so a new package has to be placed here and in the document before it compiles into the build.
     */
    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Common").definedBy("io.lvscp.common..")
            .layer("Os").definedBy("io.lvscp.netlink..", "io.lvscp.linux..")
            .layer("Ipvs").definedBy("io.lvscp.ipvs..")
            .layer("Plan").definedBy("io.lvscp.plan..")
            .layer("Engines").definedBy("io.lvscp.vrrp", "io.lvscp.vrrp.node..", "io.lvscp.vrrp.linux..", "io.lvscp.health..")
            .layer("EngineProcess").definedBy("io.lvscp.vrrp.process..")
            .layer("Settings").definedBy("io.lvscp")
            .layer("Database").definedBy("io.lvscp.database..")
            .layer("Api").definedBy("io.lvscp.api..")
            .layer("Model").definedBy("io.lvscp.model..")
            .layer("Events").definedBy("io.lvscp.event..", "io.lvscp.notify..")
            .layer("Aggregates").definedBy("io.lvscp.cluster..", "io.lvscp.director..", "io.lvscp.vrrpinstance..",
                    "io.lvscp.virtualserver..", "io.lvscp.realserver..")
            .layer("Node").definedBy("io.lvscp.dataplane..", "io.lvscp.arp..", "io.lvscp.splitbrain..",
                    "io.lvscp.switchover..")
            .layer("Importer").definedBy("io.lvscp.importer..")
            .layer("Security").definedBy("io.lvscp.security..")
            .layer("Web").definedBy("io.lvscp.web..")
            .whereLayer("Common").mayNotAccessAnyLayer()
            .whereLayer("Os").mayOnlyAccessLayers("Common")
            .whereLayer("Ipvs").mayOnlyAccessLayers("Common", "Os")
            .whereLayer("Plan").mayOnlyAccessLayers("Common", "Ipvs")
            .whereLayer("Engines").mayOnlyAccessLayers("Common", "Os", "Ipvs", "Plan")
            .whereLayer("EngineProcess").mayOnlyAccessLayers("Common", "Os", "Ipvs", "Plan", "Engines")
            .whereLayer("Settings").mayOnlyAccessLayers("Common")
            .whereLayer("Database").mayOnlyAccessLayers("Common", "Settings")
            .whereLayer("Api").mayOnlyAccessLayers("Common", "Settings", "Database")
            .whereLayer("Model").mayOnlyAccessLayers("Common", "Ipvs", "Engines", "Settings", "Database", "Api")
            .whereLayer("Events").mayOnlyAccessLayers("Common", "Settings", "Database", "Api", "Model")
            .whereLayer("Aggregates").mayOnlyAccessLayers("Common", "Plan", "Ipvs", "Engines", "Settings", "Database", "Api", "Model", "Events")
            .whereLayer("Node").mayOnlyAccessLayers("Common", "Os", "Plan", "Ipvs", "Engines", "EngineProcess", "Settings", "Database", "Api",
                    "Model", "Events", "Aggregates")
            .whereLayer("Importer").mayOnlyAccessLayers("Common", "Plan", "Settings", "Database", "Api", "Model", "Events", "Aggregates")
            .whereLayer("Security").mayOnlyAccessLayers("Common", "Settings", "Database", "Api", "Model", "Events")
            .whereLayer("Web").mayNotBeAccessedByAnyLayer()
            .ensureAllClassesAreContainedInArchitecture();

    /** The five aggregates' packages do not use one another: what they share (entities, repositories, the lookup) is in model. */
    @ArchTest
    static final ArchRule aggregatesIndependent = slices()
            .matching("io.lvscp.(cluster|director|vrrpinstance|virtualserver|realserver)..").namingSlices("$1")
            .should().notDependOnEachOther();

    /** The protocol engines and what they stand on are plain Java: no Spring, no JPA, no servlet, no JSON binding. */
    @ArchTest
    static final ArchRule enginesWithoutFrameworks = noClasses()
            .that().resideInAnyPackage("io.lvscp.common..", "io.lvscp.netlink..", "io.lvscp.linux..", "io.lvscp.plan..", "io.lvscp.ipvs..",
                    "io.lvscp.vrrp", "io.lvscp.vrrp.node..", "io.lvscp.vrrp.linux..", "io.lvscp.health..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..", "jakarta.servlet..",
                    "tools.jackson..", "com.fasterxml.jackson..")
            .because("the protocol core is tested without a container and runs the same under the service and the lab tools");

    /**
     * The VRRP engine's child process (lvs.vrrp.engine=process) and its supervisor write and read their JSON lines with
     * Jackson, but use no container: the child runs outside the Spring context, started by class name.
     */
    @ArchTest
    static final ArchRule engineProcessWithoutContainer = noClasses()
            .that().resideInAPackage("io.lvscp.vrrp.process..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..", "jakarta.servlet..")
            .because("the child JVM runs without the Spring context, and the service's side is wired by the dataplane configuration");
}
