package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.spi.launch.LaunchSpec;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchSpecsTest {

    private static WorkerCommand command(List<String> classpathArguments, List<String> spawnOptions) {
        return new WorkerCommand("/jdk/bin/java", List.of("-XX:+UseSerialGC", "-Xmx1g"), classpathArguments,
                spawnOptions, WorkerCommand.WORKER_MAIN, List.of(WorkerCommand.MARKER, "w-1", "child-of-1@h"),
                Map.of("A", "1"), Optional.of(Path.of("/work/dir")), List.of());
    }

    @Test
    void theClassPathBecomesEntriesAndEveryOtherArgumentAJvmOptionInOrder() {
        LaunchSpec spec = LaunchSpecs.of(command(List.of("-Dplugins=/p", "-cp", "/a.jar" + File.pathSeparator + "/b"),
                List.of("-Dmine=1")));
        assertThat(spec.javaExecutable()).isEqualTo("/jdk/bin/java");
        assertThat(spec.jvmOptions()).containsExactly("-XX:+UseSerialGC", "-Xmx1g", "-Dplugins=/p", "-Dmine=1");
        assertThat(spec.classPath()).containsExactly(Path.of("/a.jar"), Path.of("/b"));
        assertThat(spec.mainClass()).isEqualTo(WorkerCommand.WORKER_MAIN);
        assertThat(spec.arguments()).containsExactly(WorkerCommand.MARKER, "w-1", "child-of-1@h");
        assertThat(spec.environment()).containsEntry("A", "1");
        assertThat(spec.workingDirectory()).contains(Path.of("/work/dir"));
    }

    @Test
    void aSpawnsOwnClassPathReplacesTheMastersAsOnTheCommandLine() {
        LaunchSpec spec = LaunchSpecs.of(command(List.of("-cp", "/a.jar"), List.of("-Dx=y", "-classpath", "/own.jar")));
        assertThat(spec.classPath()).containsExactly(Path.of("/own.jar"));
        assertThat(spec.jvmOptions()).doesNotContain("-cp", "-classpath", "/a.jar", "/own.jar").contains("-Dx=y");
    }

    @Test
    void wrapTakesItsPrefixFromTheUriAndRefusesAnEmptyOne() {
        URI nice = SpawnOptions.builder().launcher("wrap:nice -n 5").build().launcher().orElseThrow();
        assertThat(WrapLauncher.prefix(nice)).containsExactly("nice", "-n", "5");
        assertThat(WrapLauncher.prefix(URI.create("wrap:taskset%20-c%200,1"))).containsExactly("taskset", "-c", "0,1");
        URI empty = SpawnOptions.builder().launcher("wrap:").build().launcher().orElseThrow();
        assertThatThrownBy(() -> WrapLauncher.prefix(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no command: write wrap:COMMAND ARGS..., e.g. wrap:nice -n 5");
    }

    @Test
    void localIsTheDefaultAndWrapRunsHereToo() {
        assertThat(new WorkerLaunch(new LocalLauncher(), WorkerLaunch.LOCAL).isPlainLocal()).isTrue();
        WorkerLaunch wrapped = new WorkerLaunch(new WrapLauncher(), URI.create("wrap:nice"));
        assertThat(wrapped.onThisHost()).isTrue();
        assertThat(wrapped.isPlainLocal()).isFalse();
        assertThat(SpawnOptions.builder().launcher("local:").build().launcher().orElseThrow().getScheme())
                .isEqualTo("local");
    }

    @Test
    void aWholeCommandStaysAsItIsWithTheMarkersEnvironmentAndDirectory() {
        WorkerCommand whole = new WorkerCommand("/opt/app/run-worker", List.of(), List.of(), List.of(), "",
                List.of(WorkerCommand.MARKER, "w-2", "child-of-1@h"), Map.of("B", "2"),
                Optional.of(Path.of("/srv/app")), List.of("/opt/app/run-worker", "--quiet"));
        LaunchSpec spec = LaunchSpecs.of(whole);
        assertThat(spec.isWholeCommand()).isTrue();
        assertThat(spec.command()).containsExactly("/opt/app/run-worker", "--quiet");
        assertThat(spec.classPath()).isEmpty();
        assertThat(spec.jvmOptions()).isEmpty();
        assertThat(spec.arguments()).containsExactly(WorkerCommand.MARKER, "w-2", "child-of-1@h");
        assertThat(spec.environment()).containsEntry("B", "2");
        assertThat(spec.workingDirectory()).contains(Path.of("/srv/app"));
    }
}
