package dev.rpcparallel.api;

/** The kinds of worker functions; the kind is part of the registry fingerprint. */
public enum FunctionKind {
    /** One request, one response. */
    RPC
}
