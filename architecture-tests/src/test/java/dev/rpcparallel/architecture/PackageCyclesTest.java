package dev.rpcparallel.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.runtime.ParallelRuntime;
import org.junit.jupiter.api.Test;

/**
 * No package cycles in any module: each package is a slice, and no two depend on each other
 * both ways.
 *
 * <p>One dependency is allowed, by name: {@code Parallel} (and its nested classes) loading its
 * {@link ParallelRuntime} with {@code ServiceLoader}. That is the seam itself: the runtime's
 * interface speaks the API's types, and the API's façade finds it (as {@code jakarta.json} and
 * {@code jakarta.json.spi} do). Any other class of {@code api} naming the seam is a cycle.
 *
 * <p>And one in the launcher: the worker's main class ({@code launcher.worker.WorkerMain}) makes
 * the launcher's runtime ({@code launcher.LauncherRuntime}), which wires the worker's lifecycle,
 * and hands it to {@code Parallel}, so that a spawned worker does not search its class path for
 * a runtime. A process's entry point makes the object that wires everything; its class name is
 * part of every worker command, so it stays in {@code worker}. Any other class of
 * {@code worker} naming the root package is a cycle.
 */
class PackageCyclesTest {

    @Test
    void noPackageCycles() {
        noCycles().check(Classes.product());
    }

    static ArchRule noCycles() {
        return slices().matching("dev.rpcparallel.(**)")
                .should().beFreeOfCycles()
                .ignoreDependency(parallel(), DescribedPredicate.describe(ParallelRuntime.class.getName(),
                        (JavaClass c) -> c.getName().equals(ParallelRuntime.class.getName())))
                .ignoreDependency(named(WORKER_MAIN), named(LAUNCHER_RUNTIME));
    }

    private static final String WORKER_MAIN = "dev.rpcparallel.launcher.worker.WorkerMain";
    private static final String LAUNCHER_RUNTIME = "dev.rpcparallel.launcher.LauncherRuntime";

    private static DescribedPredicate<JavaClass> named(String name) {
        return DescribedPredicate.describe(name, (JavaClass c) -> c.getName().equals(name));
    }

    private static DescribedPredicate<JavaClass> parallel() {
        String name = Parallel.class.getName();
        return DescribedPredicate.describe(name,
                (JavaClass c) -> c.getName().equals(name) || c.getName().startsWith(name + "$"));
    }
}
