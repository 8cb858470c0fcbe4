package dev.rpcparallel.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.base.Splitter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of an application's RPC servers and clients. The master's settings travel to every
 * worker it spawns, so the master, its spawned workers and the workers it serves all agree.
 *
 * <p>The environment variable {@value #ENVIRONMENT_VARIABLE} overrides any of them in a master,
 * whatever its code passed: a comma-separated list of {@code name=value}, durations with a unit
 * ({@code ms}, {@code s}, {@code m}), for example
 * {@code RPC_PARALLEL_SETTINGS="heartbeatInterval=500ms,heartbeatTimeout=5s,maxMessageSize=1048576"}.
 *
 * @param transport the name of the {@code Transport} to use, such as {@code "thrift"}
 * @param bindHost the address servers bind to; loopback unless workers must be reached from
 *     other hosts
 * @param advertisedHost the host put in the addresses of servers ({@link WorkerRef#address()})
 *     for others to connect to, when it differs from {@code bindHost} (a wildcard bind, NAT);
 *     empty for the bound address itself
 * @param maxMessageSize the largest frame a peer may send, in bytes; larger ones are refused
 * @param handshakeTimeout how long a new connection may take to authenticate
 * @param connectTimeout how long a client waits for a TCP connection to be accepted
 * @param heartbeatInterval how often a worker tells its master it is alive
 * @param heartbeatTimeout how long a worker waits for its master to answer heartbeats before it
 *     concludes the master is gone and exits
 * @param tls TLS with mutual authentication for every connection, or {@code null} for plain TCP
 *     (the secret's handshake authenticates either way; TLS also encrypts)
 * @param receiveBudget the bytes a process holds at most for the calls it serves (arguments
 *     being received, waiting to run or running, answers waiting to be written), and as much
 *     again for the large answers (results, stream elements) it receives as a caller. Past it, a process stops
 *     reading the connection that would exceed it until bytes are released, which slows the
 *     sender through the transport; a single payload larger than the whole budget is refused
 *     with an error naming this setting. {@value #AUTOMATIC} (the default): an eighth of the
 *     process's maximum heap ({@code Runtime.maxMemory()}), at least 4 MiB, so each process of
 *     the application sizes it from its own heap
 * @param callThreads how many calls (rpc and one-way) a process runs at once; the others wait in
 *     a queue, their arguments counted in the receive budget. {@value #AUTOMATIC} (the
 *     default): twice the processors, at least 16
 */
public record RpcSettings(
        String transport,
        String bindHost,
        String advertisedHost,
        int maxMessageSize,
        Duration handshakeTimeout,
        Duration connectTimeout,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        TlsSettings tls,
        // ---- receiving and running calls: bytes and threads a process gives its callers
        long receiveBudget,
        int callThreads) {

    /** The system property that chooses the transport when settings do not. */
    public static final String TRANSPORT_PROPERTY = "rpcparallel.transport";
    /** The environment variable whose {@code name=value} pairs override a master's settings. */
    public static final String ENVIRONMENT_VARIABLE = "RPC_PARALLEL_SETTINGS";
    /** The value of {@link #receiveBudget()} and {@link #callThreads()} that sizes them from the process. */
    public static final int AUTOMATIC = 0;
    /** The smallest receive budget: 1 MiB, more than any single frame. */
    public static final long MIN_RECEIVE_BUDGET = 1024 * 1024;

    public RpcSettings {
        requireNonNull(transport, "transport");
        requireNonNull(bindHost, "bindHost");
        requireNonNull(advertisedHost, "advertisedHost");
        checkArgument(maxMessageSize >= 1024, "maxMessageSize must be at least 1024 bytes: %s", maxMessageSize);
        positive(handshakeTimeout, "handshakeTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(heartbeatInterval, "heartbeatInterval");
        positive(heartbeatTimeout, "heartbeatTimeout");
        checkArgument(heartbeatTimeout.compareTo(heartbeatInterval) > 0,
                "heartbeatTimeout (%s) must be longer than heartbeatInterval (%s)", heartbeatTimeout, heartbeatInterval);
        checkArgument(receiveBudget == AUTOMATIC || receiveBudget >= MIN_RECEIVE_BUDGET,
                "receiveBudget must be 0 (automatic) or at least %s bytes: %s", MIN_RECEIVE_BUDGET, receiveBudget);
        checkArgument(callThreads >= 0, "callThreads must be 0 (automatic) or positive: %s", callThreads);
    }

    /** These settings of an earlier version's shape, with the receive budget and call threads automatic. */
    public RpcSettings(String transport, String bindHost, String advertisedHost, int maxMessageSize,
            Duration handshakeTimeout, Duration connectTimeout, Duration heartbeatInterval, Duration heartbeatTimeout,
            TlsSettings tls) {
        this(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout, heartbeatInterval,
                heartbeatTimeout, tls, AUTOMATIC, AUTOMATIC);
    }

    private static void positive(Duration duration, String name) {
        requireNonNull(duration, name);
        checkArgument(duration.toMillis() > 0, "%s must be at least 1 ms: %s", name, duration);
    }

    /**
     * The defaults: the transport named by the system property {@value #TRANSPORT_PROPERTY} or
     * {@code thrift}; loopback; 256 MiB messages; 10 s handshakes and connects; a heartbeat
     * every second, with a 10 s timeout.
     */
    public static RpcSettings defaults() {
        return new RpcSettings(
                System.getProperty(TRANSPORT_PROPERTY, "thrift"),
                "127.0.0.1",
                "",
                256 * 1024 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                null,
                AUTOMATIC,
                AUTOMATIC);
    }

    /** These settings with TLS ({@code null}: plain TCP). */
    public RpcSettings withTls(TlsSettings tls) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    public RpcSettings withTransport(String transport) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    public RpcSettings withBindHost(String bindHost) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    /** These settings with another advertised host; empty for the bound address. */
    public RpcSettings withAdvertisedHost(String advertisedHost) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    public RpcSettings withMaxMessageSize(int maxMessageSize) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    public RpcSettings withHandshakeTimeout(Duration handshakeTimeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    public RpcSettings withConnectTimeout(Duration connectTimeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    /** Both heartbeat settings at once, since the timeout must exceed the interval. */
    public RpcSettings withHeartbeat(Duration interval, Duration timeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                interval, timeout, tls,
                receiveBudget, callThreads);
    }

    // ---- receiving and running calls

    /**
     * These settings with another receive budget in bytes ({@value #AUTOMATIC}: an eighth of the
     * process's maximum heap).
     */
    public RpcSettings withReceiveBudget(long receiveBudget) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    /** These settings with another number of call threads ({@value #AUTOMATIC}: twice the processors, at least 16). */
    public RpcSettings withCallThreads(int callThreads) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls,
                receiveBudget, callThreads);
    }

    /**
     * These settings with the overrides of a {@value #ENVIRONMENT_VARIABLE} value applied.
     *
     * @throws IllegalArgumentException naming the variable, the entry and the accepted names
     *     when the value cannot be read
     */
    public RpcSettings withOverrides(String overrides) {
        if (overrides == null || overrides.isBlank()) {
            return this;
        }
        RpcSettings result = this;
        Map<String, String> entries;
        try {
            entries = Splitter.on(',').trimResults().omitEmptyStrings().withKeyValueSeparator(Splitter.on('=').trimResults())
                    .split(overrides);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + "='" + overrides + "' is not a comma-separated"
                    + " list of name=value: " + e.getMessage(), e);
        }
        Duration interval = heartbeatInterval;
        Duration timeout = heartbeatTimeout;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String value = entry.getValue();
            try {
                switch (entry.getKey()) {
                    case "transport" -> result = result.withTransport(value);
                    case "bindHost" -> result = result.withBindHost(value);
                    case "advertisedHost" -> result = result.withAdvertisedHost(value);
                    case "maxMessageSize" -> result = result.withMaxMessageSize(Integer.parseInt(value));
                    case "handshakeTimeout" -> result = result.withHandshakeTimeout(duration(value));
                    case "connectTimeout" -> result = result.withConnectTimeout(duration(value));
                    case "heartbeatInterval" -> interval = duration(value);
                    case "heartbeatTimeout" -> timeout = duration(value);
                    case "receiveBudget" -> result = result.withReceiveBudget(Long.parseLong(value));
                    case "callThreads" -> result = result.withCallThreads(Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("unknown setting; the settings are transport, bindHost, advertisedHost,"
                            + " maxMessageSize, handshakeTimeout, connectTimeout, heartbeatInterval, heartbeatTimeout,"
                            + " receiveBudget, callThreads");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": cannot apply '" + entry.getKey() + "="
                        + value + "': " + e.getMessage(), e);
            }
        }
        return result.withHeartbeat(interval, timeout);
    }

    private static Duration duration(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
            }
            if (value.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 60));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: write 500ms, 10s or 2m");
    }

    @Override
    public String toString() {
        return "transport=" + transport + ",bindHost=" + bindHost + ",advertisedHost=" + advertisedHost + ",maxMessageSize=" + maxMessageSize
                + ",handshakeTimeout=" + handshakeTimeout.toMillis() + "ms,connectTimeout=" + connectTimeout.toMillis()
                + "ms,heartbeatInterval=" + heartbeatInterval.toMillis() + "ms,heartbeatTimeout="
                + heartbeatTimeout.toMillis() + "ms" + (tls == null ? "" : ",tls=" + tls)
                + ",receiveBudget=" + receiveBudget + ",callThreads=" + callThreads;
    }
}
