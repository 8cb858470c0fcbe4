package dev.rpcparallel.launcher.tls;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.logging.log4j.LogManager;

/**
 * Whether a process's TCP connections use the application's generated TLS key, and the context
 * made of it. A master generates a key when its connections may cross hosts (its default
 * launcher starts workers elsewhere) and the user set no TLS of their own
 * ({@link RpcSettings#tls()} wins) and did not opt out ({@value #OFF_PROPERTY}{@code =off} or
 * {@value #OFF_VARIABLE}{@code =off}, for trusted networks; a WARN says so once). Its workers,
 * wherever they run, get the key with the secret in their bootstrap, so that every TCP
 * connection between two processes of the application uses TLS at both ends. Unix and
 * in-process transports are untouched.
 *
 * <p>Thread-safe; the context is made on first use, so a worker that never speaks TCP never
 * loads TLS.
 */
public final class ApplicationTls {
    /** The system property that turns the generated TLS off: {@code off}, or {@code on} (the default). */
    public static final String OFF_PROPERTY = "rpcparallel.tls";
    /** The environment variable of the same meaning; the property wins. */
    public static final String OFF_VARIABLE = "RPC_PARALLEL_TLS";

    private static final AtomicBoolean OFF_WARNED = new AtomicBoolean();
    private static final ApplicationTls NONE = new ApplicationTls(null);

    private final ApplicationKey key;
    private final byte[] encodedKey;
    private volatile SSLContext context;

    private ApplicationTls(byte[] encodedKey) {
        this(null, encodedKey);
    }

    private ApplicationTls(ApplicationKey key, byte[] encodedKey) {
        this.key = key;
        this.encodedKey = encodedKey;
    }

    /** No generated TLS. */
    public static ApplicationTls none() {
        return NONE;
    }

    /**
     * The TLS of a master with {@code settings}.
     *
     * @param crossesHosts whether its default launcher starts workers on other hosts
     * @throws RpcParallelException if the opt-out's value is neither {@code on} nor {@code off}
     */
    public static ApplicationTls ofMaster(RpcSettings settings, boolean crossesHosts) {
        if (settings.tls() != null || !crossesHosts) {
            return NONE;
        }
        if (isTurnedOff()) {
            if (OFF_WARNED.compareAndSet(false, true)) {
                // The logger only here: a worker loads this class on its start path, and logs nothing.
                LogManager.getLogger(ApplicationTls.class).warn("TLS is turned off ({}): this application's"
                        + " connections between hosts use plain TCP, authenticated by its secret but not encrypted."
                        + " Remove the setting to encrypt them.", offSource());
            }
            return NONE;
        }
        ApplicationKey generated = ApplicationKey.generate();
        return new ApplicationTls(generated, generated.encoded());
    }

    /** The TLS of a worker given {@code encodedKey} by its master ({@code null}: none). */
    public static ApplicationTls ofWorker(byte[] encodedKey) {
        return encodedKey == null ? NONE : new ApplicationTls(encodedKey.clone());
    }

    /**
     * Whether the user turned the generated TLS off.
     *
     * @throws RpcParallelException if the value is neither {@code on} nor {@code off}
     */
    public static boolean isTurnedOff() {
        String value = System.getProperty(OFF_PROPERTY);
        String source = "-D" + OFF_PROPERTY;
        if (value == null) {
            value = System.getenv(OFF_VARIABLE);
            source = OFF_VARIABLE;
        }
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "off" -> true;
            case "on" -> false;
            default -> throw new RpcParallelException(source + "=" + value + " is not a TLS setting: use " + source
                    + "=off to turn the generated TLS between hosts off (trusted networks only), or on (the default)");
        };
    }

    private static String offSource() {
        return System.getProperty(OFF_PROPERTY) != null ? "-D" + OFF_PROPERTY + "=off" : OFF_VARIABLE + "=off";
    }

    /** Whether this process uses a generated key on its TCP connections. */
    public boolean isOn() {
        return encodedKey != null;
    }

    /** The key as workers are given it ({@link ApplicationKey#encoded}), or {@code null} when off; not a copy. */
    public byte[] encodedKey() {
        return encodedKey;
    }

    /**
     * The context presenting the key and trusting only its certificate, made once.
     *
     * @throws IllegalStateException if off
     * @throws IllegalArgumentException if the key from the master is garbled
     */
    public SSLContext context() {
        SSLContext made = context;
        if (made == null) {
            if (!isOn()) {
                throw new IllegalStateException("this process has no generated TLS key");
            }
            synchronized (this) {
                made = context;
                if (made == null) {
                    made = PinnedTlsContext.of(key != null ? key : ApplicationKey.decode(encodedKey));
                    context = made;
                }
            }
        }
        return made;
    }

    @Override
    public String toString() {
        return isOn() ? "generated TLS" : "no generated TLS";
    }
}
