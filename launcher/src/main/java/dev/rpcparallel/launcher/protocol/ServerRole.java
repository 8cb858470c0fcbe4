package dev.rpcparallel.launcher.protocol;

/**
 * What a server is to the application: with its id, the identity a client names in its
 * {@code HELLO} and that the server's proof of the secret covers. A server proves only its own
 * identity, so a proof made by one server never authenticates another, whatever role it has.
 */
public enum ServerRole {
    /** A worker serving its type's functions, or an idle worker of a master's warm pool. */
    WORKER,
    /** A master's registration server: its spawned workers register and send heartbeats there. */
    MASTER;

    /**
     * How errors name a server of this role by its name: {@code "worker 'w'"}; a worker's
     * master is {@code "its master"} (the name a worker's link gives it says nothing more).
     */
    public String named(String serverName) {
        return this == WORKER ? "worker '" + serverName + "'" : "its master";
    }

    /** What a server of this role is, in a sentence: {@code "worker"}, {@code "master"}. */
    public String noun() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How errors name the server of this role with that id: {@code "the worker with id ID"}. */
    public String describe(String id) {
        return "the " + noun() + " with id " + id;
    }
}
