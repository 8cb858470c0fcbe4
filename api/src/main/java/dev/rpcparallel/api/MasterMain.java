package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/** The master side of an application, run by {@link Parallel#startApp}. */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface MasterMain {
    void run(String[] args) throws Exception;
}
