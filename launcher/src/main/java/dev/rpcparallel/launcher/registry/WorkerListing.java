package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.ImmutableList;
import dev.rpcparallel.api.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The worker listing: the worker type names of an application, one per line, in the order
 * that gives them their numeric ids (the first is 1). It pins the order of the plugins found
 * by {@link java.util.ServiceLoader}, which otherwise follows the class path.
 *
 * <p>Where it comes from, first match wins:
 * <ol>
 *   <li>the file named by the system property {@value #PROPERTY};
 *   <li>the one class path resource {@value #RESOURCE}; two or more of them is an error, since
 *       their combined order would again depend on the class path.
 * </ol>
 * Blank lines and everything after {@code #} are ignored.
 */
public final class WorkerListing {
    /** The system property naming a listing file that overrides the class path resource. */
    public static final String PROPERTY = "rpcparallel.workers";
    /** The class path resource holding the listing. */
    public static final String RESOURCE = "META-INF/rpc-parallel/workers.list";

    private final String location;
    private final List<String> names;
    private final boolean present;

    private WorkerListing(String location, List<String> names, boolean present) {
        this.location = location;
        this.names = ImmutableList.copyOf(names);
        this.present = present;
    }

    /** No listing: an application without worker plugins. */
    static WorkerListing none() {
        return new WorkerListing("(no worker listing)", List.of(), false);
    }

    /** Parses a listing's text; {@code location} names where it came from in error messages. */
    public static WorkerListing parse(String location, String text) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = line.indexOf('#');
            String name = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[A-Za-z][A-Za-z0-9._-]{0,63}")) {
                throw new RegistryException("The worker listing " + location + " has an invalid worker type name '"
                        + name + "' on line " + (i + 1) + ": use 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter");
            }
            if (!seen.add(name)) {
                throw new RegistryException("The worker listing " + location + " names '" + name
                        + "' twice (again on line " + (i + 1) + "): remove the second line");
            }
            names.add(name);
        }
        return new WorkerListing(location, names, true);
    }

    /**
     * Finds the listing for this process: the file named by {@value #PROPERTY}, else the class
     * path resource; with neither, a listing whose {@link #isPresent()} is false.
     */
    public static WorkerListing find(ClassLoader classLoader) {
        String file = System.getProperty(PROPERTY);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            try {
                return parse(path.toAbsolutePath().toString(), Files.readString(path, UTF_8));
            } catch (IOException e) {
                throw new RegistryException("Cannot read the worker listing " + path.toAbsolutePath()
                        + " named by -D" + PROPERTY + ": " + e, e);
            }
        }
        List<URL> resources;
        try {
            resources = Collections.list(classLoader.getResources(RESOURCE));
        } catch (IOException e) {
            throw new RegistryException("Cannot look up " + RESOURCE + " on the class path: " + e, e);
        }
        if (resources.isEmpty()) {
            return none();
        }
        if (resources.size() > 1) {
            throw new RegistryException("Found " + resources.size() + " worker listings (" + RESOURCE + ") on the class path: "
                    + resources + ". Their combined order would depend on the class path order. Keep one listing"
                    + " that names every worker type: in a plugins directory, its file workers.list; otherwise"
                    + " choose one file with -D" + PROPERTY + "=FILE.");
        }
        URL url = resources.get(0);
        try (InputStream in = url.openStream()) {
            return parse(url.toString(), new String(in.readAllBytes(), UTF_8));
        } catch (IOException e) {
            throw new RegistryException("Cannot read the worker listing " + url + ": " + e, e);
        }
    }

    /** Whether a listing was found. */
    public boolean isPresent() {
        return present;
    }

    /** Where the listing came from: a file path or a resource URL. */
    public String location() {
        return location;
    }

    /** The worker type names in order; the first has id 1. */
    public List<String> names() {
        return names;
    }
}
