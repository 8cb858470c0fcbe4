package dev.rpcparallel.consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project as an application's build sees it. {@link #publish} deploys every module of this
 * build (this one excepted) to a file repository under {@code target/}, as a release would;
 * the tests read what was published, then build {@code src/it/consumer} (an application that
 * imports the BOM, compiles a plugin against api and spi, and takes the launcher at run time)
 * with that repository and a private local repository, and run its master.
 *
 * <p>Both builds run with the Maven of this build's wrapper ({@code mvnw}) and never reach
 * the network. The deploy uses the user's local repository as usual, with every remote
 * repository mirrored to it ({@code file:}), and writes this project's artifacts only to
 * {@code target/}. The application's build runs offline (only {@code file:} repositories
 * allowed) with a local repository of its own under {@code target/}, reading third-party
 * artifacts from the user's (in place of Central) and ours from the published repository.
 */
class PublishAndConsumeIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();
    private static final Path WORK = MODULE.resolve("target/publish-and-consume");
    private static final Path PUBLISHED = WORK.resolve("published-repository");
    private static final String VERSION = projectVersion();
    private static final String GROUP_PATH = "dev/rpcparallel/";
    private static final List<String> LIBRARIES = List.of(
            "rpc-parallel-api", "rpc-parallel-spi", "rpc-parallel-mapreduce", "rpc-parallel-transport-stream",
            "rpc-parallel-transport-thrift", "rpc-parallel-transport-local", "rpc-parallel-transport-unix",
            "rpc-parallel-transport-testkit", "rpc-parallel-launcher", "rpc-parallel-thrift-services",
            "rpc-parallel-plugins-sample");

    /** SHA-256 of each library's jars as the enclosing build made them, before the deploy rebuilds them. */
    private static final Map<String, String> REACTOR_CHECKSUMS = new TreeMap<>();

    @BeforeAll
    static void publish() throws Exception {
        for (String library : LIBRARIES) {
            Path target = ROOT.resolve(library.substring("rpc-parallel-".length())).resolve("target");
            for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
                Path jar = target.resolve(library + "-" + VERSION + suffix);
                if (suffix.equals(".jar")) {
                    assertThat(jar).as("built by the enclosing build").isRegularFile();
                }
                if (Files.isRegularFile(jar)) { // no javadoc jar when the enclosing build skipped javadoc
                    REACTOR_CHECKSUMS.put(library + suffix, sha256(jar));
                }
            }
        }
        Path archive = ROOT.resolve("distribution/target/rpc-parallel-" + VERSION + "-bin.tar.gz");
        if (Files.isRegularFile(archive)) {
            REACTOR_CHECKSUMS.put("rpc-parallel-distribution-bin.tar.gz", sha256(archive));
        }
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        // Not offline (the deploy plugin refuses to run offline), but every repository is
        // mirrored to the user's local repository, so nothing is fetched from the network.
        Path settings = WORK.resolve("deploy-settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>users-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(userRepository().toUri()), UTF_8);
        Result deploy = maven(ROOT, WORK.resolve("deploy.log"), List.of(
                "-B", "-ntp", "-s", settings.toString(), "-f", ROOT.resolve("pom.xml").toString(),
                "-pl", "!consumer-it", "deploy", "-DskipTests",
                "-DaltDeploymentRepository=published::" + PUBLISHED.toUri()));
        assertThat(deploy.exitCode()).as("deploy of every module failed:%n%s", deploy.tail()).isZero();
    }

    @Test
    void everyModuleIsPublishedAndEveryLibraryWithSourcesAndJavadoc() throws IOException {
        for (String library : LIBRARIES) {
            assertThat(published(library, ".jar")).as(library).isNotNull();
            assertThat(published(library, "-sources.jar")).as(library + " sources").isNotNull();
            assertThat(published(library, "-javadoc.jar")).as(library + " javadoc").isNotNull();
            assertThat(published(library, ".pom")).as(library + " pom").isNotNull();
        }
        assertThat(published("rpc-parallel-parent", ".pom")).isNotNull();
        assertThat(published("rpc-parallel-bom", ".pom")).isNotNull();
        assertThat(published("rpc-parallel-benchmarks", ".jar")).isNotNull();
        Path archive = published("rpc-parallel-distribution", "-bin.tar.gz");
        assertThat(archive).as("the distribution's archive").isNotNull();
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
    }

    @Test
    void theBuildIsReproducibleThePublishedFilesEqualTheEnclosingBuildsByteForByte() throws Exception {
        Map<String, String> published = new TreeMap<>();
        for (String key : REACTOR_CHECKSUMS.keySet()) {
            String suffix = Stream.of("-sources.jar", "-javadoc.jar", "-bin.tar.gz", ".jar")
                    .filter(key::endsWith).findFirst().orElseThrow();
            String artifactId = key.substring(0, key.length() - suffix.length());
            published.put(key, sha256(published(artifactId, suffix)));
        }
        assertThat(published.keySet()).as("compared").contains("rpc-parallel-api.jar", "rpc-parallel-api-sources.jar");
        assertThat(published).isEqualTo(REACTOR_CHECKSUMS);
    }

    @Test
    void everyLibraryJarNamesItsModuleAndVersionInItsManifest() throws IOException {
        Map<String, String> moduleNames = Map.ofEntries(
                Map.entry("rpc-parallel-api", "dev.rpcparallel.api"),
                Map.entry("rpc-parallel-spi", "dev.rpcparallel.spi"),
                Map.entry("rpc-parallel-mapreduce", "dev.rpcparallel.mapreduce"),
                Map.entry("rpc-parallel-transport-stream", "dev.rpcparallel.transport.stream"),
                Map.entry("rpc-parallel-transport-thrift", "dev.rpcparallel.transport.thrift"),
                Map.entry("rpc-parallel-transport-local", "dev.rpcparallel.transport.local"),
                Map.entry("rpc-parallel-transport-unix", "dev.rpcparallel.transport.unix"),
                Map.entry("rpc-parallel-transport-testkit", "dev.rpcparallel.transport.testkit"),
                Map.entry("rpc-parallel-launcher", "dev.rpcparallel.launcher"),
                Map.entry("rpc-parallel-thrift-services", "dev.rpcparallel.thrift"),
                Map.entry("rpc-parallel-plugins-sample", "dev.rpcparallel.sample"));
        for (String library : LIBRARIES) {
            try (JarFile jar = new JarFile(published(library, ".jar").toFile())) {
                var attributes = jar.getManifest().getMainAttributes();
                assertThat(attributes.getValue("Automatic-Module-Name")).as(library).isEqualTo(moduleNames.get(library));
                assertThat(attributes.getValue("Implementation-Version")).as(library).isEqualTo(VERSION);
            }
        }
    }

    @Test
    void theBomHasNoParentAndPinsOnlyThisProjectsArtifacts() throws IOException {
        String bom = Files.readString(published("rpc-parallel-bom", ".pom"), UTF_8);

        assertThat(bom).doesNotContain("<parent>");
        Matcher groups = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>").matcher(bom);
        List<String> pinned = new ArrayList<>();
        while (groups.find()) {
            pinned.add(groups.group(1));
        }
        assertThat(pinned).hasSizeGreaterThanOrEqualTo(LIBRARIES.size()).containsOnly("dev.rpcparallel");
        for (String library : LIBRARIES) {
            assertThat(bom).contains("<artifactId>" + library + "</artifactId>");
        }
    }

    @Test
    void anApplicationImportingTheBomCompilesAPluginAndItsMasterRunsIt() throws Exception {
        Path project = WORK.resolve("consumer");
        copyRecursively(MODULE.resolve("src/it/consumer"), project);
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom, UTF_8).replace("@RPC_PARALLEL_VERSION@", VERSION), UTF_8);
        Path settings = WORK.resolve("consumer-settings.xml");
        Files.writeString(settings, settings(), UTF_8);
        Path classPath = WORK.resolve("consumer-classpath.txt");

        Result build = maven(project, WORK.resolve("consumer.log"), List.of(
                "-o", "-Daether.offline.protocols=file", "-B", "-ntp", "-s", settings.toString(),
                "-Dmaven.repo.local=" + WORK.resolve("consumer-local-repository"),
                "-f", pom.toString(), "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=" + classPath, "-DincludeScope=runtime"));

        assertThat(build.exitCode()).as("the application's build failed:%n%s", build.tail()).isZero();
        assertThat(project.resolve("target/classes/com/example/greeter/GreeterWorker.class")).isRegularFile();
        String dependencies = Files.readString(classPath, UTF_8);
        assertThat(dependencies).contains("rpc-parallel-api-" + VERSION, "rpc-parallel-spi-" + VERSION,
                "rpc-parallel-launcher-" + VERSION);
        // The application's logging wins: no logging backend or SLF4J binding comes with ours.
        assertThat(dependencies).contains("log4j-api").doesNotContain("log4j-core", "log4j-slf4j", "logback");

        Process master = new ProcessBuilder(javaExecutable(), "-cp",
                project.resolve("target/classes") + File.pathSeparator + dependencies.strip(),
                "com.example.greeter.GreetMaster", "Maven")
                .directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("master.log").toFile()).start();
        assertThat(master.waitFor(2, TimeUnit.MINUTES)).as("the master finished").isTrue();
        String output = Files.readString(WORK.resolve("master.log"), UTF_8);
        assertThat(master.exitValue()).as(output).isZero();
        assertThat(output).contains("Hello, Maven!");
    }

    /**
     * Third-party artifacts from the user's local repository (read only, standing in for
     * Central; it keeps no checksum files, hence no checksum check), ours from the published one.
     */
    private static String settings() {
        String central = userRepository().toUri().toString();
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>repositories</id>
                      <repositories>
                        <repository>
                          <id>central</id>
                          <url>%1$s</url>
                          <releases><checksumPolicy>ignore</checksumPolicy></releases>
                          <snapshots><enabled>false</enabled></snapshots>
                        </repository>
                        <repository>
                          <id>published</id>
                          <url>%2$s</url>
                          <snapshots><enabled>true</enabled></snapshots>
                        </repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository>
                          <id>central</id>
                          <url>%1$s</url>
                          <releases><checksumPolicy>ignore</checksumPolicy></releases>
                          <snapshots><enabled>false</enabled></snapshots>
                        </pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>repositories</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(central, PUBLISHED.toUri());
    }

    /** The newest file published for {@code artifactId} whose name ends with {@code suffix}, or null. */
    private static Path published(String artifactId, String suffix) throws IOException {
        Path directory = PUBLISHED.resolve(GROUP_PATH + artifactId + "/" + VERSION);
        if (!Files.isDirectory(directory)) {
            return null;
        }
        // Snapshots are published as ARTIFACT-VERSION-TIMESTAMP-BUILD[-CLASSIFIER].EXT.
        String base = VERSION.replace("-SNAPSHOT", "");
        Pattern name = Pattern.compile(Pattern.quote(artifactId + "-" + base) + "(-SNAPSHOT|-[0-9.]+-[0-9]+)?"
                + Pattern.quote(suffix));
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> name.matcher(f.getFileName().toString()).matches())
                    .max(Path::compareTo).orElse(null);
        }
    }

    private record Result(int exitCode, String tail) {}

    /** Runs the wrapper's Maven in {@code directory}, its output to {@code log}. */
    private static Result maven(Path directory, Path log, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("mvnw").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("mvnw " + arguments + " did not finish in 5 minutes; see " + log);
        }
        List<String> lines = Files.readAllLines(log, UTF_8);
        return new Result(process.exitValue(), String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }

    private static Path userRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String projectVersion() {
        try (InputStream in = Files.newInputStream(MODULE.resolve("pom.xml"))) {
            Matcher parentVersion = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
                    .matcher(new String(in.readAllBytes(), UTF_8));
            if (!parentVersion.find()) {
                throw new IllegalStateException("no parent version in " + MODULE.resolve("pom.xml"));
            }
            return parentVersion.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
