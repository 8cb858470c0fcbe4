package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.spi.transport.TransportAddress;
import java.net.InetAddress;

/**
 * A {@code thrift://HOST:PORT} address. IPv6 hosts are written in brackets:
 * {@code thrift://[::1]:41234}.
 */
record ThriftAddress(String host, int port) {

    static final String SCHEME = ThriftTransport.NAME + "://";

    ThriftAddress {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        checkPort(port, 1);
    }

    /**
     * Parses an address.
     *
     * @throws IllegalArgumentException if it is not a {@code thrift://HOST:PORT} address
     */
    static ThriftAddress parse(String address) {
        if (!address.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a " + ThriftTransport.NAME + " address: " + address);
        }
        return parse(TransportAddress.parse(address));
    }

    /**
     * Parses the location of a {@code thrift} address.
     *
     * @throws IllegalArgumentException if it is not a {@code thrift://HOST:PORT} address
     */
    static ThriftAddress parse(TransportAddress transportAddress) {
        transportAddress.requireScheme(ThriftTransport.NAME);
        String address = transportAddress.toString();
        String rest = transportAddress.location();
        String host;
        String port;
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            if (end < 0 || end + 1 >= rest.length() || rest.charAt(end + 1) != ':') {
                throw new IllegalArgumentException("malformed address (expected thrift://[IPV6]:PORT): " + address);
            }
            host = rest.substring(1, end);
            port = rest.substring(end + 2);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("malformed address (expected thrift://HOST:PORT): " + address);
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("IPv6 hosts must be in brackets (thrift://[IPV6]:PORT): " + address);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("address without a host: " + address);
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed port in address " + address, e);
        }
        if (portNumber < 1 || portNumber > 65535) {
            throw new IllegalArgumentException("port out of range in address " + address);
        }
        return new ThriftAddress(host, portNumber);
    }

    /** {@code HOST:PORT}, with an IPv6 host in brackets. */
    static String format(InetAddress address, int port) {
        return format(address.getHostAddress(), port);
    }

    /** {@code HOST:PORT}, with an IPv6 host in brackets. */
    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** This address as the SPI's value. */
    TransportAddress toTransportAddress() {
        return new TransportAddress(ThriftTransport.NAME, format(host, port));
    }

    static void checkPort(int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return SCHEME + format(host, port);
    }
}
