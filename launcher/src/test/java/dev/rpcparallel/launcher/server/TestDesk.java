package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.ServerRole;

/** A master's registration desk for tests: answers every built-in with the same bytes. */
public class TestDesk implements Endpoint {
    /** Its id, for the {@code WorkerRef} a client names in its hello. */
    public static final String ID = "master-test";

    private final byte[] answer;

    public TestDesk(byte[] answer) {
        this.answer = answer.clone();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ServerRole role() {
        return ServerRole.MASTER;
    }

    @Override
    public String name() {
        return "the test's master";
    }

    @Override
    public Object openConnection(byte[] connectionArg) {
        return null;
    }

    @Override
    public byte[] call(int functionId, byte[] arg, Object connectionState) {
        return answer.clone();
    }

    @Override
    public String describeFunction(int functionId) {
        return BuiltinFunctions.describeId(functionId);
    }

    @Override
    public void shutdownRequested() {
        // a master is not shut down by its workers
    }
}
