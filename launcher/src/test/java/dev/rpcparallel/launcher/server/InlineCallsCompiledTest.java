package dev.rpcparallel.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.FrameChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call path the JIT compiled while calls came back to back survives the first call after a
 * pause, when the inline-call watchdog sleeps and that call must wake it: a child JVM makes
 * calls until C2 has compiled them, pauses until the watchdog sleeps, calls again, and its
 * HotSpot compilation log ({@code -XX:+LogCompilation}) must name no uncommon trap taken in
 * {@link InlineCalls#start}. Before the waking path was kept in the profile, C2 compiled the
 * never-taken branch as an {@code unstable_if} trap, taken by every first call after a pause.
 */
class InlineCallsCompiledTest {
    /** Calls per busy spell: enough for C2 to compile the loop and what it inlines (thousands suffice). */
    static final int CALLS_PER_SPELL = 300_000;
    /** Busy spells, each after a pause long enough for the watchdog to sleep. */
    static final int SPELLS = 3;

    @Test
    void aCallAfterAPauseWakesTheWatchdogWithoutThrowingAwayCompiledCode(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("compilation.xml");
        Path out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation",
                "-XX:LogFile=" + log, "-cp", System.getProperty("java.class.path"), SpellsOfCalls.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child's calls ended").isTrue();
        } finally {
            child.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(child.exitValue()).as("the child's exit (its output: %s)", output).isZero();
        assertThat(output).contains("spells done: " + SPELLS);

        String compilation = Files.readString(log, StandardCharsets.UTF_8);
        // The test can fail only if C2 compiled the calls: the child's call method, start inlined.
        assertThat(c2Compiled(compilation)).as("methods C2 compiled in the child")
                .contains(SpellsOfCalls.class.getName() + " call");
        assertThat(trapsIn(compilation, InlineCalls.class.getName() + " start"))
                .as("uncommon traps the child took in InlineCalls.start").isEmpty();
    }

    /** The methods of the C2 nmethods in a HotSpot compilation log (class and name). */
    private static List<String> c2Compiled(String compilation) {
        Matcher nmethod = Pattern.compile("<nmethod [^>]*compiler='c2'[^>]*method='([^ ']+ [^ ']+)")
                .matcher(compilation);
        List<String> methods = new ArrayList<>();
        while (nmethod.find()) {
            methods.add(nmethod.group(1));
        }
        return methods;
    }

    /**
     * The uncommon traps compiled code took at run time (the log's {@code <uncommon_trap thread=...>}
     * elements, not the compilers' own notes) in {@code method} (class and name), with their reasons.
     */
    private static List<String> trapsIn(String compilation, String method) {
        Matcher trap = Pattern
                .compile("<uncommon_trap thread='\\d+' reason='(\\w+)'.*?</uncommon_trap>", Pattern.DOTALL)
                .matcher(compilation);
        List<String> traps = new ArrayList<>();
        while (trap.find()) {
            if (trap.group().contains("method='" + method + " ")) {
                traps.add(trap.group(1) + ": " + trap.group());
            }
        }
        return traps;
    }

    /** The child: spells of back-to-back calls, each spell after the watchdog fell asleep. */
    static final class SpellsOfCalls {
        public static void main(String[] args) {
            FrameChannel channel = new InlineCallsTest.Unused();
            Supplier<String> label = () -> "call";
            for (int spell = 0; spell < SPELLS; spell++) {
                await().atMost(Duration.ofSeconds(30)).until(InlineCalls::watchdogAsleep);
                for (int i = 0; i < CALLS_PER_SPELL; i++) {
                    call(channel, label);
                }
            }
            System.out.println("spells done: " + SPELLS);
        }

        static void call(FrameChannel channel, Supplier<String> label) {
            // A call the machine held up past the limit is handed off to nowhere.
            InlineCalls.start(channel, label).finish();
        }
    }
}
