package dev.rpcparallel.launcher.fork;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Says why a local process could not start when the operating system's answer points elsewhere:
 * a working directory that does not exist makes the JDK report {@code Cannot run program ".../java"
 * (in directory ...): error=2, No such file or directory}, as if {@code java} were missing, and an
 * output file in a missing directory reads as a failure to run {@code java} too. Only consulted
 * once a start has failed, so a start that succeeds pays nothing.
 */
final class ProcessStartFailure {
    private ProcessStartFailure() {}

    /**
     * The failure to report for {@code failure}: one naming the spawn option at fault and the fix
     * when the working directory or an output file's directory is missing, else {@code failure}.
     */
    static IOException explain(IOException failure, Optional<Path> workingDirectory, ProcessBuilder.Redirect stdout,
            ProcessBuilder.Redirect stderr) {
        if (workingDirectory.isPresent() && !Files.isDirectory(workingDirectory.get())) {
            return new IOException("its working directory " + workingDirectory.get().toAbsolutePath()
                    + " (SpawnOptions.workingDirectory) does not exist or is not a directory: create it, or choose"
                    + " another", failure);
        }
        for (ProcessBuilder.Redirect redirect : new ProcessBuilder.Redirect[] {stdout, stderr}) {
            File file = redirect.file();
            if (file == null) {
                continue;
            }
            Path directory = file.toPath().toAbsolutePath().getParent();
            if (directory != null && !Files.isDirectory(directory)) {
                String option = redirect == stdout ? "redirectStdout" : "redirectStderr";
                return new IOException("its " + (redirect == stdout ? "stdout" : "stderr") + " file "
                        + file.toPath().toAbsolutePath() + " (SpawnOptions." + option + ") cannot be opened: its"
                        + " directory " + directory + " does not exist; create it, or choose another file", failure);
            }
        }
        return failure;
    }
}
