/**
 * The {@code unix} transport ({@code unix:///path/to/socket}): the runtime's frames over Unix
 * domain sockets between processes of one host and one user, with the Thrift framing.
 */
package dev.rpcparallel.transport.unix;
