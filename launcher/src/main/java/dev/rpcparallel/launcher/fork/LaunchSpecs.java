package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.LaunchSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WorkerCommand} as the {@link LaunchSpec} a launcher starts: the class path out of the
 * class path arguments (the last {@code -cp}, {@code -classpath} or {@code --class-path} wins, a
 * spawn's own one included), every other argument a JVM option in command-line order; or a
 * spawn's whole command ({@code SpawnOptions.workerCommand}) as it is.
 */
public final class LaunchSpecs {
    private LaunchSpecs() {}

    public static LaunchSpec of(WorkerCommand command) {
        if (!command.wholeCommand().isEmpty()) {
            LaunchSpec.Builder spec = LaunchSpec.ofCommand(command.wholeCommand()).arguments(command.arguments());
            command.environment().forEach(spec::environment);
            command.workingDirectory().ifPresent(spec::workingDirectory);
            return spec.build();
        }
        List<String> options = new ArrayList<>(command.jvmOptions());
        List<Path> classPath = new ArrayList<>();
        List<String> rest = new ArrayList<>(command.classpathArguments());
        rest.addAll(command.spawnJvmOptions());
        for (int i = 0; i < rest.size(); i++) {
            String argument = rest.get(i);
            String entries = null;
            if ((argument.equals("-cp") || argument.equals("-classpath") || argument.equals("--class-path"))
                    && i + 1 < rest.size()) {
                entries = rest.get(++i);
            } else if (argument.startsWith("--class-path=")) {
                entries = argument.substring("--class-path=".length());
            }
            if (entries == null) {
                options.add(argument);
                continue;
            }
            classPath.clear();
            for (String entry : entries.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    classPath.add(Path.of(entry));
                }
            }
        }
        LaunchSpec.Builder spec = LaunchSpec.builder(command.mainClass())
                .javaExecutable(command.java())
                .jvmOptions(options)
                .classPath(classPath)
                .arguments(command.arguments());
        command.environment().forEach(spec::environment);
        command.workingDirectory().ifPresent(spec::workingDirectory);
        return spec.build();
    }
}
