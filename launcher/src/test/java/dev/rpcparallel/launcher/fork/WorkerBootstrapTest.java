package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerBootstrapTest {
    private static WorkerBootstrap sample() {
        return new WorkerBootstrap(
                new WorkerBootstrap.Assignment("w-7", "wörker ✓", "echo", new byte[] {1, 2, 3, -1},
                        ShutdownOn.CONNECTION_CLOSED.name(), 30_000L),
                new WorkerBootstrap.Master("m-1", "127.0.0.1:4711", 12345L, new byte[] {9, 8, 7}, new byte[] {5, 0, -5},
                        "0123456789abcdef",
                        "1 echo init(none) connect(none)\n  1 rpc echo(string) -> string\n".repeat(3000)),
                RpcSettings.defaults().withMaxMessageSize(64 * 1024 * 1024).withCallThreads(12)
                        .withTls(new TlsSettings("/keys/node.p12", "kéy", "/keys/trusted.p12", "trüst")),
                true, "dev.rpcparallel.transport.unix.UnixTransport",
                new WorkerBootstrap.ServedPlugin("com.example.EchoWorker$Plugin", 3, LISTING_SOURCES));
    }

    private static final List<String> LISTING_SOURCES = List.of(
            "jar:file:/app/lib/echo.jar!/META-INF/rpc-parallel/workers.list",
            "jar:file:/app/lib/wörds.jar!/META-INF/rpc-parallel/workers.list");

    private static byte[] written(WorkerBootstrap bootstrap) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bootstrap.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void everyFieldSurvivesTheTripThroughStdin() throws IOException {
        WorkerBootstrap sent = sample();
        WorkerBootstrap received = WorkerBootstrap.readFrom(new ByteArrayInputStream(written(sent)));
        // A record's equals compares arrays by identity: compare them apart.
        assertThat(received.assignment().initArg()).containsExactly(sent.assignment().initArg());
        assertThat(received.master().secret()).containsExactly(sent.master().secret());
        assertThat(received.master().tlsKey()).containsExactly(sent.master().tlsKey());
        assertThat(received).usingRecursiveComparison().isEqualTo(sent);
        assertThat(received.master().registryDescription()).hasSizeGreaterThan(65_535);
        assertThat(received.settings()).isEqualTo(sent.settings());
        assertThat(received.transportProvider()).isEqualTo("dev.rpcparallel.transport.unix.UnixTransport");
        assertThat(received.servedPlugin()).isEqualTo(
                new WorkerBootstrap.ServedPlugin("com.example.EchoWorker$Plugin", 3, LISTING_SOURCES));
    }

    @Test
    void aBootstrapNamingNoPluginSaysSoAndAnAssignmentNamesNone() throws IOException {
        WorkerBootstrap sent = sample();
        WorkerBootstrap none = new WorkerBootstrap(sent.assignment(), sent.master(), sent.settings(), false);
        WorkerBootstrap received = WorkerBootstrap.readFrom(new ByteArrayInputStream(written(none)));
        assertThat(received.servedPlugin()).isEqualTo(WorkerBootstrap.ServedPlugin.NONE);
        assertThat(received.servedPlugin().isNamed()).isFalse();
        // A pooled worker's type is decided at its handover: the plugin named for it is the master's
        // business then, not the bootstrap's.
        assertThat(sent.assigned(sent.assignment()).servedPlugin()).isEqualTo(WorkerBootstrap.ServedPlugin.NONE);
    }

    @Test
    void aServedPluginNamesAClassAndAnIdOrNeither() {
        assertThat(new WorkerBootstrap.ServedPlugin("a.B", 1).isNamed()).isTrue();
        assertThatThrownBy(() -> new WorkerBootstrap.ServedPlugin("a.B", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.B with id 0");
        assertThatThrownBy(() -> new WorkerBootstrap.ServedPlugin("", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("or neither");
        assertThatThrownBy(() -> new WorkerBootstrap.ServedPlugin("a.B", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerBootstrap.ServedPlugin("", 0, LISTING_SOURCES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("and listing [jar:file:/app/lib/echo.jar");
    }

    @Test
    void aBootstrapNamingNoTransportSaysSoAndAnAssignmentKeepsTheOneNamed() throws IOException {
        WorkerBootstrap sent = sample();
        WorkerBootstrap none = new WorkerBootstrap(sent.assignment(), sent.master(), sent.settings(), false);
        assertThat(WorkerBootstrap.readFrom(new ByteArrayInputStream(written(none))).transportProvider()).isEmpty();
        assertThat(sent.assigned(sent.assignment()).transportProvider())
                .isEqualTo("dev.rpcparallel.transport.unix.UnixTransport");
    }

    @Test
    void anAssignmentSurvivesTheTripAndAppliesToThePooledBootstrap() throws IOException {
        WorkerBootstrap.Assignment sent = new WorkerBootstrap.Assignment("w-9", "nine", "echo", new byte[] {4, 2},
                ShutdownOn.CALLED_SHUTDOWN.name(), 1234L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sent.writeTo(out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(in.read()).isEqualTo(WorkerBootstrap.LIFELINE_ASSIGN);
        WorkerBootstrap.Assignment received = WorkerBootstrap.Assignment.readFrom(in);
        assertThat(received).usingRecursiveComparison().isEqualTo(sent);

        WorkerBootstrap assigned = sample().assigned(received);
        assertThat(assigned.workerId()).isEqualTo("w-9");
        assertThat(assigned.shutdownMode()).isEqualTo(ShutdownOn.CALLED_SHUTDOWN);
        assertThat(assigned.pooled()).isFalse();
    }

    @Test
    void aTruncatedConfigurationIsRefusedWithAClearMessage() throws IOException {
        byte[] whole = written(sample());
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        // Keep the length prefix consistent with the shortened body: the fields themselves run short.
        int body = cut.length - 4;
        cut[0] = (byte) (body >>> 24);
        cut[1] = (byte) (body >>> 16);
        cut[2] = (byte) (body >>> 8);
        cut[3] = (byte) body;
        assertThatThrownBy(() -> WorkerBootstrap.readFrom(new ByteArrayInputStream(cut)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated or garbled")
                .hasMessageContaining("not by hand");
    }

    @Test
    void noConfigurationAtAllSaysThatSpawnStartsThisClass() {
        assertThatThrownBy(() -> WorkerBootstrap.readFrom(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stdin ended before the worker's configuration arrived");
    }

    @Test
    void itsTextNamesNeitherTheSecretNorTheTlsPasswords() {
        String text = sample().toString();
        assertThat(text).contains("m-1", "keyStore=/keys/node.p12").doesNotContain("kéy", "trüst", "[9, 8, 7]");
    }
}
