/**
 * Internal: the engine behind {@link dev.rpcparallel.api.Codecs}. It writes and reads Apache
 * Thrift's compact protocol by hand (no libthrift), maps Java types to wire types, and builds
 * the record, list and map encodings.
 *
 * <p>Not part of the public API: applications and plugins never name these classes, the
 * javadoc leaves the package out, and it may change in any release. It depends on nothing but
 * the JDK, not even on the public {@code dev.rpcparallel.api} package: its failures are
 * {@link dev.rpcparallel.api.internal.codec.WireFormatException}s, which {@code Codecs} turns
 * into {@code CodecException}s naming the codec.
 */
package dev.rpcparallel.api.internal.codec;
