package dev.rpcparallel.api;

/** The master side of an application, run by {@link Parallel#startApp}. */
@FunctionalInterface
public interface MasterMain {
    void run(String[] args) throws Exception;
}
