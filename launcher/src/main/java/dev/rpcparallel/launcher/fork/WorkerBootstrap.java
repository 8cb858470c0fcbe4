package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.ShutdownOn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a spawned worker needs to know, sent on its stdin (never in its command line or
 * environment, which other local users can read): who it is, where its master listens, the
 * application's secret (and its generated TLS key, if any) and the master's settings.
 *
 * <p>A worker of the master's warm pool ({@link #pooled()}) gets a bootstrap whose assignment
 * (id, name, type, init argument, shutdown mode, connection timeout) is a placeholder: it
 * starts, warms up and waits until the master hands it over with its {@link Assignment}, sent on
 * the same stdin after the byte {@link #LIFELINE_ASSIGN}.
 *
 * @param assignment what the worker is: everything a spawn says per worker
 * @param master who its master is
 * @param settings the master's settings, which the worker takes as its own
 * @param pooled whether it is an idle worker of the warm pool, waiting for its assignment
 * @param transportProvider the class of the transport the master listens on, given to a worker on
 *     its host with its class path, for which the master's choice of transport is the worker's
 *     own: the worker then makes that one transport instead of every one on its class path
 *     ({@code ""}: none given, the worker chooses)
 * @param servedPlugin the plugin class that provides the worker's type in the master, and the
 *     type's id, given to a worker on its host with its class path, for which the master's
 *     registry is the worker's own: the worker then makes that plugin instead of looking through
 *     every plugin on its class path ({@link ServedPlugin#NONE}: none given, the worker looks)
 */
public record WorkerBootstrap(Assignment assignment, Master master, RpcSettings settings, boolean pooled,
        String transportProvider, ServedPlugin servedPlugin) {

    /**
     * Written on a pooled worker's lifeline before its {@link Assignment}. Distinct from the
     * release byte, and read only by a pooled worker before its handover; after it, nothing but
     * the release byte is ever written.
     */
    public static final int LIFELINE_ASSIGN = 'a';

    /** Larger than any real bootstrap (the init argument is the only big part): a guard against garbage. */
    private static final int MAX_BYTES = 512 * 1024 * 1024;
    /** More listing resources than a class path has jars: a guard against garbage. */
    private static final int MAX_LISTING_SOURCES = 100_000;

    /**
     * Who the worker's master is, and what they share.
     *
     * @param id the master's id, as its registration server answers
     * @param address where its registration server listens
     * @param pid its process id, watched by the worker; {@link #ON_ANOTHER_HOST} when the worker
     *     runs on another host (no pid watch there; the worker binds and advertises an address
     *     of its host that the master reaches)
     * @param secret the application's secret
     * @param tlsKey the application's generated TLS key and certificate, as the master encodes
     *     them, or {@code null} where the application has none
     * @param fingerprint the master's plugin registry fingerprint, checked by the worker
     * @param registryDescription the master's worker types, to explain a fingerprint mismatch
     */
    public record Master(String id, String address, long pid, byte[] secret, byte[] tlsKey, String fingerprint,
            String registryDescription) {
        /** The {@link #pid()} of a master on another host than its worker: no process has pid 0. */
        public static final long ON_ANOTHER_HOST = 0;

        /** Whether the master runs on another host than the worker. */
        public boolean onAnotherHost() {
            return pid == ON_ANOTHER_HOST;
        }

        /** Everything but the secret and the TLS key. */
        @Override
        public String toString() {
            return "Master[id=" + id + ", address=" + address + ", pid=" + pid + ", fingerprint=" + fingerprint + "]";
        }
    }

    /**
     * The plugin that provides a worker's type, as its master's registry has it: what the worker
     * would otherwise find by looking through the plugins of its class path. The worker checks
     * it against its own listing and its master's description before it serves with it.
     *
     * @param pluginClass the binary name of the {@code WorkerPlugin} class ({@code ""}: none given)
     * @param typeId the type's id in the master's registry: its position in the worker listing,
     *     the first being 1 (0 with no class)
     * @param listingSources the class path resources (URLs) the master's worker listing was read
     *     from, which the worker reads without looking for them; empty when the listing is a file
     *     named by a system property (the worker inherits it) or nothing is named
     */
    public record ServedPlugin(String pluginClass, int typeId, List<String> listingSources) {
        /** Nothing named: the worker looks for its type's plugin itself. */
        public static final ServedPlugin NONE = new ServedPlugin("", 0);

        public ServedPlugin {
            requireNonNull(pluginClass, "pluginClass");
            listingSources = List.copyOf(listingSources);
            if (pluginClass.isEmpty() != (typeId == 0) || typeId < 0 || !listingSources.isEmpty() && typeId == 0) {
                throw new IllegalArgumentException("a served plugin names a class and a type id of 1 or more,"
                        + " or neither: " + pluginClass + " with id " + typeId + " and listing " + listingSources);
            }
        }

        /** A plugin named without the sources of the listing: the worker looks for its listing. */
        public ServedPlugin(String pluginClass, int typeId) {
            this(pluginClass, typeId, List.of());
        }

        /** Whether a plugin is named. */
        public boolean isNamed() {
            return typeId != 0;
        }
    }

    public WorkerBootstrap {
        requireNonNull(transportProvider, "transportProvider");
        requireNonNull(servedPlugin, "servedPlugin");
    }

    /** A bootstrap that names no transport and no plugin: the worker chooses and looks itself. */
    public WorkerBootstrap(Assignment assignment, Master master, RpcSettings settings, boolean pooled) {
        this(assignment, master, settings, pooled, "", ServedPlugin.NONE);
    }

    public String workerId() {
        return assignment.workerId();
    }

    public String workerName() {
        return assignment.workerName();
    }

    public ShutdownOn shutdownMode() {
        return ShutdownOn.valueOf(assignment.shutdownOn());
    }

    /** This bootstrap with the per-spawn fields of a pooled worker's assignment. */
    public WorkerBootstrap assigned(Assignment newAssignment) {
        return new WorkerBootstrap(newAssignment, master, settings, false, transportProvider, ServedPlugin.NONE);
    }

    /** Writes the bootstrap, length first, and flushes; the stream stays open as the worker's lifeline. */
    public void writeTo(OutputStream out) throws IOException {
        byte[] bytes = encode();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(bytes.length);
        data.write(bytes);
        data.flush();
    }

    /** Reads what {@link #writeTo} wrote. */
    public static WorkerBootstrap readFrom(InputStream in) throws IOException {
        return decode(readFrame(in));
    }

    /*
     * The fields in declaration order, written by hand with DataOutputStream rather than with the
     * generic record codec: that one builds method handles for every component, and the JVM
     * spins their lambda forms on the worker's start path (tens of ms, not kept in CDS archives).
     * The settings are one value of their own codec.
     */
    byte[] encode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(bytes);
        assignment.writeFields(out);
        writeString(out, master.id());
        writeString(out, master.address());
        out.writeLong(master.pid());
        writeBytes(out, master.secret());
        writeBytes(out, master.tlsKey());
        writeString(out, master.fingerprint());
        writeString(out, master.registryDescription());
        SettingsCodec.write(settings, out);
        out.writeBoolean(pooled);
        writeString(out, transportProvider);
        writeString(out, servedPlugin.pluginClass());
        out.writeInt(servedPlugin.typeId());
        out.writeInt(servedPlugin.listingSources().size());
        for (String source : servedPlugin.listingSources()) {
            writeString(out, source);
        }
        out.flush();
        return bytes.toByteArray();
    }

    static WorkerBootstrap decode(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            Assignment assignment = Assignment.readFields(in);
            Master master = new Master(readString(in), readString(in), in.readLong(), readBytes(in), readBytes(in),
                    readString(in), readString(in));
            WorkerBootstrap bootstrap = new WorkerBootstrap(assignment, master, SettingsCodec.read(in),
                    in.readBoolean(), readString(in), readServedPlugin(in));
            requireConsumed(in);
            return bootstrap;
        } catch (EOFException e) {
            throw garbled(e);
        }
    }

    private static ServedPlugin readServedPlugin(DataInputStream in) throws IOException {
        String pluginClass = readString(in);
        int typeId = in.readInt();
        int sourceCount = in.readInt();
        if (pluginClass == null || pluginClass.isEmpty() != (typeId == 0) || typeId < 0 || sourceCount < 0
                || sourceCount > 0 && typeId == 0 || sourceCount > MAX_LISTING_SOURCES) {
            throw garbled(null);
        }
        List<String> sources = new ArrayList<>(sourceCount);
        for (int i = 0; i < sourceCount; i++) {
            String source = readString(in);
            if (source == null) {
                throw garbled(null);
            }
            sources.add(source);
        }
        return pluginClass.isEmpty() ? ServedPlugin.NONE : new ServedPlugin(pluginClass, typeId, sources);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.length);
        out.write(value);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw garbled(null);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static void requireConsumed(DataInputStream in) throws IOException {
        if (in.available() != 0) {
            throw garbled(null);
        }
    }

    private static IOException garbled(Exception cause) {
        return new IOException("the worker configuration on stdin is truncated or garbled: this main class is"
                + " started by rpc-parallel's spawn of the same version, not by hand", cause);
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

        /** Writes {@link #LIFELINE_ASSIGN}, then the assignment, length first, and flushes. */
        public void writeTo(OutputStream out) throws IOException {
            byte[] bytes = encode();
            DataOutputStream data = new DataOutputStream(out);
            data.writeByte(LIFELINE_ASSIGN);
            data.writeInt(bytes.length);
            data.write(bytes);
            data.flush();
        }

        /** Runs the encoding once, so that the handover does not pay for loading and linking it. */
        public static void warmUp() {
            try {
                decode(new Assignment("", "", "", new byte[0], ShutdownOn.HEARTBEAT_TIMEOUT.name(), 0).encode());
            } catch (IOException e) {
                throw new IllegalStateException("an assignment did not survive its own encoding", e);
            }
        }

        /** Reads an assignment whose leading {@link #LIFELINE_ASSIGN} byte was already read. */
        public static Assignment readFrom(InputStream in) throws IOException {
            return decode(readFrame(in));
        }

        /** The fields in declaration order, as {@link WorkerBootstrap#encode} writes its own. */
        byte[] encode() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            writeFields(out);
            out.flush();
            return bytes.toByteArray();
        }

        void writeFields(DataOutputStream out) throws IOException {
            writeString(out, workerId);
            writeString(out, workerName);
            writeString(out, workerType);
            writeBytes(out, initArg);
            writeString(out, shutdownOn);
            out.writeLong(connectionTimeoutMillis);
        }

        static Assignment readFields(DataInputStream in) throws IOException {
            return new Assignment(readString(in), readString(in), readString(in), readBytes(in), readString(in),
                    in.readLong());
        }

        static Assignment decode(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            try {
                Assignment assignment = readFields(in);
                requireConsumed(in);
                return assignment;
            } catch (EOFException e) {
                throw garbled(e);
            }
        }
    }
}
