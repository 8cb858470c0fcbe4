package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.api.RegistryException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The worker listing of a process: the worker type names of the application, in the order that
 * gives them their numeric ids (the first is 1). It pins the order of the plugins found by
 * {@link java.util.ServiceLoader}, which otherwise follows the class path.
 *
 * <p>A listing is one file, or the combination of several jars' listings; {@link ListingFinder}
 * says where it comes from and how several combine. The text of one file is one worker type per
 * line, optionally followed by {@code =} and the binary name of the plugin class that provides
 * it ({@code primes = com.example.PrimesWorker}, as the annotation processor writes it); the
 * registry then checks that this class's {@code type()} has that name. Blank lines and everything
 * after {@code #} are ignored.
 */
public final class WorkerListing {
    /** The system property naming a listing file that overrides the class path resources. */
    public static final String PROPERTY = ListingFinder.PROPERTY;
    /** The class path resource holding one jar's listing of its own types. */
    public static final String RESOURCE = ListingFinder.JAR_RESOURCE;

    private static final String TYPE_NAME = "[A-Za-z][A-Za-z0-9._-]{0,63}";
    private static final String CLASS_NAME = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*";

    /**
     * One line of a listing: a type name, the plugin class that provides it (or null if the line
     * does not say) and the listing it came from.
     */
    public record Entry(String name, String pluginClass, String location) {}

    private final String location;
    private final List<Entry> entries;
    private final List<String> names;
    private final boolean present;
    /** The class path resources it was read from, as URLs; empty for a file or none. */
    private final List<String> sources;

    WorkerListing(String location, List<Entry> entries, boolean present) {
        this(location, entries, present, List.of());
    }

    private WorkerListing(String location, List<Entry> entries, boolean present, List<String> sources) {
        this.location = location;
        this.entries = List.copyOf(entries);
        this.names = entries.stream().map(Entry::name).toList();
        this.present = present;
        this.sources = List.copyOf(sources);
    }

    /** This listing, as read from the class path resources {@code sources}. */
    WorkerListing withSources(List<String> resources) {
        return new WorkerListing(location, entries, present, resources);
    }

    /** No listing: an application without worker plugins. */
    static WorkerListing none() {
        return new WorkerListing("(no worker listing)", List.of(), false);
    }

    /** Parses a listing's text; {@code location} names where it came from in error messages. */
    public static WorkerListing parse(String location, String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            int equals = content.indexOf('=');
            String name = (equals >= 0 ? content.substring(0, equals) : content).strip();
            String pluginClass = equals >= 0 ? content.substring(equals + 1).strip() : null;
            if (!name.matches(TYPE_NAME)) {
                throw new RegistryException("The worker listing " + location + " has an invalid worker type name '"
                        + name + "' on line " + (i + 1) + ": use 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter");
            }
            if (pluginClass != null && !pluginClass.matches(CLASS_NAME)) {
                throw new RegistryException("The worker listing " + location + " has an invalid plugin class name '"
                        + pluginClass + "' after '" + name + " =' on line " + (i + 1)
                        + ": write the binary name of the WorkerPlugin class, or only the type name");
            }
            if (!seen.add(name)) {
                throw new RegistryException("The worker listing " + location + " names '" + name
                        + "' twice (again on line " + (i + 1) + "): remove the second line");
            }
            entries.add(new Entry(name, pluginClass, location));
        }
        return new WorkerListing(location, entries, true);
    }

    /**
     * Finds the listing for this process (see {@link ListingFinder}); with none, a listing whose
     * {@link #isPresent()} is false.
     */
    public static WorkerListing find(ClassLoader classLoader) {
        return ListingFinder.find(classLoader);
    }

    /**
     * The listing read from {@code sources}, the {@link #sources()} of its master's listing, without
     * looking for them (see {@link ListingFinder#read}); with none, as {@link #find}.
     */
    public static WorkerListing read(ClassLoader classLoader, List<String> sources) {
        return ListingFinder.read(classLoader, sources);
    }

    /**
     * The class path resources this listing was read from, as URLs: the application listing, or
     * every jar listing that was combined; empty when it came from the file named by
     * {@value #PROPERTY}, or when none was found. A worker on its master's host with its class
     * path is told them ({@link ListingFinder#read}), so that it reads them without looking.
     */
    public List<String> sources() {
        return sources;
    }

    /** Whether a listing was found. */
    public boolean isPresent() {
        return present;
    }

    /** Where the listing came from: a file path, a resource URL, or the jar listings it combines. */
    public String location() {
        return location;
    }

    /** The worker type names in order; the first has id 1. */
    public List<String> names() {
        return names;
    }

    /** The lines of the listing in order, with their plugin classes and where each came from. */
    public List<Entry> entries() {
        return entries;
    }
}
