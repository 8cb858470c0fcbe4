package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finds the {@link WorkerListing} of a process, and combines the listings of several jars into
 * one whose order does not depend on the class path. First match wins:
 * <ol>
 *   <li>the file named by the system property {@value #PROPERTY} (a plugins directory's
 *       {@code workers.list} is passed this way);
 *   <li>the application's listing, the class path resource {@value #APPLICATION_RESOURCE}: it
 *       names every worker type and the jars' listings are ignored; two of them is an error;
 *   <li>the jars' listings, the class path resources {@value #JAR_RESOURCE}: each pins the order
 *       of its own types, and the listings are put one after the other, ordered by their smallest
 *       type name, which every process computes the same way whatever its class path order. A
 *       type listed by two jars is an error naming both.
 * </ol>
 * Master and workers compute the listing each on their own; the registry fingerprint they
 * compare at every handshake catches any difference. A worker on its master's host with its
 * master's class path is told which resources its master read ({@link #read}): it reads those
 * itself without looking through every jar for them.
 */
public final class ListingFinder {
    /** The system property naming a listing file that overrides the class path resources. */
    public static final String PROPERTY = "rpcparallel.workers";
    /** The class path resource of one jar's listing of its own worker types. */
    public static final String JAR_RESOURCE = "META-INF/rpc-parallel/workers.list";
    /** The class path resource of an application's listing, which names every worker type. */
    public static final String APPLICATION_RESOURCE = "META-INF/rpc-parallel/application.list";

    private ListingFinder() {}

    /** The listing for a process whose plugins {@code classLoader} sees. */
    static WorkerListing find(ClassLoader classLoader) {
        String file = System.getProperty(PROPERTY);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            try {
                return WorkerListing.parse(path.toAbsolutePath().toString(), Files.readString(path, UTF_8));
            } catch (IOException e) {
                throw new RegistryException("Cannot read the worker listing " + path.toAbsolutePath()
                        + " named by -D" + PROPERTY + ": " + e, e);
            }
        }
        List<URL> applications = resources(classLoader, APPLICATION_RESOURCE);
        if (applications.size() > 1) {
            throw new RegistryException("Found " + applications.size() + " application worker listings ("
                    + APPLICATION_RESOURCE + ") on the class path: " + applications + ". An application listing"
                    + " names every worker type of one application; keep one, or choose a file with -D"
                    + PROPERTY + "=FILE.");
        }
        if (applications.size() == 1) {
            return read(applications.get(0)).withSources(List.of(applications.get(0).toString()));
        }
        List<WorkerListing> jars = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (URL url : resources(classLoader, JAR_RESOURCE)) {
            jars.add(read(url));
            sources.add(url.toString());
        }
        return combine(jars).withSources(sources);
    }

    /**
     * The listing of a worker on its master's host with its master's class path, read from the
     * resources its master's listing was read from ({@link WorkerListing#sources()}) without
     * looking for them: looking asks every jar of the class path for two resources, which opens
     * each jar and reads its central directory. The worker's class path is its master's, so the
     * lookup would find exactly these resources; the worker still reads their text itself, and
     * its registry still compares the result with its master's (names and order). The file named
     * by {@value #PROPERTY} comes first, as in {@link #find}; with no sources, this is {@link #find}.
     *
     * @throws RegistryException if a source cannot be read (the caller then looks, as {@link #find})
     */
    static WorkerListing read(ClassLoader classLoader, List<String> sources) {
        String file = System.getProperty(PROPERTY);
        if (sources.isEmpty() || file != null && !file.isBlank()) {
            return find(classLoader);
        }
        List<WorkerListing> listings = new ArrayList<>();
        for (String source : sources) {
            try {
                // The URL's own text, as the master's class loader made it: parsed back exactly.
                listings.add(read(new URL(source)));
            } catch (MalformedURLException e) {
                throw new RegistryException("Cannot read the worker listing " + source + ": " + e, e);
            }
        }
        WorkerListing listing = sources.size() == 1 && sources.get(0).endsWith(APPLICATION_RESOURCE)
                ? listings.get(0) : combine(listings);
        return listing.withSources(sources);
    }

    /**
     * The jars' listings one after the other, ordered by their smallest type name; an empty
     * listing adds nothing. The result does not depend on the order of {@code jars}.
     *
     * @throws RegistryException if two listings name the same type
     */
    static WorkerListing combine(List<WorkerListing> jars) {
        if (jars.isEmpty()) {
            return WorkerListing.none();
        }
        if (jars.size() == 1) {
            return jars.get(0);
        }
        Map<String, WorkerListing.Entry> byName = new HashMap<>();
        for (WorkerListing jar : jars) {
            for (WorkerListing.Entry entry : jar.entries()) {
                WorkerListing.Entry other = byName.putIfAbsent(entry.name(), entry);
                if (other != null) {
                    String[] both = {other.location(), entry.location()};
                    java.util.Arrays.sort(both);
                    throw new RegistryException("The worker type '" + entry.name() + "' is listed by two jars: "
                            + both[0] + " and " + both[1] + ". A type belongs to the one jar that provides it:"
                            + " remove one of the jars, or pin every type in an application listing ("
                            + APPLICATION_RESOURCE + ", or -D" + PROPERTY + "=FILE).");
                }
            }
        }
        List<WorkerListing> ordered = jars.stream().filter(j -> !j.names().isEmpty())
                .sorted(Comparator.comparing(j -> Collections.min(j.names())))
                .toList();
        List<WorkerListing.Entry> entries = new ArrayList<>();
        ordered.forEach(j -> entries.addAll(j.entries()));
        if (ordered.isEmpty()) {
            return jars.get(0);
        }
        String location = ordered.size() == 1 ? ordered.get(0).location()
                : ordered.size() + " jar listings, ordered by their smallest type name: "
                        + ordered.stream().map(WorkerListing::location).collect(Collectors.joining(", "));
        return new WorkerListing(location, entries, true);
    }

    private static List<URL> resources(ClassLoader classLoader, String name) {
        try {
            return Collections.list(classLoader.getResources(name));
        } catch (IOException e) {
            throw new RegistryException("Cannot look up " + name + " on the class path: " + e, e);
        }
    }

    private static WorkerListing read(URL url) {
        try (InputStream in = url.openStream()) {
            return WorkerListing.parse(url.toString(), new String(in.readAllBytes(), UTF_8));
        } catch (IOException e) {
            throw new RegistryException("Cannot read the worker listing " + url + ": " + e, e);
        }
    }
}
