package dev.rpcparallel.launcher.cli;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.context.TransportChoice;
import dev.rpcparallel.launcher.context.Transports;
import dev.rpcparallel.spi.transport.Transport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rpc-parallel transports}: the transports found on the class path, whether each can be
 * used here (and why not), which one the settings choose for workers on this host and on other
 * hosts, and why ({@link TransportChoice}).
 */
@Command(name = "transports", mixinStandardHelpOptions = true,
        description = "List the transports found, whether each can be used here, and which one is chosen"
                + " (-D" + RpcSettings.TRANSPORT_PROPERTY + "=NAME or " + RpcSettings.ENVIRONMENT_VARIABLE
                + "=\"transport=NAME\"; default auto: unix on this host, thrift where TCP is needed).")
final class TransportsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RpcSettings settings;
        try {
            settings = RpcSettings.defaults().withOverrides(System.getenv(RpcSettings.ENVIRONMENT_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new RpcParallelException(e.getMessage(), e);
        }
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        TransportChoice local = TransportChoice.forWorker(settings, true, classLoader);
        TransportChoice remote = TransportChoice.forWorker(settings, false, classLoader);
        String chosen = local.transport();
        Transports.Found found = Transports.all(classLoader);
        boolean chosenFound = false;
        for (Transport transport : found.transports()) {
            boolean isChosen = transport.name().equals(chosen);
            chosenFound |= isChosen;
            out.printf("%-8s %s%s%n", transport.name(),
                    transport.isAvailable() ? "available" : "unavailable: " + transport.unavailabilityCause(),
                    isChosen ? "  (chosen)" : "");
        }
        for (String failure : found.failures()) {
            out.println("failed to load: " + failure);
        }
        if (!chosenFound) {
            out.println("The chosen transport '" + chosen + "' is not on the class path.");
        }
        out.println("Workers on this host: " + local.transport() + " (" + local.reason() + ").");
        out.println("Workers on other hosts: " + remote.transport() + " (" + remote.reason() + ").");
        out.flush();
        return chosenFound ? 0 : RpcParallelCli.EXIT_FAILURE;
    }
}
