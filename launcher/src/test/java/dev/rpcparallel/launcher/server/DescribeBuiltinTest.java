package dev.rpcparallel.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The describe built-in: what a client in another language learns of a worker, and a refusal where there is nothing to describe. */
class DescribeBuiltinTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.load(DescribeBuiltinTest.class.getClassLoader());

    @Test
    void describesTheServedTypeWithIdsSignaturesInWireTermsAndTheFingerprint() {
        RegisteredType echo = REGISTRY.require("echo");
        Frame answer = DescribeBuiltin.answer(7, endpoint(Optional.of(echo)), REGISTRY.fingerprint());
        assertThat(answer.kind()).isEqualTo(FrameKind.RESULT);
        assertThat(answer.callId()).isEqualTo(7);
        Messages.WorkerDescription description = Messages.WORKER_DESCRIPTION.decode(answer.payload());
        assertThat(description.workerType()).isEqualTo("echo");
        assertThat(description.workerTypeId()).isEqualTo(echo.id());
        assertThat(description.fingerprint()).isEqualTo(REGISTRY.fingerprint());
        assertThat(description.connectionArgType()).isEqualTo("string");
        assertThat(description.functions()).hasSize(echo.functions().size()).contains(
                new Messages.FunctionDescription(1, "echo", "rpc", "(string) -> string"),
                new Messages.FunctionDescription(5, "add", "rpc", "(struct(left:i64,right:i64)) -> i64"));
        assertThat(description.functions()).extracting(Messages.FunctionDescription::signature)
                .noneMatch(signature -> signature.contains("dev.rpcparallel"));
    }

    @Test
    void aServerWithoutAWorkerTypeAnswersAnErrorSayingSo() {
        Frame answer = DescribeBuiltin.answer(3, endpoint(Optional.empty()), "");
        assertThat(answer.kind()).isEqualTo(FrameKind.ERROR);
        Messages.RemoteError error = Messages.REMOTE_ERROR.decode(answer.payload());
        assertThat(error.isProtocolError()).isTrue();
        assertThat(error.message()).isEqualTo("the master's registration server serves no worker type yet, so it has"
                + " nothing to describe");
    }

    private static Endpoint endpoint(Optional<RegisteredType> type) {
        return new Endpoint() {
            @Override
            public String id() {
                return "e-1";
            }

            @Override
            public String name() {
                return "the master's registration server";
            }

            @Override
            public Object openConnection(byte[] connectionArg) {
                return null;
            }

            @Override
            public byte[] call(int functionId, byte[] arg, Object connectionState) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<RegisteredType> servedType() {
                return type;
            }

            @Override
            public String describeFunction(int functionId) {
                return "function #" + functionId;
            }

            @Override
            public void shutdownRequested() {}
        };
    }
}
