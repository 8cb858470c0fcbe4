package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bin/rpc-parallel} prints for help requests and mistakes: one line naming the
 * problem and the fix, the right exit code, no exception class names. None of these starts a
 * worker, except the settings check, which fails before the first one starts.
 */
class CliMessagesIT {
    private static final Path HOME = Path.of("target", "rpc-parallel").toAbsolutePath();
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private record Result(int exitCode, String stdout, String stderr) {}

    private Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/rpc-parallel").toString());
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("RPC_PARALLEL_SETTINGS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("rpc-parallel finished").isTrue();
        return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** The version of the launcher jar the distribution ships, from its file name. */
    private static String shippedVersion() throws IOException {
        try (Stream<Path> jars = Files.list(HOME.resolve("lib"))) {
            String name = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("rpc-parallel-launcher-") && n.endsWith(".jar"))
                    .findFirst().orElseThrow();
            return name.substring("rpc-parallel-launcher-".length(), name.length() - ".jar".length());
        }
    }

    @Test
    void transportsListsEachTransportWhetherItCanBeUsedAndWhichIsChosen() throws Exception {
        Result byDefault = run("transports");
        assertThat(byDefault.exitCode()).as(byDefault.stderr()).isZero();
        assertThat(byDefault.stdout().lines().toList()).contains(
                "thrift   available", "local    available", "unix     available  (chosen)",
                "Workers on this host: unix (workers on this host: Unix domain sockets are faster than TCP here and"
                        + " open no network port).",
                "Workers on other hosts: thrift (the worker runs on another host).");

        Result tcp = run(Map.of("RPC_PARALLEL_SETTINGS", "transport=thrift"), "transports");
        assertThat(tcp.stdout().lines().toList()).contains("thrift   available  (chosen)",
                "Workers on this host: thrift (named by the settings (transport=thrift)).",
                "Workers on other hosts: thrift (named by the settings (transport=thrift)).");

        Result unix = run(Map.of("RPC_PARALLEL_SETTINGS", "transport=unix"), "transports");
        assertThat(unix.exitCode()).as(unix.stderr()).isZero();
        assertThat(unix.stdout().lines().toList()).contains("thrift   available", "unix     available  (chosen)");

        Result missing = run(Map.of("RPC_PARALLEL_SETTINGS", "transport=carrier-pigeon"), "transports");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stdout()).contains("The chosen transport 'carrier-pigeon' is not on the class path.");
    }

    @Test
    void versionPrintsTheBuildsVersion() throws Exception {
        Result result = run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("rpc-parallel " + shippedVersion() + NL + "Java ")
                .doesNotContain("development build");
    }

    @Test
    void tourHelpPrintsTheTourUsageInsteadOfRunningIt() throws Exception {
        Result result = run("run", "tour", "--help");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("Usage: tour [-h]").contains("Takes no arguments.")
                .doesNotContain("rpc: square");
    }

    @Test
    void aMistypedAppGetsTheCloseNamesSuggested() throws Exception {
        Result result = run("run", "prime");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("rpc-parallel: no app named 'prime'. Did you mean 'primes' or"
                + " 'primestream'? Apps:" + NL);
    }

    @Test
    void anAppNameFarFromAnyGetsNoSuggestion() throws Exception {
        Result result = run("run", "quux");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("rpc-parallel: no app named 'quux'. Apps:" + NL);
    }

    @Test
    void primestreamWithALimitBelowThreeIsABadArgument() throws Exception {
        Result result = run("run", "primestream", "--limit", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("--limit must be at least 3, not 0: there is no prime below 0,"
                + " so there would be nothing to stream" + NL);
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void wordcountOnAMissingFileNamesItAsABadArgument() throws Exception {
        Path missing = dir.resolve("no-such-file.txt");
        Result result = run("run", "wordcount", missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("no such file or directory: " + missing
                + " (FILE names a text file, or a directory whose files are all read)" + NL)
                .doesNotContain("Exception");
    }

    @Test
    void aBadSettingsValueNamesTheEntryAndTheAcceptedForms() throws Exception {
        Result result = run(Map.of("RPC_PARALLEL_SETTINGS", "maxMessageSize=1kb"),
                "run", "primes", "--workers", "1", "--limit", "1000");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("primes: RPC_PARALLEL_SETTINGS: cannot apply 'maxMessageSize=1kb':"
                + " '1kb' is not a size in bytes: write 1048576, 1024k or 1m" + NL);
    }
}
