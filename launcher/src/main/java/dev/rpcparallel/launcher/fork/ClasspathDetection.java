package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.SpawnException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where this master's classes come from, and so what a worker's command needs to load the same
 * ones, however the master was started:
 *
 * <ul>
 *   <li>the runtime loaded by the application class loader ({@code java -cp}, {@code java -jar}
 *       with a shaded jar, JUnit under Surefire or Failsafe, {@code mvn exec:exec}): the JVM's
 *       class path, and the module path's jars when the runtime is a named module;
 *   <li>loaded by a class loader of the application's own over files ({@code mvn exec:java},
 *       an application server's): that loader's jars and directories, then the JVM's class path;
 *   <li>loaded from a Spring Boot executable jar (nested jars, which no class path can name):
 *       the same jar, started by Spring Boot's {@code PropertiesLauncher} with the worker's main
 *       class as its {@code loader.main};
 *   <li>anything else: a {@link SpawnException} naming the settings that tell the worker's class
 *       path, main class or whole command.
 * </ul>
 *
 * <p>Relative entries are made absolute against this JVM's working directory, so that a worker
 * started in another directory ({@code SpawnOptions.workingDirectory}) loads the same files.
 */
final class ClasspathDetection {
    /** The package of Spring Boot's launchers (Boot 3.2 and later add {@code launch.}). */
    static final String SPRING_BOOT_LOADER = "org.springframework.boot.loader.";

    /**
     * A worker's class path and main class.
     *
     * @param entries the class path entries, absolute
     * @param mainClass the main class to run
     * @param jvmOptions options the main class needs (Spring Boot's {@code -Dloader.main=...})
     * @param source how this master runs, in words
     */
    record Detected(List<String> entries, String mainClass, List<String> jvmOptions, String source) {}

    private ClasspathDetection() {}

    /** What a worker of this master needs to load the classes {@code anchor} was loaded with. */
    static Detected detect(Class<?> anchor, String workerMain) {
        ClassLoader loader = anchor.getClassLoader();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        List<String> classPath = split(System.getProperty("java.class.path", ""));
        if (loader == system || loader == null) {
            List<String> entries = new ArrayList<>();
            if (anchor.getModule().isNamed()) {
                entries.addAll(modulePathJars());
            }
            entries.addAll(classPath);
            return new Detected(absolute(entries), workerMain, List.of(),
                    anchor.getModule().isNamed() ? "the module path" : "the class path");
        }
        Optional<String> bootLauncher = springBootLauncher(classPath);
        if (bootLauncher.isPresent()) {
            return new Detected(absolute(classPath), bootLauncher.get(), List.of("-Dloader.main=" + workerMain),
                    "a Spring Boot executable jar");
        }
        List<String> entries = new ArrayList<>();
        for (ClassLoader own = loader; own != null && own != system && own != system.getParent(); own = own.getParent()) {
            if (!(own instanceof URLClassLoader urls)) {
                throw cannotTell(anchor, own, "it is not a URLClassLoader");
            }
            for (URL url : urls.getURLs()) {
                if (!url.getProtocol().equals("file")) {
                    throw cannotTell(anchor, own, "it loads from " + url + ", which is not a file");
                }
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw cannotTell(anchor, own, "its entry " + url + " is not a file path");
                }
            }
        }
        entries.addAll(classPath);
        return new Detected(absolute(entries), workerMain, List.of(),
                "the class loader " + loader.getClass().getName() + " and the class path");
    }

    /**
     * Spring Boot's {@code PropertiesLauncher} in the same package as the launcher of this JVM's
     * executable jar, if this JVM runs one: its class path is that one jar, whose manifest's
     * main class is a Spring Boot launcher.
     */
    static Optional<String> springBootLauncher(List<String> classPath) {
        if (classPath.size() != 1 || !classPath.get(0).endsWith(".jar")) {
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(classPath.get(0))) {
            String main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Main-Class");
            if (main == null || !main.startsWith(SPRING_BOOT_LOADER)) {
                return Optional.empty();
            }
            return Optional.of(main.substring(0, main.lastIndexOf('.') + 1) + "PropertiesLauncher");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The module path's jars and directories, a directory of modules as its jars. */
    private static List<String> modulePathJars() {
        List<String> jars = new ArrayList<>();
        for (String entry : split(System.getProperty("jdk.module.path", ""))) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class"))
                    && !Files.isDirectory(path.resolve("META-INF"))) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(file -> file.toString().endsWith(".jar")).sorted()
                            .forEach(file -> jars.add(file.toString()));
                } catch (IOException e) {
                    jars.add(entry);
                }
            } else {
                jars.add(entry);
            }
        }
        return jars;
    }

    static List<String> split(String pathList) {
        List<String> entries = new ArrayList<>();
        for (String entry : pathList.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** Each entry made absolute against this JVM's working directory; duplicates dropped. */
    static List<String> absolute(List<String> entries) {
        Set<String> absolute = new LinkedHashSet<>();
        for (String entry : entries) {
            // A wildcard entry (dir/*) stays a wildcard, with its directory made absolute.
            if (entry.equals("*") || entry.endsWith(File.separator + "*")) {
                String directory = entry.substring(0, entry.length() - 1);
                absolute.add(Path.of(directory.isEmpty() ? "." : directory).toAbsolutePath().normalize() + File.separator + "*");
            } else {
                absolute.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return List.copyOf(absolute);
    }

    private static SpawnException cannotTell(Class<?> anchor, ClassLoader loader, String why) {
        return new SpawnException("Cannot tell the class path of a worker: this master's rpc-parallel runtime ("
                + anchor.getName() + ") is loaded by " + loader.getClass().getName() + ", and " + why + ". "
                + WorkerClasspath.HOW_TO_SET);
    }
}
