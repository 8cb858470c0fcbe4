package dev.rpcparallel.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start one worker process. Immutable; build with {@link #builder()}:
 *
 * <pre>{@code
 * SpawnOptions options = SpawnOptions.builder()
 *         .name("scorer-1")
 *         .addJvmOptions("-Xmx512m")
 *         .spawnTimeout(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: a generated name ({@code TYPE-N}); the master's own JVM options followed by
 * the added ones; the master's environment and working directory; a spawn timeout of 60 s; the
 * worker's stdout and stderr copied to the master's stderr, each line prefixed
 * {@code [worker NAME] }.
 */
public final class SpawnOptions {
    private static final SpawnOptions DEFAULTS = builder().build();

    private final Optional<String> name;
    private final List<String> jvmOptions;
    private final boolean inheritJvmOptions;
    private final Map<String, String> environment;
    private final Duration spawnTimeout;

    private SpawnOptions(Builder builder) {
        this.name = Optional.ofNullable(builder.name);
        this.jvmOptions = builder.jvmOptions.build();
        this.inheritJvmOptions = builder.inheritJvmOptions;
        this.environment = builder.environment.buildKeepingLast();
        this.spawnTimeout = builder.spawnTimeout;
    }

    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The worker's name, if one was chosen. */
    public Optional<String> name() {
        return name;
    }

    /** JVM options added after the inherited ones (or instead of them, see {@link #inheritJvmOptions()}). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Whether the worker starts with the master's own JVM options before {@link #jvmOptions()}. */
    public boolean inheritJvmOptions() {
        return inheritJvmOptions;
    }

    /** Environment variables set in the worker on top of the master's environment. */
    public Map<String, String> environment() {
        return environment;
    }

    /** How long spawn waits for the worker to start, register and initialise its state. */
    public Duration spawnTimeout() {
        return spawnTimeout;
    }

    /** A builder for {@link SpawnOptions}; not thread-safe. */
    public static final class Builder {
        private String name;
        private final ImmutableList.Builder<String> jvmOptions = ImmutableList.builder();
        private boolean inheritJvmOptions = true;
        private final ImmutableMap.Builder<String, String> environment = ImmutableMap.builder();
        private Duration spawnTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** A readable name, shown in logs, errors, output prefixes and {@code ps}. */
        public Builder name(String name) {
            requireNonNull(name, "name");
            checkArgument(!name.isBlank() && name.chars().noneMatch(Character::isWhitespace),
                    "worker name '%s' must be non-empty and contain no white space", name);
            this.name = name;
            return this;
        }

        public Builder addJvmOptions(String... options) {
            for (String option : options) {
                jvmOptions.add(requireNonNull(option, "option"));
            }
            return this;
        }

        /** With {@code false}, the worker gets only the JVM options added here, not the master's. */
        public Builder inheritJvmOptions(boolean inherit) {
            this.inheritJvmOptions = inherit;
            return this;
        }

        public Builder putEnvironment(String variable, String value) {
            environment.put(requireNonNull(variable, "variable"), requireNonNull(value, "value"));
            return this;
        }

        public Builder spawnTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            checkArgument(!timeout.isNegative() && !timeout.isZero(), "spawn timeout must be positive: %s", timeout);
            this.spawnTimeout = timeout;
            return this;
        }

        public SpawnOptions build() {
            return new SpawnOptions(this);
        }
    }
}
