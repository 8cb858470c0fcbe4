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
import java.time.Duration;
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
import org.awaitility.Awaitility;
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

    /**
     * The application's build: imports the BOM, compiles the plugin with the annotation
     * processor (no hand-written {@code META-INF} file), and packages a plain, a shaded and a
     * Spring Boot jar; done once for the tests below.
     */
    private static synchronized Path application() throws Exception {
        if (application != null) {
            return application;
        }
        Path project = WORK.resolve("consumer");
        deleteRecursively(project); // a failed build of an earlier test of this class
        copyRecursively(MODULE.resolve("src/it/consumer"), project);
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom, UTF_8).replace("@RPC_PARALLEL_VERSION@", VERSION), UTF_8);
        Files.writeString(WORK.resolve("consumer-settings.xml"), settings(), UTF_8);
        Result build = applicationMaven(project, "build", "package", "dependency:build-classpath",
                "-Dmdep.outputFile=" + WORK.resolve("consumer-classpath.txt"), "-DincludeScope=runtime");
        assertThat(build.exitCode()).as("the application's build failed:%n%s", build.tail()).isZero();
        application = project;
        return project;
    }

    private static Path application;

    @Test
    void anApplicationImportingTheBomCompilesAPluginWithTheProcessorAndItsMasterRunsItFromAClassPath()
            throws Exception {
        Path project = application();
        assertThat(project.resolve("target/classes/com/example/greeter/GreeterWorker.class")).isRegularFile();
        assertThat(project.resolve("src/main/resources")).doesNotExist();
        assertThat(Files.readString(project.resolve("target/classes/META-INF/rpc-parallel/workers.list"), UTF_8))
                .contains("greeter = com.example.greeter.GreeterWorker");
        String dependencies = Files.readString(WORK.resolve("consumer-classpath.txt"), UTF_8);
        assertThat(dependencies).contains("rpc-parallel-api-" + VERSION, "rpc-parallel-spi-" + VERSION,
                "rpc-parallel-launcher-" + VERSION);
        // The application's logging and versions win: no logging backend, SLF4J binding or
        // libthrift comes with ours, and the processor stays out of the run time.
        assertThat(dependencies).contains("log4j-api")
                .doesNotContain("log4j-core", "log4j-slf4j", "logback", "libthrift", "rpc-parallel-processor");

        runMaster("class-path", project, List.of(javaExecutable(), "-cp",
                project.resolve("target/classes") + File.pathSeparator + dependencies.strip(),
                "com.example.greeter.GreetMaster", "Maven"));
    }

    @Test
    void aShadedJarRunWithJavaJarSpawnsWorkers() throws Exception {
        Path project = application();
        Path jar = project.resolve("target/greeter-1.0-shaded.jar");
        assertThat(jar).isRegularFile();
        // From another directory, with the jar named relative to it.
        Path elsewhere = Files.createDirectories(WORK.resolve("elsewhere"));
        runMaster("shaded-jar", elsewhere, List.of(javaExecutable(), "-jar",
                elsewhere.relativize(jar).toString(), "Maven"));
    }

    @Test
    void aSpringBootExecutableJarWithNestedJarsSpawnsWorkers() throws Exception {
        Path project = application();
        Path jar = project.resolve("target/greeter-1.0-boot.jar");
        try (JarFile boot = new JarFile(jar.toFile())) {
            assertThat(boot.getManifest().getMainAttributes().getValue("Main-Class"))
                    .startsWith("org.springframework.boot.loader.");
            assertThat(boot.getEntry("BOOT-INF/lib/rpc-parallel-launcher-" + VERSION + ".jar")).isNotNull();
        }
        runMaster("spring-boot", project, List.of(javaExecutable(), "-jar", jar.toString(), "Maven"));
    }

    @Test
    void mvnExecJavaRunsTheMasterInMavensJvmAndItSpawnsWorkers() throws Exception {
        Path project = application();
        runMaster("exec-java", project, applicationMavenCommand(project, "exec:java",
                "-Dexec.mainClass=com.example.greeter.GreetMaster", "-Dexec.args=Maven"));
    }

    @Test
    void mvnExecExecRunsTheMasterAndItSpawnsWorkers() throws Exception {
        Path project = application();
        runMaster("exec-exec", project, applicationMavenCommand(project, "exec:exec",
                "-Dexec.executable=" + javaExecutable(),
                "-Dexec.args=-cp %classpath com.example.greeter.GreetMaster Maven"));
    }

    /**
     * Runs the master and checks that both workers answered, that the master exited cleanly, and
     * that it left nothing behind: its workers' processes are gone, and its temporary directory
     * (where the worker class-path argument files go) is empty.
     */
    private static void runMaster(String mode, Path directory, List<String> command) throws Exception {
        Path log = WORK.resolve("master-" + mode + ".log");
        Path temporary = Files.createDirectories(WORK.resolve("tmp-" + mode));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temporary);
        Process master = builder.start();
        boolean exited = master.waitFor(4, TimeUnit.MINUTES);
        if (!exited) {
            master.descendants().forEach(ProcessHandle::destroyForcibly);
            master.destroyForcibly();
        }
        String output = Files.readString(log, UTF_8);
        assertThat(exited).as("the master (%s) finished: %s", mode, output).isTrue();
        assertThat(master.exitValue()).as(output).isZero();
        assertThat(output).as(mode).contains("Hello, Maven!", "Hi, Maven!");
        Matcher pids = Pattern.compile("WORKER PID (\\d+)").matcher(output);
        List<Long> workers = new ArrayList<>();
        while (pids.find()) {
            workers.add(Long.parseLong(pids.group(1)));
        }
        assertThat(workers).as(output).hasSize(2);
        Awaitility.await("the workers of the master (" + mode + ") exit").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(workers)
                        .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        try (Stream<Path> left = Files.list(temporary)) {
            assertThat(left.toList()).as("files the master (%s) left in its temporary directory", mode).isEmpty();
        }
    }

    /** Runs the application's build offline with its own local repository. */
    private static Result applicationMaven(Path project, String name, String... goals) throws Exception {
        List<String> arguments = new ArrayList<>(applicationMavenArguments(project));
        arguments.addAll(List.of(goals));
        return maven(project, WORK.resolve("consumer-" + name + ".log"), arguments);
    }

    /** The command line of a Maven run of the application, as {@link #applicationMaven} runs it. */
    private static List<String> applicationMavenCommand(Path project, String... goals) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("mvnw").toString());
        command.addAll(applicationMavenArguments(project));
        command.addAll(List.of(goals));
        return command;
    }

    private static List<String> applicationMavenArguments(Path project) {
        return List.of("-o", "-Daether.offline.protocols=file", "-B", "-ntp", "-q",
                "-s", WORK.resolve("consumer-settings.xml").toString(),
                "-Dmaven.repo.local=" + WORK.resolve("consumer-local-repository"),
                "-f", project.resolve("pom.xml").toString());
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
