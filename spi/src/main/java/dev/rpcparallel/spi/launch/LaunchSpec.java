package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run: a JVM, its options, its class path, its main class and arguments, its environment
 * and working directory. Paths are local to the master; a launcher that runs the process elsewhere
 * maps them (the ssh launcher ships the class path and runs the remote {@code java}).
 *
 * <p>Immutable and thread-safe. Built with {@link #builder(String)}.
 *
 * @param javaExecutable the {@code java} to run: a path or a command name; a remote launcher may
 *     replace it with its own setting (a local path means nothing on another host)
 * @param jvmOptions options before the main class, e.g. {@code -Xmx256m}; no class path option
 *     (the class path is {@link #classPath()})
 * @param classPath the class-path entries, jars or directories on this host, in order
 * @param mainClass the fully qualified main class
 * @param arguments the program arguments (for a worker: its marker arguments)
 * @param environment variables set in addition to the launcher's own environment
 * @param workingDirectory the process's working directory; empty for the launcher's default
 *     (the master's directory locally, the login directory over ssh)
 * @param command the whole command up to the arguments (for example a script that starts the
 *     JVM itself), replacing the executable, the options, the class path and the main class,
 *     which are then empty; empty for those. A launcher that cannot run such a command where it
 *     starts processes refuses the spec with a {@link LaunchException} saying so.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LaunchSpec(
    String javaExecutable,
    List<String> jvmOptions,
    List<Path> classPath,
    String mainClass,
    List<String> arguments,
    Map<String, String> environment,
    Optional<Path> workingDirectory,
    List<String> command) {

  public LaunchSpec {
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    Objects.requireNonNull(mainClass, "mainClass");
    command = List.copyOf(command);
    if (mainClass.isBlank() && command.isEmpty()) {
      throw new IllegalArgumentException("the main class is empty");
    }
    jvmOptions = List.copyOf(jvmOptions);
    classPath = List.copyOf(classPath);
    arguments = List.copyOf(arguments);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    for (String option : jvmOptions) {
      if (option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path")) {
        throw new IllegalArgumentException(
            "JVM option " + option + " is not allowed: pass class-path entries as the class path");
      }
    }
  }

  /** A builder for {@code mainClass}, with {@code java} as the executable and nothing else set. */
  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** A builder for a whole {@code command} (see {@link #command()}); arguments and the rest still apply. */
  public static Builder ofCommand(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the command is empty");
    }
    Builder builder = new Builder("");
    builder.command.addAll(command);
    return builder;
  }

  /** Whether this spec is a whole {@link #command()} rather than a JVM, class path and main class. */
  public boolean isWholeCommand() {
    return !command.isEmpty();
  }

  /** Builds a {@link LaunchSpec}; not thread-safe. */
  public static final class Builder {
    private String javaExecutable = "java";
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<Path> classPath = new ArrayList<>();
    private final String mainClass;
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path workingDirectory;
    private final List<String> command = new ArrayList<>();

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    public Builder javaExecutable(String java) {
      this.javaExecutable = Objects.requireNonNull(java);
      return this;
    }

    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    public Builder classPath(List<Path> entries) {
      classPath.addAll(entries);
      return this;
    }

    public Builder arguments(List<String> args) {
      arguments.addAll(args);
      return this;
    }

    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    public LaunchSpec build() {
      return new LaunchSpec(javaExecutable, jvmOptions, classPath, mainClass, arguments,
          environment, Optional.ofNullable(workingDirectory), command);
    }
  }
}
