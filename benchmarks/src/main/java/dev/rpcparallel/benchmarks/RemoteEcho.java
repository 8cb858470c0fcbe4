package dev.rpcparallel.benchmarks;

import java.rmi.Remote;
import java.rmi.RemoteException;

/** The RMI peer's remote interface ({@link RmiChild}). */
public interface RemoteEcho extends Remote {
    /** Returns its argument. */
    byte[] echo(byte[] payload) throws RemoteException;
}
