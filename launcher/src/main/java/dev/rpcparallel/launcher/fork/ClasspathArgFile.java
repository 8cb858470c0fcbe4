package dev.rpcparallel.launcher.fork;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code @argfile} that gives one worker JVM its class path (and the settings that go with
 * it): one file per spawn, in the temporary directory, named
 * {@code rpc-parallel-classpath-PID-STARTMILLIS-*.argfile} after the master that wrote it
 * ({@link OwnerProcess}). Nothing of it outlives its use, whoever dies when:
 * <ul>
 *   <li>the worker deletes it first thing ({@link #deleteOwn()}: the {@code java} launcher has
 *       read it before the worker's main runs); the worker finds it as the {@code @FILE} argument
 *       of its own command line, so that nothing of it shows among the worker's JVM options;</li>
 *   <li>the master deletes it when the worker's process exits, or at once if it cannot start
 *       (a worker that dies before its main);</li>
 *   <li>a master, when it writes its first one, deletes those whose owner is gone (a master and
 *       its starting worker both killed).</li>
 * </ul>
 */
public final class ClasspathArgFile {
    /** How every such file's name starts. */
    public static final String PREFIX = "rpc-parallel-classpath-";
    /** How every such file's name ends. */
    public static final String SUFFIX = ".argfile";
    private static final AtomicBoolean STALE_DELETED = new AtomicBoolean();

    private ClasspathArgFile() {}

    /** Writes a new argfile of {@code arguments}, one a line, quoted. */
    static Path write(List<String> arguments) throws IOException {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        if (STALE_DELETED.compareAndSet(false, true)) {
            Thread cleaner = new Thread(() -> deleteStale(directory), "rpc-parallel-argfile-cleanup");
            cleaner.setDaemon(true);
            cleaner.start();
        }
        Path file = Files.createTempFile(directory, PREFIX + OwnerProcess.current().tag() + "-", SUFFIX);
        try {
            StringBuilder text = new StringBuilder();
            for (String argument : arguments) {
                text.append(quoted(argument)).append('\n');
            }
            Files.writeString(file, text, UTF_8);
        } catch (IOException | RuntimeException e) {
            delete(file);
            throw e;
        }
        return file;
    }

    /**
     * In a worker: deletes the argfile it was started with, if any: the {@code @FILE} argument
     * of its command line (as the operating system shows it) that names one of these files.
     */
    public static void deleteOwn() {
        try {
            for (String argument : ProcessHandle.current().info().arguments().orElse(new String[0])) {
                if (isOwnArgFile(argument)) {
                    Files.deleteIfExists(Path.of(argument.substring(1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Left to its master, which deletes it when this process exits; no logger on the
            // worker's start path (it would start Log4j).
        }
    }

    private static boolean isOwnArgFile(String argument) {
        if (!argument.startsWith("@") || !argument.endsWith(SUFFIX)) {
            return false;
        }
        Path file = Path.of(argument.substring(1)).getFileName();
        return file != null && file.toString().startsWith(PREFIX);
    }

    static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log().debug("Cannot delete the worker argfile {}: {}", file, e.toString());
        }
    }

    private static Logger log() {
        return LogManager.getLogger(ClasspathArgFile.class);
    }

    /** Deletes the argfiles in {@code directory} whose master has exited. */
    static int deleteStale(Path directory) {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean gone = OwnerProcess.parse(name.substring(PREFIX.length())).map(OwnerProcess::isGone)
                        .orElse(false);
                if (gone && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            log().debug("Cannot look for argfiles of exited masters in {}: {}", directory, e.toString());
        }
        return deleted;
    }
}
