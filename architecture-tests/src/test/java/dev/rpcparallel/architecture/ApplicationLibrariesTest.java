package dev.rpcparallel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Libraries an application chooses the version of stay out of the product: an application that
 * pins an older Guava than ours would otherwise fail with {@code NoSuchMethodError} at its first
 * spawn. (The build's enforcer keeps Guava off the modules' dependencies; this rule keeps it out
 * of the code, shaded or not.)
 */
class ApplicationLibrariesTest {
    static final String GUAVA = "com.google.common..";

    @Test
    void noProductClassUsesGuava() {
        noGuava().check(Classes.product());
    }

    static ArchRule noGuava() {
        return noClasses().that().resideInAPackage("dev.rpcparallel..")
                .should().dependOnClassesThat().resideInAPackage(GUAVA)
                .because("the application chooses its Guava version: the runtime uses the JDK instead");
    }
}
