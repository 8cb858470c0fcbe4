package dev.rpcparallel.launcher.process;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.TlsSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Everything a spawned worker needs to know, sent on its stdin (never in its command line or
 * environment, which other local users can read): who it is, where its master listens, the
 * application's secret and the master's settings.
 *
 * <p>A worker of the master's warm pool ({@link #pooled()}) gets a bootstrap whose per-spawn
 * fields (id, name, type, init argument, shutdown mode, connection timeout) are placeholders: it
 * starts, warms up and waits until the master hands it over with an {@link Assignment}, sent on
 * the same stdin after the byte {@link #LIFELINE_ASSIGN}.
 */
public record WorkerBootstrap(
        String workerId,
        String workerName,
        String workerType,
        byte[] initArg,
        String masterId,
        String masterAddress,
        long masterPid,
        String shutdownOn,
        long connectionTimeoutMillis,
        byte[] secret,
        String fingerprint,
        String registryDescription,
        String transport,
        String bindHost,
        String advertisedHost,
        int maxMessageSize,
        long handshakeTimeoutMillis,
        long connectTimeoutMillis,
        long heartbeatIntervalMillis,
        long heartbeatTimeoutMillis,
        String tlsKeyStore,
        String tlsKeyStorePassword,
        String tlsTrustStore,
        String tlsTrustStorePassword,
        boolean pooled) {

    /**
     * Written on a pooled worker's lifeline before its {@link Assignment}. Distinct from the
     * release byte, and read only by a pooled worker before its handover; after it, nothing but
     * the release byte is ever written.
     */
    public static final int LIFELINE_ASSIGN = 'a';

    private static final Codec<WorkerBootstrap> CODEC = Codecs.record(WorkerBootstrap.class);
    /** Larger than any real bootstrap (the init argument is the only big part): a guard against garbage. */
    private static final int MAX_BYTES = 512 * 1024 * 1024;

    public RpcSettings settings() {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize,
                Duration.ofMillis(handshakeTimeoutMillis), Duration.ofMillis(connectTimeoutMillis),
                Duration.ofMillis(heartbeatIntervalMillis), Duration.ofMillis(heartbeatTimeoutMillis),
                tlsKeyStore.isEmpty() ? null
                        : new TlsSettings(tlsKeyStore, tlsKeyStorePassword, tlsTrustStore, tlsTrustStorePassword));
    }

    public ShutdownOn shutdownMode() {
        return ShutdownOn.valueOf(shutdownOn);
    }

    /** This bootstrap with the per-spawn fields of a pooled worker's assignment. */
    public WorkerBootstrap assigned(Assignment assignment) {
        return new WorkerBootstrap(assignment.workerId(), assignment.workerName(), assignment.workerType(),
                assignment.initArg(), masterId, masterAddress, masterPid, assignment.shutdownOn(),
                assignment.connectionTimeoutMillis(), secret, fingerprint, registryDescription, transport, bindHost,
                advertisedHost, maxMessageSize, handshakeTimeoutMillis, connectTimeoutMillis, heartbeatIntervalMillis,
                heartbeatTimeoutMillis, tlsKeyStore, tlsKeyStorePassword, tlsTrustStore, tlsTrustStorePassword, false);
    }

    /** Writes the bootstrap, length first, and flushes; the stream stays open as the worker's lifeline. */
    void writeTo(OutputStream out) throws IOException {
        byte[] bytes = CODEC.encode(this);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(bytes.length);
        data.write(bytes);
        data.flush();
    }

    /** Reads what {@link #writeTo} wrote. */
    public static WorkerBootstrap readFrom(InputStream in) throws IOException {
        return CODEC.decode(readFrame(in));
    }

    private static byte[] readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length;
        try {
            length = data.readInt();
        } catch (EOFException e) {
            throw new IOException("stdin ended before the worker's configuration arrived: this main class is"
                    + " started by rpc-parallel's spawn, not by hand", e);
        }
        if (length <= 0 || length > MAX_BYTES) {
            throw new IOException("stdin does not start with a worker configuration (length " + length
                    + "): this main class is started by rpc-parallel's spawn, not by hand");
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return bytes;
    }

    /** What a pooled worker learns at its handover: everything a cold spawn's bootstrap says per spawn. */
    public record Assignment(String workerId, String workerName, String workerType, byte[] initArg,
            String shutdownOn, long connectionTimeoutMillis) {
        private static final Codec<Assignment> CODEC = Codecs.record(Assignment.class);

        /** Writes {@link #LIFELINE_ASSIGN}, then the assignment, length first, and flushes. */
        void writeTo(OutputStream out) throws IOException {
            byte[] bytes = CODEC.encode(this);
            DataOutputStream data = new DataOutputStream(out);
            data.writeByte(LIFELINE_ASSIGN);
            data.writeInt(bytes.length);
            data.write(bytes);
            data.flush();
        }

        /** Builds and runs the codec once, so that the handover does not pay for it. */
        public static void warmUp() {
            CODEC.decode(CODEC.encode(new Assignment("", "", "", new byte[0], ShutdownOn.HEARTBEAT_TIMEOUT.name(), 0)));
        }

        /** Reads an assignment whose leading {@link #LIFELINE_ASSIGN} byte was already read. */
        public static Assignment readFrom(InputStream in) throws IOException {
            return CODEC.decode(readFrame(in));
        }
    }
}
