package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.RegistryException;
import dev.rpcparallel.spi.MasterApp;
import dev.rpcparallel.spi.WorkerPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * A directory of plugin jars, such as the distribution's {@code plugins/} or the one named by
 * {@code rpc-parallel --plugins DIR}.
 *
 * <p><b>Class loaders.</b> Every good jar of the directory goes into <em>one</em>
 * {@link URLClassLoader} whose parent is the launcher's class loader, which holds the api, spi
 * and runtime: plugins share the one copy of the SPI (as Trino's per-plugin loaders do) and may
 * also see each other's classes, which is what a worker sees too, since a spawned worker gets
 * the same jars appended to its plain class path. One loader per plugin would isolate plugins'
 * dependencies from each other, but a worker would then need the same loader tree to decode the
 * same records, which is more machinery than this project needs now.
 *
 * <p><b>Broken jars.</b> Each jar is checked on its own before it is used: it must open as a jar,
 * and every class its {@code META-INF/services} files name for {@link WorkerPlugin} or
 * {@link MasterApp} must load, implement the interface and construct; a worker plugin must also
 * name its type and define its functions without throwing, and its own
 * worker listing, if it has one, must parse. A jar that fails is left out, with a
 * {@link #problems() problem} naming the jar and what is wrong, and the others load.
 *
 * <p><b>Worker listing.</b> Without {@code DIR/workers.list}, the listings inside the jars
 * combine as on any class path (see {@link ListingFinder}), so a jar with its own listing drops
 * in. {@code DIR/workers.list}, if it exists, is the worker listing of the process, like an
 * application listing: it pins the order of the types across all jars, and the listings inside
 * the jars are ignored.
 */
public final class PluginsDirectory {
    /** The system property naming the plugins directory; set by the launcher script and the CLI, passed to workers. */
    public static final String PROPERTY = "rpcparallel.plugins";
    /** The listing file in a plugins directory. */
    public static final String LISTING_FILE = "workers.list";

    private static volatile PluginsDirectory installed;

    private final Path directory;
    private final List<Path> jars;
    private final List<String> problems;

    private PluginsDirectory(Path directory, List<Path> jars, List<String> problems) {
        this.directory = directory;
        this.jars = List.copyOf(jars);
        this.problems = List.copyOf(problems);
    }

    /**
     * Checks every {@code *.jar} of {@code directory} (in name order) against {@code parent},
     * the loader that provides the api and spi.
     *
     * @throws IllegalArgumentException if {@code directory} is not a readable directory
     */
    public static PluginsDirectory open(Path directory, ClassLoader parent) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("the plugins directory " + absolute + " does not exist or is not a directory");
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(absolute)) {
            candidates = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the plugins directory " + absolute + ": " + e, e);
        }
        List<Path> good = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path jar : candidates) {
            String problem = check(jar, candidates, parent);
            if (problem == null) {
                good.add(jar);
            } else {
                problems.add("plugin jar " + jar.getFileName() + " left out: " + problem);
            }
        }
        return new PluginsDirectory(absolute, good, problems);
    }

    /** What is wrong with {@code jar}, or null; its classes may use any jar of the directory. */
    private static String check(Path jar, List<Path> all, ClassLoader parent) {
        List<String> providers = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Class<?> service : List.of(WorkerPlugin.class, MasterApp.class)) {
                ZipEntry entry = file.getEntry("META-INF/services/" + service.getName());
                if (entry == null) {
                    continue;
                }
                String text;
                try (InputStream in = file.getInputStream(entry)) {
                    text = new String(in.readAllBytes(), UTF_8);
                }
                String[] lines = text.split("\\R");
                for (int i = 0; i < lines.length; i++) {
                    int comment = lines[i].indexOf('#');
                    String name = (comment >= 0 ? lines[i].substring(0, comment) : lines[i]).strip();
                    if (name.isEmpty()) {
                        continue;
                    }
                    if (!name.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
                        return "bad services file META-INF/services/" + service.getName() + ", line " + (i + 1)
                                + ": '" + name + "' is not a class name";
                    }
                    providers.add(service.getName() + " " + name);
                }
            }
            String listingProblem = listingProblem(file);
            if (listingProblem != null) {
                return listingProblem;
            }
        } catch (IOException e) {
            return "cannot read it as a jar: " + e.getMessage();
        }
        try (URLClassLoader loader = new URLClassLoader(urls(all), parent)) {
            for (String provider : providers) {
                String serviceName = provider.substring(0, provider.indexOf(' '));
                String className = provider.substring(provider.indexOf(' ') + 1);
                Class<?> service = serviceName.equals(WorkerPlugin.class.getName()) ? WorkerPlugin.class : MasterApp.class;
                Class<?> type;
                try {
                    type = Class.forName(className, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    return "class " + className + ", named in META-INF/services/" + serviceName + ", cannot be loaded: "
                            + e;
                }
                if (!service.isAssignableFrom(type)) {
                    return "class " + className + ", named in META-INF/services/" + serviceName + ", does not implement "
                            + service.getName();
                }
                Object instance;
                try {
                    instance = type.getConstructor().newInstance();
                } catch (java.lang.reflect.InvocationTargetException e) {
                    return "the constructor of " + className + " threw " + e.getCause();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    return "cannot instantiate " + className + " (a public no-argument constructor is needed): " + e;
                }
                if (instance instanceof WorkerPlugin<?, ?, ?, ?> plugin) {
                    try {
                        PluginRegistry.check(plugin, jar.getFileName().toString());
                    } catch (RegistryException e) {
                        return e.getMessage();
                    }
                }
            }
        } catch (IOException e) {
            return "cannot close its class loader: " + e.getMessage();
        }
        return null;
    }

    /** What is wrong with the jar's own worker listing, or null if it has none or a good one. */
    private static String listingProblem(JarFile file) throws IOException {
        ZipEntry entry = file.getEntry(ListingFinder.JAR_RESOURCE);
        if (entry == null) {
            return null;
        }
        try (InputStream in = file.getInputStream(entry)) {
            WorkerListing.parse(ListingFinder.JAR_RESOURCE, new String(in.readAllBytes(), UTF_8));
            return null;
        } catch (RegistryException e) {
            return "bad worker listing: " + e.getMessage();
        }
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return urls;
    }

    /**
     * Makes this the plugins directory of the process: sets {@value #PROPERTY}, and
     * {@value WorkerListing#PROPERTY} to {@code DIR/workers.list} if that exists and the property
     * is not set yet; spawned workers get the same properties and the {@link #jars() good jars}
     * on their class path. Returns the loader to use as the context class loader.
     */
    public ClassLoader install(ClassLoader parent) {
        System.setProperty(PROPERTY, directory.toString());
        String listingProperty = System.getProperty(WorkerListing.PROPERTY);
        if (listingProperty == null || listingProperty.isBlank()) {
            listing().ifPresent(file -> System.setProperty(WorkerListing.PROPERTY, file.toString()));
        }
        installed = this;
        return classLoader(parent);
    }

    /** The directory {@link #install installed} in this process, if any. */
    public static java.util.Optional<PluginsDirectory> installed() {
        return java.util.Optional.ofNullable(installed);
    }

    /** One loader over the good jars, child of {@code parent}. */
    public ClassLoader classLoader(ClassLoader parent) {
        return new URLClassLoader("rpc-parallel-plugins", urls(jars), parent);
    }

    public Path directory() {
        return directory;
    }

    /** The jars that passed the checks, in name order. */
    public List<Path> jars() {
        return jars;
    }

    /** One line per jar left out: the jar's name and what is wrong with it. */
    public List<String> problems() {
        return problems;
    }

    /** {@code DIR/workers.list}, if it exists. */
    public java.util.Optional<Path> listing() {
        Path listing = directory.resolve(LISTING_FILE);
        return Files.isRegularFile(listing) ? java.util.Optional.of(listing) : java.util.Optional.empty();
    }
}
