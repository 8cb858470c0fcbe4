package dev.rpcparallel.launcher.fork;

/** Describes a process exit status the way a user wants to read it. */
public final class ExitStatus {
    private ExitStatus() {}

    /**
     * {@code "exit code 3"}, or for statuses above 128 that the JDK reports for a signal on
     * POSIX systems, {@code "killed by signal 9 (SIGKILL)"}.
     */
    public static String describe(int status) {
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String name = switch (signal) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 3 -> "SIGQUIT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> null;
            };
            return "killed by signal " + signal + (name == null ? "" : " (" + name + ")")
                    + " (exit status " + status + ")";
        }
        return "exit code " + status;
    }
}
