package dev.rpcparallel.launcher.sharing;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The text of an access file, and of a live worker's entry, which is an access file with what
 * {@code ps} shows: a {@code .properties} text naming the worker ({@link WorkerRef}), its key in
 * Base64, and, for an entry, its pid, its master's pid, and when it started serving.
 *
 * @param access the worker and its key
 * @param pid the worker's process id, 0 if unknown
 * @param masterPid the pid of the master that spawned it, 0 if unknown
 * @param startedMillis when it started serving (epoch milliseconds), 0 if unknown
 * @param processStart when its process started, as {@link ProcessHandle.Info#startInstant}
 *     gives it ("" if unknown): with the pid, names the process even once pids are reused
 */
public record AccessFile(WorkerAccess access, long pid, long masterPid, long startedMillis, String processStart) {
    static final String FORMAT = "rpc-parallel-worker-access-1";

    /** Writes this mode 0600 to {@code file}, in a folder of the private runtime directory. */
    public void writeTo(Path file) {
        Properties properties = new Properties();
        WorkerRef worker = access.worker();
        properties.setProperty("format", FORMAT);
        properties.setProperty("workerType", worker.workerType());
        properties.setProperty("id", worker.id());
        properties.setProperty("name", worker.name());
        properties.setProperty("address", worker.address());
        properties.setProperty("key", Base64.getEncoder().encodeToString(access.key()));
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("masterPid", Long.toString(masterPid));
        properties.setProperty("startedMillis", Long.toString(startedMillis));
        properties.setProperty("processStart", processStart);
        StringBuilder text = new StringBuilder();
        text.append("#rpc-parallel: whoever reads this file can call and stop worker '")
                .append(worker.name().replace('\n', ' ').replace('\r', ' ')).append("'. Keep it private.\n");
        // As Properties.store writes them, without its date line: formatting a date loads the time
        // zone names, a good part of a worker's start (this file is written as it starts).
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            text.append(escaped(name, true)).append('=').append(escaped(properties.getProperty(name), false))
                    .append('\n');
        }
        try {
            RuntimeDirectory.writePrivate(file, text.toString());
        } catch (IOException e) {
            throw new RpcParallelException("Cannot write the access to worker '" + worker.name() + "' to " + file
                    + ": " + e, e);
        }
    }

    /**
     * {@code text} escaped for a properties file ({@link Properties#load(java.io.Reader)} reads it
     * back as it was): backslash escapes for the characters the format gives a meaning, for a
     * leading space (every space in a key), and a backslash-u escape for any character outside
     * printable ASCII.
     */
    static String escaped(String text, boolean key) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '=', ':', '#', '!' -> out.append('\\').append(c);
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u");
                        for (int shift = 12; shift >= 0; shift -= 4) {
                            out.append(Character.forDigit((c >> shift) & 0xF, 16));
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Reads an access file or a live worker's entry.
     *
     * @throws RpcParallelException if it cannot be read, is open to other users, or is not an access file
     */
    public static AccessFile read(Path file) {
        String text;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!RuntimeDirectory.PRIVATE_FILE.containsAll(mode)) {
                throw new RpcParallelException("The worker access file " + file + " has mode "
                        + PosixFilePermissions.toString(mode) + ": other users could have read its key, so it is"
                        + " not used. Export the access again; keep the file mode 0600.");
            }
            text = Files.readString(file);
        } catch (IOException | UncheckedIOException e) {
            throw new RpcParallelException("Cannot read the worker access file " + file + ": " + e, e);
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw notAnAccess(file, "it is not a properties text: " + e.getMessage());
        }
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw notAnAccess(file, "its format is '" + properties.getProperty("format") + "', not '" + FORMAT + "'");
        }
        try {
            WorkerRef worker = new WorkerRef(required(properties, "workerType", file), required(properties, "id", file),
                    required(properties, "name", file), required(properties, "address", file));
            byte[] key = Base64.getDecoder().decode(required(properties, "key", file));
            return new AccessFile(WorkerAccess.of(worker, key), number(properties, "pid"),
                    number(properties, "masterPid"), number(properties, "startedMillis"),
                    properties.getProperty("processStart", ""));
        } catch (IllegalArgumentException e) {
            throw notAnAccess(file, e.getMessage());
        }
    }

    private static String required(Properties properties, String name, Path file) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            throw notAnAccess(file, "it has no " + name);
        }
        return value;
    }

    private static long number(Properties properties, String name) {
        String value = properties.getProperty(name, "0");
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("its " + name + " is '" + value + "', not a number");
        }
    }

    private static RpcParallelException notAnAccess(Path file, String why) {
        return new RpcParallelException("The file " + file + " is not an rpc-parallel worker access: " + why
                + ". Use a file written by WorkerAccess.export, or a worker entry that rpc-parallel ps lists.");
    }
}
