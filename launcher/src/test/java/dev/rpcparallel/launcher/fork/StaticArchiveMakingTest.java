package dev.rpcparallel.launcher.fork;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.launch.ClassDataSharingOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What becomes of an archive maker's class list once the maker has exited: a real
 * {@code java -Xshare:dump} of it, installed only when the maker exited with status 0.
 */
class StaticArchiveMakingTest {
    /** A class list as a maker writes it: JDK classes (a static dump needs java.lang.Object and its peers first). */
    private static final String CLASS_LIST = String.join("\n", "java/lang/Object id: 0", "java/lang/String id: 1",
            "java/lang/Integer id: 2", "java/util/ArrayList id: 3", "java/util/HashMap id: 4", "");
    private static final String JAVA = WorkerCommand.javaBinary();

    @TempDir
    Path directory;
    private Path cache;
    private Path jar;
    private Path archive;
    private Path checksum;
    private Path claim;
    private StaticArchiveMaking making;

    @BeforeEach
    void claimAnArchive() throws IOException {
        cache = Files.createDirectories(directory.resolve("cds"));
        jar = directory.resolve("app.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.finish();
        }
        archive = cache.resolve("worker-k.jsa");
        checksum = cache.resolve("worker-k.jsa.crc32c");
        claim = cache.resolve("worker-k.jsa.lock");
        assertThat(CdsArchives.claim(claim)).isTrue();
        StaticArchiveMaking.StaticArchiveDump dump = new StaticArchiveMaking.StaticArchiveDump(JAVA, jar.toString(),
                ClassDataSharingOptions.staticDumpOptions(List.of("-XX:+UseSerialGC", "-Xmx256m",
                        "-XX:+HeapDumpOnOutOfMemoryError", "-Dcolour=blue")));
        making = new StaticArchiveMaking(dump, cache.resolve("worker-k.jsa." + OwnerProcess.current().tag() + "-1"),
                archive, checksum, claim);
    }

    @Test
    void aMakerThatExitedWithZeroHasItsClassListDumpedIntoAnArchiveAJvmMaps() throws Exception {
        writeClassList();

        making.finish(0);

        assertThat(cacheFiles()).containsExactlyInAnyOrder("worker-k.jsa", "worker-k.jsa.crc32c");
        assertThat(Files.readString(checksum, UTF_8)).isEqualTo(CdsArchives.checksumOf(archive));
        Process java = new ProcessBuilder(JAVA, "-XX:+UseSerialGC", "-Xmx256m", "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load", "-cp", jar.toString(), "-version")
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as("a JVM that must map the archive (-Xshare:on); it printed:%n%s", output).isZero();
        assertThat(output).contains("java.util.ArrayList source: shared objects file");
    }

    @Test
    void aMakerThatExitedOtherwiseLeavesNoArchiveAndReleasesTheClaim() throws Exception {
        writeClassList(); // a maker that fails after its start path has written its list all the same

        making.finish(1);

        assertThat(cacheFiles()).as("no archive, no claim, no temporary file").isEmpty();
        assertThat(CdsArchives.claim(claim)).as("the next spawn's claim").isTrue();
    }

    @Test
    void aMakerThatNeverRanReleasesTheClaimAndOnlyTheFirstOutcomeCounts() throws Exception {
        making.giveUp();
        writeClassList(); // too late: given up
        making.finish(0);

        assertThat(cacheFiles()).containsExactly("worker-k.jsa." + OwnerProcess.current().tag() + "-1.classlist.tmp");
        assertThat(CdsArchives.claim(claim)).isTrue();
    }

    @Test
    void aDumpThatFailsInstallsNothing() throws Exception {
        writeClassList();
        // A dump whose JVM cannot start (an option it does not know): it exits with 1.
        StaticArchiveMaking failing = new StaticArchiveMaking(new StaticArchiveMaking.StaticArchiveDump(JAVA,
                jar.toString(), List.of("-XX:+NoSuchOption")), cache.resolve("worker-k.jsa."
                        + OwnerProcess.current().tag() + "-1"), archive, checksum, claim);

        failing.finish(0);

        assertThat(cacheFiles()).isEmpty();
        assertThat(CdsArchives.claim(claim)).isTrue();
    }

    @Test
    void theDumpTakesTheOptionsThatMustMatchAndChoosesG1ItsOwnWay() {
        // The one policy of spi's ClassDataSharingOptions, which launch-ssh's remote dumps take too.
        assertThat(ClassDataSharingOptions.staticDumpOptions(List.of("-XX:+UseSerialGC", "-Xmx64m", "-Xss1m",
                "-XX:-UseCompressedOops", "-XX:StartFlightRecording=duration=1s", "-XX:HeapDumpPath=/tmp/x",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dcolour=blue", "-javaagent:a.jar",
                "-Xlog:gc", "-XX:+UnlockDiagnosticVMOptions", "-XX:TieredStopAtLevel=1")))
                .containsExactly("-Xmx64m", "-XX:-UseCompressedOops", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "-XX:+UnlockDiagnosticVMOptions", "-XX:TieredStopAtLevel=1", "-XX:+UseG1GC");
    }

    private void writeClassList() throws IOException {
        Files.writeString(cache.resolve("worker-k.jsa." + OwnerProcess.current().tag() + "-1.classlist.tmp"),
                CLASS_LIST, UTF_8);
    }

    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
