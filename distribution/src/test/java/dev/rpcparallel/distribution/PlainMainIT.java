package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's plain-main master, {@code PrimesMaster}, as its own JVM with the
 * distribution's jars on the class path ({@code java -cp "lib/*:plugins/*" ...}), as the README
 * says, with no launcher script and no CLI.
 */
class PlainMainIT {
    private static final Path DISTRIBUTION = Path.of("target", "rpc-parallel").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void primesMasterPrintsItsResultsAndLeavesNoWorker() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(DISTRIBUTION.resolve("lib") + File.separator + "*" + File.pathSeparator
                + DISTRIBUTION.resolve("plugins") + File.separator + "*");
        command.add("dev.rpcparallel.sample.master.PrimesMaster");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process master = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(master.waitFor(3, TimeUnit.MINUTES)).as("the program finished").isTrue();
            String stdout = Files.readString(out, UTF_8);
            assertThat(master.exitValue()).as(stdout + Files.readString(err, UTF_8)).isZero();
            assertThat(stdout.lines().filter(line -> !line.startsWith("[worker "))).containsExactly(
                    "primes below 10^7: 664579, below 10^6: 78498",
                    "primes in [1000, 1100): [1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049, 1051, 1061, 1063, 1069,"
                            + " 1087, 1091, 1093, 1097]");
            MasterProcesses.awaitNone(master.pid(), Duration.ofSeconds(5));
        } finally {
            master.destroyForcibly();
        }
    }
}
