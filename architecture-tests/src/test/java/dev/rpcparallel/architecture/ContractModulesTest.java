package dev.rpcparallel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.rpcparallel.architecture.Classes.PUBLIC_API;
import static dev.rpcparallel.architecture.Classes.API_INTERNAL;
import static dev.rpcparallel.architecture.Classes.API_RUNTIME;
import static dev.rpcparallel.architecture.Classes.LAUNCHER;
import static dev.rpcparallel.architecture.Classes.SPI;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaEnumConstant;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.rpcparallel.api.annotation.API;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code api} and {@code spi} are the contract: they need nothing but the JDK, name no Thrift
 * type, mark every public type with {@link API @API}, and their internal packages are used by
 * rpc-parallel alone.
 */
class ContractModulesTest {
    private static final String THRIFT = "org.apache.thrift";

    @Test
    void apiAndSpiDependOnTheJdkAlone() {
        dependOnTheJdkAlone().check(Classes.product());
    }

    static ArchRule dependOnTheJdkAlone() {
        return classes().that().resideInAnyPackage(PUBLIC_API, SPI)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.net.ssl..", PUBLIC_API, SPI)
                .because("a plugin compiles against api and spi: they bring no library along (javax.net.ssl is"
                        + " the JDK's own, in java.base: TransportConfig carries an in-memory TLS context)");
    }

    @Test
    void noThriftTypeInAPublicSignatureOfApiOrSpi() {
        noThriftTypeInAPublicSignature().check(Classes.product());
    }

    static ArchRule noThriftTypeInAPublicSignature() {
        return classes().that().resideInAnyPackage(PUBLIC_API, SPI).and().arePublic()
                .should(nameNoThriftTypeInTheirPublicSignatures())
                .because("Thrift is the wire format, not the API: Codecs.thrift(Class) takes any class"
                        + " and checks it is a Thrift struct by name");
    }

    @Test
    void everyPublicTypeOfApiAndSpiSaysWhatItPromises() {
        publicTypesAreMarked().check(Classes.product());
    }

    static ArchRule publicTypesAreMarked() {
        return classes().that().resideInAnyPackage(PUBLIC_API, SPI).and().arePublic().and().areTopLevelClasses()
                .should().beAnnotatedWith(API.class)
                .because("@API marks what is public API (STABLE, EXPERIMENTAL) and what is INTERNAL");
    }

    @Test
    void publicTypesOfInternalPackagesAreMarkedInternal() {
        internalPackagesAreMarkedInternal().check(Classes.product());
    }

    static ArchRule internalPackagesAreMarkedInternal() {
        return classes().that().resideInAnyPackage(API_INTERNAL, API_RUNTIME).and().arePublic()
                .and().areTopLevelClasses()
                .should().beAnnotatedWith(status(API.Status.INTERNAL));
    }

    @Test
    void theCodecEngineIsUsedThroughCodecsOnly() {
        codecEngineOnlyThroughCodecs().check(Classes.product());
    }

    static ArchRule codecEngineOnlyThroughCodecs() {
        return noClasses().that().resideOutsideOfPackage(PUBLIC_API)
                .should().dependOnClassesThat().resideInAPackage(API_INTERNAL)
                .because("the codec engine is internal to api: everyone else uses Codecs");
    }

    @Test
    void theRuntimeSeamIsUsedByApiAndTheLauncherOnly() {
        runtimeSeamOnlyForApiAndLauncher().check(Classes.product());
    }

    static ArchRule runtimeSeamOnlyForApiAndLauncher() {
        return noClasses().that().resideOutsideOfPackages(PUBLIC_API, LAUNCHER)
                .should().dependOnClassesThat().resideInAPackage(API_RUNTIME)
                .because("ParallelRuntime is the seam between Parallel and the runtime that implements it");
    }

    private static DescribedPredicate<com.tngtech.archunit.core.domain.JavaAnnotation<?>> status(API.Status status) {
        return DescribedPredicate.describe("@API(status = " + status + ")",
                annotation -> annotation.getRawType().isEquivalentTo(API.class)
                        && annotation.get("status")
                                .filter(JavaEnumConstant.class::isInstance)
                                .map(value -> ((JavaEnumConstant) value).name().equals(status.name()))
                                .orElse(false));
    }

    /**
     * Public and protected members, supertypes and type parameters of a public class: none may
     * involve a type from {@code org.apache.thrift}.
     */
    private static ArchCondition<JavaClass> nameNoThriftTypeInTheirPublicSignatures() {
        return new ArchCondition<>("name no Thrift type in their public signatures") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                List<String> found = new ArrayList<>();
                type.getRawSuperclass().ifPresent(s -> collect(found, type.getName() + " extends", s));
                for (JavaType i : type.getInterfaces()) {
                    collect(found, type.getName() + " implements", i);
                }
                for (JavaField field : type.getFields()) {
                    if (visible(field.getModifiers())) {
                        collect(found, field.getFullName(), field.getType());
                    }
                }
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (!visible(unit.getModifiers())) {
                        continue;
                    }
                    collect(found, unit.getFullName() + " returns", unit.getReturnType());
                    for (JavaType parameter : unit.getParameterTypes()) {
                        collect(found, unit.getFullName() + " takes", parameter);
                    }
                    for (JavaType parameter : unit.getTypeParameters()) {
                        collect(found, unit.getFullName() + " is generic over", parameter);
                    }
                    unit.getThrowsClause().getTypes().forEach(t -> collect(found, unit.getFullName() + " throws", t));
                }
                for (String violation : found) {
                    events.add(SimpleConditionEvent.violated(type, violation));
                }
            }
        };
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void collect(List<String> found, String where, JavaType type) {
        for (JavaClass involved : type.getAllInvolvedRawTypes()) {
            if (involved.getPackageName().startsWith(THRIFT)) {
                found.add(where + " " + involved.getName());
            }
        }
    }
}
