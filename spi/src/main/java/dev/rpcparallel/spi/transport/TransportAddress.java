package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import static java.util.Objects.requireNonNull;

/**
 * Where a {@link Transport}'s listener can be reached: a scheme, which names the transport, and
 * a location whose form the transport alone defines. Written {@code SCHEME://LOCATION}:
 * {@code thrift://127.0.0.1:41234}, {@code thrift://[::1]:41234}, {@code unix:///run/app/w-1.sock}
 * (the location is the path {@code /run/app/w-1.sock}), {@code local://worker-7}. This string
 * is what users see (a {@code WorkerRef}'s address, listings, logs).
 *
 * <p>This type checks only the general form; a transport parses the location of its own
 * addresses and refuses, with an {@link IllegalArgumentException}, one it cannot use.
 * Immutable.
 *
 * @param scheme the transport's name: a letter, then letters, digits, {@code +}, {@code -} or
 *     {@code .}, in lower case
 * @param location the rest, after {@code ://}; not empty
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TransportAddress(String scheme, String location) {

    private static final String SEPARATOR = "://";

    public TransportAddress {
        requireNonNull(scheme, "scheme");
        requireNonNull(location, "location");
        if (!isScheme(scheme)) {
            throw new IllegalArgumentException("not a transport name (a lower-case letter, then lower-case letters,"
                    + " digits, '+', '-' or '.'): '" + scheme + "'");
        }
        if (location.isEmpty()) {
            throw new IllegalArgumentException("empty location in a " + scheme + " address");
        }
    }

    /**
     * Parses {@code SCHEME://LOCATION}.
     *
     * @throws IllegalArgumentException naming the address, if it is not of that form
     */
    public static TransportAddress parse(String address) {
        requireNonNull(address, "address");
        int separator = address.indexOf(SEPARATOR);
        if (separator <= 0) {
            throw new IllegalArgumentException("not a transport address (expected SCHEME://LOCATION, such as"
                    + " thrift://127.0.0.1:41234): '" + address + "'");
        }
        try {
            return new TransportAddress(address.substring(0, separator), address.substring(separator + SEPARATOR.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a transport address: '" + address + "': " + e.getMessage(), e);
        }
    }

    /**
     * Checks that this is an address of {@code transport}.
     *
     * @throws IllegalArgumentException if its scheme is another transport's
     */
    public TransportAddress requireScheme(String transport) {
        if (!scheme.equals(transport)) {
            throw new IllegalArgumentException("not a " + transport + " address: " + this);
        }
        return this;
    }

    private static boolean isScheme(String scheme) {
        if (scheme.isEmpty() || scheme.charAt(0) < 'a' || scheme.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** {@code SCHEME://LOCATION}: the form {@link #parse} reads. */
    @Override
    public String toString() {
        return scheme + SEPARATOR + location;
    }
}
