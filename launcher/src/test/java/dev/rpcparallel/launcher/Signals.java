package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends signals with {@code kill}, to several processes in one command (one instant, as Ctrl-Z does). */
final class Signals {
    private Signals() {}

    static void send(String signal, long... pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        for (long pid : pids) {
            command.add(Long.toString(pid));
        }
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).as("kill -%s ended", signal).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %s", signal, command).isZero();
    }

    /** Whether a process is stopped (state T in {@code /proc/PID/stat}). */
    static boolean isStopped(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
        } catch (IOException e) {
            return false;
        }
    }
}
