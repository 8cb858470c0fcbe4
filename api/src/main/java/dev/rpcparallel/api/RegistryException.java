package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * The worker plugins found on the class path do not agree with the worker listing, or two
 * plugins share one name. The message names the plugin, where it was found and the fix.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class RegistryException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
