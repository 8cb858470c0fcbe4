package dev.rpcparallel.launcher.fork;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Which of the master's JVM options a worker inherits, and in what form. Most pass unchanged; an
 * option that names something only one JVM can hold is either dropped (a port: the master holds
 * it, and a worker given it would fail to start or fail to listen) or made per-worker (an output
 * file: the worker's name is inserted into the file name, so that two JVMs never write, truncate
 * or refuse the same file). The JVM's own {@code %p} is not relied on: Java 17 expands it in
 * {@code -Xlog} file names but not in {@code -XX:HeapDumpPath} or a flight recording's
 * {@code filename}.
 *
 * <table>
 * <caption>What a worker gets of the master's options</caption>
 * <tr><th>The master's option</th><th>The worker's</th></tr>
 * <tr><td>{@code -agentlib:jdwp=…}, {@code -Xrunjdwp…}, {@code -Xdebug}</td><td>dropped</td></tr>
 * <tr><td>{@code -Dcom.sun.management.jmxremote.port=…}, {@code …jmxremote.rmi.port=…},
 *     {@code -Dcom.sun.management.config.file=…}</td><td>dropped</td></tr>
 * <tr><td>{@code -XX:ArchiveClassesAtExit=…}</td><td>dropped</td></tr>
 * <tr><td>{@code -XX:HeapDumpPath=dir/heap.hprof}</td><td>{@code -XX:HeapDumpPath=dir/heap-NAME.hprof}
 *     (a directory is kept: the JVM names its dump by pid)</td></tr>
 * <tr><td>{@code -XX:StartFlightRecording=…,filename=rec.jfr}</td><td>{@code …,filename=rec-NAME.jfr}</td></tr>
 * <tr><td>{@code -Xlog:…:file=gc.log…}, {@code -Xloggc:gc.log}</td><td>{@code -Xlog:…:file=gc-NAME.log…},
 *     {@code -Xloggc:gc-NAME.log}</td></tr>
 * </table>
 *
 * <p>Stateless; safe from any thread.
 */
public final class InheritedJvmOptions {
    private static final String HEAP_DUMP_PATH = "-XX:HeapDumpPath=";
    private static final String FLIGHT_RECORDING = "-XX:StartFlightRecording";
    private static final String XLOG = "-Xlog:";
    private static final String XLOGGC = "-Xloggc:";

    private InheritedJvmOptions() {}

    /** The options this JVM was started with, as a worker named {@code workerName} gets them. */
    public static List<String> ofThisJvmForWorker(String workerName) {
        return forWorker(ManagementFactory.getRuntimeMXBean().getInputArguments(), workerName);
    }

    /**
     * The options this JVM was started with that a worker inherits, with file names as the master
     * has them: what every worker shares (a CDS archive key), not what one gets.
     */
    public static List<String> ofThisJvm() {
        return kept(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The master's {@code options} a worker named {@code workerName} gets, in their order. */
    public static List<String> forWorker(List<String> options, String workerName) {
        String tag = "-" + safeFileNamePart(workerName);
        List<String> result = new ArrayList<>();
        for (String option : kept(options)) {
            result.add(perWorker(option, tag));
        }
        return result;
    }

    /** The options that are not dropped, unchanged. */
    static List<String> kept(List<String> options) {
        return options.stream().filter(option -> !dropped(option)).toList();
    }

    private static boolean dropped(String option) {
        return option.startsWith("-agentlib:jdwp")
                || option.startsWith("-Xrunjdwp")
                || option.equals("-Xdebug")
                // Given with -cp in the worker's argument file, or describing the master's own launch.
                || option.startsWith("-Djava.class.path=")
                || option.startsWith("-Dsun.java.command=")
                || option.startsWith("-Djdk.module.")
                // A CDS dump file of this JVM's own; several JVMs writing it would ruin it.
                || option.startsWith("-XX:ArchiveClassesAtExit")
                // The master's JMX agent holds these ports: a worker's agent would fail the JVM's start.
                || option.startsWith("-Dcom.sun.management.jmxremote.port=")
                || option.startsWith("-Dcom.sun.management.jmxremote.rmi.port=")
                || option.startsWith("-Dcom.sun.management.config.file=");
    }

    private static String perWorker(String option, String tag) {
        if (option.startsWith(HEAP_DUMP_PATH)) {
            String path = option.substring(HEAP_DUMP_PATH.length());
            return isDirectory(path) ? option : HEAP_DUMP_PATH + withTag(path, tag);
        }
        if (option.startsWith(FLIGHT_RECORDING + "=") || option.startsWith(FLIGHT_RECORDING + ":")) {
            return flightRecording(option, tag);
        }
        if (option.startsWith(XLOG)) {
            return unifiedLogging(option, tag);
        }
        if (option.startsWith(XLOGGC)) {
            return XLOGGC + withTag(option.substring(XLOGGC.length()), tag);
        }
        return option;
    }

    /** {@code -XX:StartFlightRecording=k=v,…}: the {@code filename} parameter, when it names a file. */
    private static String flightRecording(String option, String tag) {
        int start = FLIGHT_RECORDING.length() + 1;
        String[] parameters = option.substring(start).split(",", -1);
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].startsWith("filename=")) {
                String path = parameters[i].substring("filename=".length());
                if (!path.isEmpty() && !isDirectory(path)) {
                    parameters[i] = "filename=" + withTag(path, tag);
                }
            }
        }
        return option.substring(0, start) + String.join(",", parameters);
    }

    /**
     * {@code -Xlog:what:output:decorators:output-options}, where the output is {@code stdout},
     * {@code stderr}, {@code #0}, {@code #1}, {@code file=NAME} or a bare file name, possibly quoted.
     */
    private static String unifiedLogging(String option, String tag) {
        List<String> parts = splitOutsideQuotes(option.substring(XLOG.length()));
        if (parts.size() < 2) {
            return option;
        }
        String output = parts.get(1);
        String prefix = output.startsWith("file=") ? "file=" : "";
        String file = output.substring(prefix.length());
        if (file.isEmpty() || file.equals("stdout") || file.equals("stderr") || file.startsWith("#")) {
            return option;
        }
        parts.set(1, prefix + mapQuoted(file, path -> withTag(path, tag)));
        return XLOG + String.join(":", parts);
    }

    private static List<String> splitOutsideQuotes(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ':' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String mapQuoted(String file, UnaryOperator<String> change) {
        if (file.length() >= 2 && file.startsWith("\"") && file.endsWith("\"")) {
            return "\"" + change.apply(file.substring(1, file.length() - 1)) + "\"";
        }
        return change.apply(file);
    }

    /** {@code dir/name.ext} becomes {@code dir/name-TAG.ext}; a name without extension gets the tag at its end. */
    static String withTag(String path, String tag) {
        int nameStart = Math.max(path.lastIndexOf('/'), path.lastIndexOf(java.io.File.separatorChar)) + 1;
        int dot = path.lastIndexOf('.');
        if (dot <= nameStart) {
            return path + tag;
        }
        return path.substring(0, dot) + tag + path.substring(dot);
    }

    /** A worker name as a file-name part: characters other than letters, digits, '.', '_' and '-' become '_'. */
    static String safeFileNamePart(String workerName) {
        return Optional.ofNullable(workerName).filter(name -> !name.isEmpty()).orElse("worker")
                .replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static boolean isDirectory(String path) {
        try {
            return Files.isDirectory(Path.of(path));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
