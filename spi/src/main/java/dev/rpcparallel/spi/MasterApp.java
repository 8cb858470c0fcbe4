package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;
import java.util.List;

/**
 * A master program that the command line runs by name: {@code rpc-parallel run NAME ARGS...}.
 * Found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.rpcparallel.spi.MasterApp}).
 *
 * <p>The launcher initialises the master before {@link #run} and shuts down every worker the
 * app left running after it. The app spawns and calls workers through
 * {@code dev.rpcparallel.api.Parallel}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface MasterApp {

    /** The name the command line uses; letters, digits and '-'. */
    String name();

    /** One line saying what the app does, for {@code rpc-parallel run --help}. */
    String description();

    /**
     * Runs the app.
     *
     * @param args the arguments after the app's name
     * @return the process exit code: 0 for success
     */
    int run(List<String> args) throws Exception;
}
