package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A remote failure reads in one line and still shows the worker's stack when printed. */
class RemoteExceptionTest {
    private static final String STACK = "java.lang.IllegalStateException: boom: x\n"
            + "\tat com.example.Echo.boom(Echo.java:12)\n"
            + "\tat dev.rpcparallel.launcher.rpc.RpcServer.run(RpcServer.java:340)\n";

    @Test
    void theMessageIsOneLineNamingWorkerFunctionTypeAndMessage() {
        RemoteException e = new RemoteException("echo-1", "function 'boom'", "java.lang.IllegalStateException",
                "boom: x", STACK);

        assertThat(e.getMessage())
                .isEqualTo("worker 'echo-1', function 'boom': java.lang.IllegalStateException: boom: x");
        assertThat(e.remoteStackTrace()).isEqualTo(STACK);
    }

    @Test
    void aMultiLineRemoteMessageKeepsItsFirstLineInTheMessage() {
        RemoteException e = new RemoteException("echo-1", "function 'boom'", "java.lang.IllegalStateException",
                "first line\nsecond line", STACK);

        assertThat(e.getMessage())
                .isEqualTo("worker 'echo-1', function 'boom': java.lang.IllegalStateException: first line [...]");
        assertThat(e.remoteMessage()).isEqualTo("first line\nsecond line");
    }

    @Test
    void noRemoteMessageLeavesOnlyTheType() {
        RemoteException e = new RemoteException("echo-1", "worker-state init", "java.lang.NullPointerException",
                null, STACK);

        assertThat(e.getMessage()).isEqualTo("worker 'echo-1', worker-state init: java.lang.NullPointerException");
    }

    @Test
    void thePrintedStackTraceShowsTheRemoteStackUnderCausedBy() {
        RemoteException e = new RemoteException("echo-1", "function 'boom'", "java.lang.IllegalStateException",
                "boom: x", STACK);
        StringWriter printed = new StringWriter();
        e.printStackTrace(new PrintWriter(printed));

        assertThat(e.getCause()).isInstanceOf(RemoteException.RemoteStackTrace.class);
        assertThat(e.getCause().getStackTrace()).isEmpty();
        assertThat(printed.toString())
                .startsWith("dev.rpcparallel.api.RemoteException: worker 'echo-1', function 'boom':"
                        + " java.lang.IllegalStateException: boom: x" + System.lineSeparator())
                .contains("Caused by: dev.rpcparallel.api.RemoteException$RemoteStackTrace: in the worker:"
                        + System.lineSeparator() + "java.lang.IllegalStateException: boom: x\n"
                        + "\tat com.example.Echo.boom(Echo.java:12)");
    }
}
