package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.SpawnOptions;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the master names its selector provider on a worker's command line, and when it leaves the choice to the worker. */
class SelectorProviderOptionTest {
    private static final ClassDataSharing.Plan NO_CDS = new ClassDataSharing.Plan(List.of(), Optional.empty(), "none");
    private static final List<String> CLASSPATH = List.of("-cp", "/app/a.jar:/app/b.jar");
    private static final String NAMED = "-D" + SelectorProviderOption.PROPERTY + "="
            + SelectorProvider.provider().getClass().getName();

    private static List<String> jvmOptions(SpawnOptions options, boolean onThisHost) {
        return WorkerCommand.forSpawn(options, "w-1", "child-of-42@host", CLASSPATH, NO_CDS, onThisHost).jvmOptions();
    }

    @Test
    void aWorkerOnThisHostWithTheMastersClassPathIsToldTheMastersProvider() {
        assertThat(jvmOptions(SpawnOptions.builder().build(), true)).containsOnlyOnce(NAMED);
    }

    @Test
    void aWorkerElsewhereOrWithAClassPathOrOptionsOfItsOwnChoosesForItself() {
        assertThat(jvmOptions(SpawnOptions.builder().build(), false))
                .noneMatch(option -> option.startsWith("-D" + SelectorProviderOption.PROPERTY));
        assertThat(jvmOptions(SpawnOptions.builder().workerClasspath(List.of(Path.of("/app/c.jar"))).build(), true))
                .noneMatch(option -> option.startsWith("-D" + SelectorProviderOption.PROPERTY));
        assertThat(jvmOptions(SpawnOptions.builder().inheritJvmOptions(false).build(), true))
                .noneMatch(option -> option.startsWith("-D" + SelectorProviderOption.PROPERTY));
    }

    @Test
    void aSpawnNamingAProviderOfItsOwnKeepsItsChoice() {
        String own = "-D" + SelectorProviderOption.PROPERTY + "=com.example.OwnProvider";
        assertThat(SelectorProviderOption.forWorker(SpawnOptions.builder().addJvmOptions(own).build())).isEmpty();
    }

    @Test
    void onlyAPublicClassWithAPublicConstructorTakingNothingCanBeNamed() {
        assertThat(SelectorProviderOption.makeableByName(SelectorProvider.provider().getClass())).isTrue();
        assertThat(SelectorProviderOption.makeableByName(HiddenProvider.class)).isFalse();
        assertThat(SelectorProviderOption.makeableByName(NeedsAnArgument.class)).isFalse();
    }

    private static final class HiddenProvider {}

    public static final class NeedsAnArgument {
        public NeedsAnArgument(int argument) {}
    }
}
