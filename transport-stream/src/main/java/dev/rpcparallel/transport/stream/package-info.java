/**
 * Support for transports that carry frames over a byte stream (a TCP socket, a Unix domain
 * socket, an in-memory pipe). {@link dev.rpcparallel.transport.stream.StreamFrameChannel} is the
 * whole {@link dev.rpcparallel.spi.transport.FrameChannel} contract (reading thread, hand-off of
 * reading, close once with the cause, the write lock, the deferred flush, the live frame size
 * limit); a transport gives it the streams of one connection ({@link
 * dev.rpcparallel.transport.stream.StreamConnection}) and the encoding of frames on them
 * ({@link dev.rpcparallel.transport.stream.FrameCodec}).
 */
package dev.rpcparallel.transport.stream;
