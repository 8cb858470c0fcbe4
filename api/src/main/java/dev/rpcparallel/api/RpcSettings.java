package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings of an application's RPC servers and clients. The master's settings travel to every
 * worker it spawns, so the master, its spawned workers and the workers it serves all agree.
 *
 * <p>The environment variable {@value #ENVIRONMENT_VARIABLE} overrides any of them in a master,
 * whatever its code passed: a comma-separated list of {@code name=value}, durations with a unit
 * ({@code ms}, {@code s}, {@code m}), for example
 * {@code RPC_PARALLEL_SETTINGS="heartbeatInterval=500ms,heartbeatTimeout=5s,maxMessageSize=1m"}; sizes
 * are in bytes, or with a unit for binary multiples ({@code k}, {@code m}, {@code g}, or
 * {@code KiB}, {@code MiB}, {@code GiB}): {@code streamWindowBytes=8MiB,directPipeQueueBytes=64MiB}.
 *
 * @param transport the name of the {@code Transport} to use, such as {@code "thrift"} (TCP) or
 *     {@code "unix"} (Unix domain sockets, this host only); {@value #AUTOMATIC_TRANSPORT} (the
 *     default) for {@code unix} between the processes of this host and {@code thrift} where TCP
 *     is needed (TLS, a bind address or advertised host set, a worker on another host, no
 *     {@code AF_UNIX}); {@code rpc-parallel transports} shows the choice and why
 * @param bindHost the address servers bind to; loopback unless workers must be reached from
 *     other hosts
 * @param advertisedHost the host put in the addresses of servers ({@link WorkerRef#address()})
 *     for others to connect to, when it differs from {@code bindHost} (a wildcard bind, NAT);
 *     empty for the bound address itself
 * @param maxMessageSize the largest frame a peer may send, in bytes; larger ones are refused
 * @param handshakeTimeout how long a new connection may take to authenticate
 * @param connectTimeout how long a client waits for a connection to be accepted (TCP or Unix domain socket)
 * @param heartbeatInterval how often a worker tells its master it is alive
 * @param heartbeatTimeout how long a worker waits for its master to answer heartbeats before it
 *     concludes the master is gone and exits, and how long a master waits for a worker's
 *     heartbeats before it declares the worker lost (hung or stopped) and kills it; time a
 *     process spent paused itself (stopped, in a debugger, starved) does not count against its
 *     peer. Raise it to hold a worker at a breakpoint
 * @param tls TLS with mutual authentication for every connection, or {@code null} for plain TCP
 *     (the secret's handshake authenticates either way; TLS also encrypts)
 * @param streamWindowBytes how many bytes of encoded elements a stream's producer may have sent
 *     ahead of its consumer (pipes, states' updates and reverse pipes' updates), besides the
 *     {@link RemoteStream#WINDOW} elements; an element larger than the window still flows, one
 *     at a time
 * @param directPipeQueueBytes how many bytes of a direct pipe's elements may be pushed and not
 *     yet taken by the caller's callback; past it the pipe fails, on both sides, as "consumer too
 *     slow" (a single larger element still flows when nothing else waits)
 * @param defaultCallTimeout the timeout of rpc calls and reverse pipes made without one of their
 *     own ({@link CallOptions}), or {@code null} (the default) for none; streams get no default
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
 * @param launcher the launcher URI of the master's spawns that name none
 *     ({@link SpawnOptions#launcher()}): {@code local:}, {@code wrap:COMMAND}, {@code ssh://host}, ...;
 *     several separated by {@code ;} take turns, spawn after spawn ({@code ssh://h1;ssh://h2});
 *     empty (the default, or the system property {@value #LAUNCHER_PROPERTY}) for {@code local:}.
 *     Not passed on to workers: a worker's own spawns start locally unless it says otherwise
 */
@API(status = API.Status.STABLE, since = "0.1")
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
        // ---- stream memory bounds, in bytes
        int streamWindowBytes,
        int directPipeQueueBytes,
        // ---- calls
        Duration defaultCallTimeout,
        // ---- receiving and running calls: bytes and threads a process gives its callers
        long receiveBudget,
        int callThreads,
        // ---- where spawned workers start
        String launcher) {

    /**
     * The transport of settings that name none: {@code unix} for the processes of this host,
     * {@code thrift} where TCP is needed (see {@link #transport()}).
     */
    public static final String AUTOMATIC_TRANSPORT = "auto";
    /** The system property that chooses the transport when settings do not. */
    public static final String TRANSPORT_PROPERTY = "rpcparallel.transport";
    /** The system property that chooses the default {@link #launcher()} when settings do not. */
    public static final String LAUNCHER_PROPERTY = "rpcparallel.launcher";
    /** The environment variable whose {@code name=value} pairs override a master's settings. */
    public static final String ENVIRONMENT_VARIABLE = "RPC_PARALLEL_SETTINGS";
    /** The default {@link #streamWindowBytes()}: 4 MiB. */
    public static final int DEFAULT_STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
    /** The default {@link #directPipeQueueBytes()}: 16 MiB. */
    public static final int DEFAULT_DIRECT_PIPE_QUEUE_BYTES = 16 * 1024 * 1024;
    /** The value of {@link #receiveBudget()} and {@link #callThreads()} that sizes them from the process. */
    public static final int AUTOMATIC = 0;
    /** The smallest receive budget: 1 MiB, more than any single frame. */
    public static final long MIN_RECEIVE_BUDGET = 1024 * 1024;

    public RpcSettings {
        requireNonNull(transport, "transport");
        requireNonNull(bindHost, "bindHost");
        requireNonNull(advertisedHost, "advertisedHost");
        Arguments.check(maxMessageSize >= 1024, "maxMessageSize must be at least 1024 bytes: %s", maxMessageSize);
        positive(handshakeTimeout, "handshakeTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(heartbeatInterval, "heartbeatInterval");
        positive(heartbeatTimeout, "heartbeatTimeout");
        Arguments.check(heartbeatTimeout.compareTo(heartbeatInterval) > 0,
                "heartbeatTimeout (%s ms) must be longer than heartbeatInterval (%s ms): raise heartbeatTimeout or"
                        + " lower heartbeatInterval", heartbeatTimeout.toMillis(), heartbeatInterval.toMillis());
        Arguments.check(streamWindowBytes >= 1024, "streamWindowBytes must be at least 1024 bytes: %s", streamWindowBytes);
        Arguments.check(directPipeQueueBytes >= 1024, "directPipeQueueBytes must be at least 1024 bytes: %s",
                directPipeQueueBytes);
        if (defaultCallTimeout != null) {
            positive(defaultCallTimeout, "defaultCallTimeout");
        }
        Arguments.check(receiveBudget == AUTOMATIC || receiveBudget >= MIN_RECEIVE_BUDGET,
                "receiveBudget must be 0 (automatic) or at least %s bytes: %s", MIN_RECEIVE_BUDGET, receiveBudget);
        requireNonNull(launcher, "launcher");
        for (String one : launcher.split(";")) {
            Arguments.check(launcher.isBlank() || one.strip().indexOf(':') > 0,
                    "launcher '%s' is not a launcher URI: write local:, wrap:COMMAND or ssh://host", one.strip());
        }
        Arguments.check(callThreads >= 0, "callThreads must be 0 (automatic) or positive: %s", callThreads);
    }

    private static void positive(Duration duration, String name) {
        requireNonNull(duration, name);
        Arguments.check(duration.toMillis() > 0, "%s must be at least 1 ms: %s ms", name, duration.toMillis());
    }

    /**
     * The defaults: the transport named by the system property {@value #TRANSPORT_PROPERTY} or
     * {@value #AUTOMATIC_TRANSPORT}; loopback; 256 MiB messages; 10 s handshakes and connects; a heartbeat
     * every second, with a 10 s timeout; streams 4 MiB ahead of their consumers, direct pipes
     * 16 MiB; no default call timeout.
     */
    public static RpcSettings defaults() {
        return new RpcSettings(
                System.getProperty(TRANSPORT_PROPERTY, AUTOMATIC_TRANSPORT),
                "127.0.0.1",
                "",
                256 * 1024 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                null,
                DEFAULT_STREAM_WINDOW_BYTES,
                DEFAULT_DIRECT_PIPE_QUEUE_BYTES,
                null,
                AUTOMATIC,
                AUTOMATIC,
                System.getProperty(LAUNCHER_PROPERTY, ""));
    }

    /**
     * These settings with another default launcher for the master's spawns: a launcher URI such
     * as {@code ssh://host} or {@code wrap:nice -n 5}, or empty for {@code local:} (see
     * {@link SpawnOptions.Builder#launcher(java.net.URI)}). A master whose default launcher
     * starts workers on other hosts listens on an address those hosts can reach.
     */
    public RpcSettings withLauncher(String launcher) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /** These settings with TLS ({@code null}: plain TCP). */
    public RpcSettings withTls(TlsSettings tls) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    public RpcSettings withTransport(String transport) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    public RpcSettings withBindHost(String bindHost) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /** These settings with another advertised host; empty for the bound address. */
    public RpcSettings withAdvertisedHost(String advertisedHost) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    public RpcSettings withMaxMessageSize(int maxMessageSize) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    public RpcSettings withHandshakeTimeout(Duration handshakeTimeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    public RpcSettings withConnectTimeout(Duration connectTimeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /** Both heartbeat settings at once, since the timeout must exceed the interval. */
    public RpcSettings withHeartbeat(Duration interval, Duration timeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                interval, timeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /** These settings with another {@link #streamWindowBytes()}. */
    public RpcSettings withStreamWindowBytes(int streamWindowBytes) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /** These settings with another {@link #directPipeQueueBytes()}. */
    public RpcSettings withDirectPipeQueueBytes(int directPipeQueueBytes) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /**
     * These settings with a default call timeout: rpc calls and reverse pipes made without a
     * timeout of their own fail with a {@link DeadlineExceededException} after it;
     * {@code null} for none.
     */
    public RpcSettings withDefaultCallTimeout(Duration defaultCallTimeout) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    // ---- receiving and running calls

    /**
     * These settings with another receive budget in bytes ({@value #AUTOMATIC}: an eighth of the
     * process's maximum heap).
     */
    public RpcSettings withReceiveBudget(long receiveBudget) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
    }

    /** These settings with another number of call threads ({@value #AUTOMATIC}: twice the processors, at least 16). */
    public RpcSettings withCallThreads(int callThreads) {
        return new RpcSettings(transport, bindHost, advertisedHost, maxMessageSize, handshakeTimeout, connectTimeout,
                heartbeatInterval, heartbeatTimeout, tls, streamWindowBytes, directPipeQueueBytes,
                defaultCallTimeout, receiveBudget, callThreads, launcher);
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
            entries = SettingsText.entries(overrides);
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
                    case "maxMessageSize" -> result = result.withMaxMessageSize((int) SettingsText.size(value, Integer.MAX_VALUE));
                    case "handshakeTimeout" -> result = result.withHandshakeTimeout(SettingsText.duration(value));
                    case "connectTimeout" -> result = result.withConnectTimeout(SettingsText.duration(value));
                    case "heartbeatInterval" -> interval = SettingsText.duration(value);
                    case "heartbeatTimeout" -> timeout = SettingsText.duration(value);
                    case "streamWindowBytes" -> result = result.withStreamWindowBytes((int) SettingsText.size(value, Integer.MAX_VALUE));
                    case "directPipeQueueBytes" -> result = result.withDirectPipeQueueBytes((int) SettingsText.size(value, Integer.MAX_VALUE));
                    case "defaultCallTimeout" -> result = result.withDefaultCallTimeout(
                            value.equalsIgnoreCase("none") ? null : SettingsText.duration(value));
                    case "receiveBudget" -> result = result.withReceiveBudget(SettingsText.size(value, Long.MAX_VALUE));
                    case "callThreads" -> result = result.withCallThreads(count(value));
                    case "launcher" -> result = result.withLauncher(value);
                    default -> throw new IllegalArgumentException("unknown setting; the settings are transport, bindHost, advertisedHost,"
                            + " maxMessageSize, handshakeTimeout, connectTimeout, heartbeatInterval, heartbeatTimeout,"
                            + " streamWindowBytes, directPipeQueueBytes, defaultCallTimeout, receiveBudget, callThreads, launcher");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": cannot apply '" + entry.getKey() + "="
                        + value + "': " + e.getMessage(), e);
            }
        }
        try {
            return result.withHeartbeat(interval, timeout);
        } catch (IllegalArgumentException e) {
            String given = entries.entrySet().stream().filter(entry -> entry.getKey().startsWith("heartbeat"))
                    .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(","));
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": cannot apply '" + given + "': "
                    + e.getMessage(), e);
        }
    }

    /** A count written in digits, for {@link #withOverrides}. */
    private static int count(String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number: write 0 (automatic) or a"
                    + " count such as 32", e);
        }
    }

    @Override
    public String toString() {
        return "transport=" + transport + ",bindHost=" + bindHost + ",advertisedHost=" + advertisedHost + ",maxMessageSize=" + maxMessageSize
                + ",handshakeTimeout=" + handshakeTimeout.toMillis() + "ms,connectTimeout=" + connectTimeout.toMillis()
                + "ms,heartbeatInterval=" + heartbeatInterval.toMillis() + "ms,heartbeatTimeout="
                + heartbeatTimeout.toMillis() + "ms" + (tls == null ? "" : ",tls=" + tls)
                + ",streamWindowBytes=" + streamWindowBytes + ",directPipeQueueBytes=" + directPipeQueueBytes
                + (defaultCallTimeout == null ? "" : ",defaultCallTimeout=" + defaultCallTimeout.toMillis() + "ms")
                + ",receiveBudget=" + receiveBudget + ",callThreads=" + callThreads
                + (launcher.isBlank() ? "" : ",launcher=" + launcher);
    }
}
