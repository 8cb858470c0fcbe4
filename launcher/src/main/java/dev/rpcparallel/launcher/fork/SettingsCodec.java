package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.TlsSettings;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;

/**
 * A master's {@link RpcSettings} as bytes, in one piece, the way they travel to its workers in
 * the {@link WorkerBootstrap}: a version byte, then the record's components in declaration
 * order. Exact: durations keep their nanoseconds, absent values ({@code tls},
 * {@code defaultCallTimeout}) stay absent. A new component is written here and read in the same
 * place of {@link #read}; the round-trip test over every component fails until it is.
 *
 * <p>Not {@code RpcSettings.toString()}'s {@code name=value} form: that one leaves out the TLS
 * passwords on purpose, and parsing text costs a worker more on its start path than this.
 */
public final class SettingsCodec {
    /** Changes whenever the layout does; a worker refuses settings of another layout. */
    static final int VERSION = 2;

    private SettingsCodec() {}

    public static void write(RpcSettings settings, DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeUTF(settings.transport());
        out.writeUTF(settings.bindHost());
        out.writeUTF(settings.advertisedHost());
        out.writeInt(settings.maxMessageSize());
        writeDuration(out, settings.handshakeTimeout());
        writeDuration(out, settings.connectTimeout());
        writeDuration(out, settings.heartbeatInterval());
        writeDuration(out, settings.heartbeatTimeout());
        writeTls(out, settings.tls());
        out.writeInt(settings.streamWindowBytes());
        out.writeInt(settings.directPipeQueueBytes());
        out.writeBoolean(settings.defaultCallTimeout() != null);
        if (settings.defaultCallTimeout() != null) {
            writeDuration(out, settings.defaultCallTimeout());
        }
        out.writeLong(settings.receiveBudget());
        out.writeInt(settings.callThreads());
        out.writeUTF(settings.launcher());
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException if the bytes end early, are of another layout version, or make no
     *     valid settings
     */
    public static RpcSettings read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("the master's settings are of layout version " + version + ", this worker reads "
                    + VERSION + ": the master and its workers must run the same rpc-parallel version");
        }
        try {
            // Arguments are evaluated left to right: the order of write above.
            return new RpcSettings(in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), readDuration(in),
                    readDuration(in), readDuration(in), readDuration(in), readTls(in), in.readInt(), in.readInt(),
                    in.readBoolean() ? readDuration(in) : null, in.readLong(), in.readInt(), in.readUTF());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("the master's settings are invalid here: " + e.getMessage(), e);
        }
    }

    private static void writeDuration(DataOutput out, Duration duration) throws IOException {
        out.writeLong(duration.getSeconds());
        out.writeInt(duration.getNano());
    }

    private static Duration readDuration(DataInput in) throws IOException {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }

    private static void writeTls(DataOutput out, TlsSettings tls) throws IOException {
        out.writeBoolean(tls != null);
        if (tls != null) {
            out.writeUTF(tls.keyStore());
            out.writeUTF(tls.keyStorePassword());
            out.writeUTF(tls.trustStore());
            out.writeUTF(tls.trustStorePassword());
        }
    }

    private static TlsSettings readTls(DataInput in) throws IOException {
        return in.readBoolean() ? new TlsSettings(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF()) : null;
    }
}
