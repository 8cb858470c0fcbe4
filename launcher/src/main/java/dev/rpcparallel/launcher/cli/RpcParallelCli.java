package dev.rpcparallel.launcher.cli;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.PluginsDirectory;
import dev.rpcparallel.launcher.registry.RegisteredFunction;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.spi.MasterApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code rpc-parallel} command: {@code plugins} lists the worker types, {@code run APP}
 * runs a master app, {@code ps} and {@code stop} list and stop the user's live workers
 * ({@link WorkersCommands}). Exit codes: 0 success, 1 the app or the runtime failed, 2 bad usage.
 *
 * <p>Plugin jars come from the class path and from a plugins directory ({@code --plugins DIR},
 * by default the one the launcher script names with {@code -Drpcparallel.plugins}, the
 * distribution's {@code plugins/}), loaded as {@link PluginsDirectory} explains.
 */
@Command(
        name = "rpc-parallel",
        mixinStandardHelpOptions = true,
        versionProvider = RpcParallelCli.Version.class,
        description = "Spawn worker JVMs that serve typed functions, and run master apps that call them.",
        footer = {"", "Exit codes: 0 success, 1 failure, 2 bad usage."},
        subcommands = {RpcParallelCli.Plugins.class, RpcParallelCli.Run.class, WorkersCommands.Ps.class,
                WorkersCommands.Stop.class, TransportsCommand.class, CommandLine.HelpCommand.class})
public final class RpcParallelCli implements Callable<Integer> {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = {"Load the plugin jars (worker types and apps) of DIR, and its workers.list if there is one;"
                    + " workers load the same jars. A jar that fails to load is reported and left out.",
                    "Default: the distribution's plugins/ folder (-D" + PluginsDirectory.PROPERTY + ")."})
    Path plugins;

    @Option(names = "--on", paramLabel = "URI",
            description = {"Start the workers of the app with this launcher: ssh://[user@]host[:port], wrap:COMMAND,"
                    + " local:, or another launcher's URI. Repeat it to spread the workers over several, in turn."})
    List<String> on = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new RpcParallelCli())
                .setExecutionExceptionHandler((error, failed, parseResult) -> {
                    failed.getErr().println("rpc-parallel: " + describe(error));
                    return EXIT_FAILURE;
                });
        // Everything after the app's name belongs to the app, options included.
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        // --plugins plugins: a directory may be named like a command.
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        commandLine.setExecutionStrategy(parseResult -> {
            RpcParallelCli root = commandLine.getCommand();
            CommandLine.ParseResult sub = parseResult.subcommand();
            if (sub != null && sub.commandSpec().name().equals("run") && sub.isUsageHelpRequested()) {
                // run --help lists the apps, which come from the plugins: load them first.
                Integer failed = root.installPlugins(commandLine.getErr());
                if (failed != null) {
                    return failed;
                }
                CommandLine run = sub.commandSpec().commandLine();
                run.usage(run.getOut());
                run.getOut().println();
                run.getOut().println(Run.describeApps(Run.loadApps()));
                run.getOut().flush();
                return 0;
            }
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            Integer failed = root.installPlugins(commandLine.getErr());
            if (failed == null) {
                failed = root.useLaunchers(commandLine.getErr());
            }
            return failed != null ? failed : new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine.execute(args);
    }

    /** Loads the plugins directory, if any, for this thread and the workers; returns an exit code if that fails. */
    private Integer installPlugins(PrintWriter err) {
        Path directory = plugins;
        String property = System.getProperty(PluginsDirectory.PROPERTY);
        if (directory == null && property != null && !property.isBlank()) {
            directory = Path.of(property);
        }
        if (directory == null) {
            return null;
        }
        ClassLoader parent = RpcParallelCli.class.getClassLoader();
        PluginsDirectory loaded;
        try {
            loaded = PluginsDirectory.open(directory, parent);
        } catch (IllegalArgumentException e) {
            err.println("rpc-parallel: " + e.getMessage());
            return EXIT_USAGE;
        }
        for (String problem : loaded.problems()) {
            err.println("rpc-parallel: " + problem);
        }
        err.flush();
        Thread.currentThread().setContextClassLoader(loaded.install(parent));
        return null;
    }

    /**
     * Makes the {@code --on} launchers the default of the masters of this process, taking turns
     * ({@link RpcSettings#launcher()}); returns an exit code if one is not a URI.
     */
    private Integer useLaunchers(PrintWriter err) {
        if (on.isEmpty()) {
            return null;
        }
        List<String> uris = new ArrayList<>();
        for (String target : on) {
            try {
                uris.add(SpawnOptions.builder().launcher(target).build().launcher().orElseThrow().toString());
            } catch (IllegalArgumentException e) {
                err.println("rpc-parallel: --on " + target + ": " + e.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
        }
        System.setProperty(RpcSettings.LAUNCHER_PROPERTY, String.join(";", uris));
        return null;
    }

    private static String describe(Throwable error) {
        return error instanceof RpcParallelException || error.getMessage() != null
                ? error.getMessage() : error.toString();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_USAGE;
    }

    @Command(name = "plugins", mixinStandardHelpOptions = true,
            description = "List the worker types in listing order, with their ids, functions and the jar each came from.")
    static final class Plugins implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
            PrintWriter out = spec.commandLine().getOut();
            out.println("Worker listing: " + registry.listing().location());
            out.println("Registry fingerprint: " + registry.fingerprint());
            if (registry.types().isEmpty()) {
                out.println("No worker types: add plugin jars to the class path and name them in the worker listing.");
            }
            for (RegisteredType type : registry.types()) {
                out.printf("%n%d  %s  (from %s)%n", type.id(), type.name(), type.source());
                out.printf("     init: %s, connect: %s%n", type.type().initArgCodec().name(),
                        type.type().connectionArgCodec().name());
                for (RegisteredFunction function : type.functions()) {
                    out.printf("     %d. %s%n", function.id(), function.function());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a master app by name; the arguments after its name are the app's own (try APP --help).")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "APP", description = "The app to run.", arity = "0..1")
        String app;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "The app's arguments.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<MasterApp> apps = loadApps();
            if (app == null) {
                spec.commandLine().usage(spec.commandLine().getErr());
                spec.commandLine().getErr().println();
                spec.commandLine().getErr().println(describeApps(apps));
                return EXIT_USAGE;
            }
            MasterApp chosen = apps.stream().filter(a -> a.name().equals(app)).findFirst().orElse(null);
            if (chosen == null) {
                List<String> close = Suggestions.closeTo(app, apps.stream().map(MasterApp::name).toList());
                String hint = close.isEmpty() ? ""
                        : " Did you mean " + String.join(" or ", close.stream().map(name -> "'" + name + "'").toList()) + "?";
                spec.commandLine().getErr().println("rpc-parallel: no app named '" + app + "'." + hint + " "
                        + describeApps(apps));
                return EXIT_USAGE;
            }
            try {
                return chosen.run(List.copyOf(args));
            } finally {
                Parallel.shutdownWorkers();
            }
        }

        private static String describeApps(List<MasterApp> apps) {
            if (apps.isEmpty()) {
                return "No apps are installed: add a jar with a " + MasterApp.class.getName() + " service.";
            }
            StringBuilder text = new StringBuilder("Apps:");
            for (MasterApp app : apps) {
                text.append(String.format("%n  %-12s %s", app.name(), app.description()));
            }
            return text.toString();
        }

        private static List<MasterApp> loadApps() {
            List<MasterApp> apps = new ArrayList<>();
            var iterator = ServiceLoader.load(MasterApp.class, Thread.currentThread().getContextClassLoader()).iterator();
            while (true) {
                try {
                    if (!iterator.hasNext()) {
                        break;
                    }
                    apps.add(iterator.next());
                } catch (ServiceConfigurationError e) {
                    System.err.println("rpc-parallel: skipping an app that failed to load: " + e.getMessage());
                }
            }
            apps.sort(Comparator.comparing(MasterApp::name));
            return apps;
        }
    }

    /** The version Maven wrote into {@code version.properties} when it built this class. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = RpcParallelCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            String version = properties.getProperty("version");
            if (version == null || version.startsWith("${")) {
                version = RpcParallelCli.class.getPackage().getImplementationVersion();
            }
            return new String[] {"rpc-parallel " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.home") + ")"};
        }
    }
}
