/*
 * The worker protocol of rpc-parallel: the envelope every frame travels in between a master
 * and its workers (and between any two rpc-parallel processes).
 *
 * On the wire each WireFrame is one Thrift framed-transport frame: a 4-byte big-endian length,
 * then the struct encoded with the Thrift compact protocol. The frame size the transport
 * limits is that length, that is the encoded struct, payload included.
 *
 * The envelope knows nothing of what it carries: payloads are encoded by the runtime, with
 * Thrift compact protocol codecs, and are opaque here.
 *
 * Evolution: new frames extend FrameKind with new values (CHUNK..CANCEL were added for
 * chunked payloads, streams and flow-control credit; DEADLINE for call deadlines) and add new *optional* fields with new ids. Never renumber or reuse a value or a field id.
 * A peer that reads a kind it does not know closes the connection; a peer that reads a field
 * id it does not know skips it.
 *
 * The transport writes and reads this envelope by hand (WireFrames), with no Thrift library at
 * run time. The Java in dev.rpcparallel.transport.thrift.wire (test sources) is generated from
 * this file and committed, as the reference the tests compare the hand-written code with;
 * regenerate it (Thrift compiler 0.21 or newer) whenever this file changes, and change
 * WireFrames to match.
 */

namespace java dev.rpcparallel.transport.thrift.wire

/**
 * What a frame carries. The values are the wire values of the runtime's FrameKind
 * (dev.rpcparallel.spi.transport.FrameKind) and must stay equal to them.
 */
enum FrameKind {
  /** Client to server: opens the handshake. */
  HELLO = 1,
  /** Server to client: proves the secret and challenges the client. */
  CHALLENGE = 2,
  /** Client to server: proves the secret; carries the connection argument. */
  AUTH = 3,
  /** Server to client: the connection is ready for calls. */
  READY = 4,
  /** A request: callId chosen by the caller, functionId names the function. */
  CALL = 5,
  /** The successful result of the call callId. */
  RESULT = 6,
  /** The call callId (or, with callId 0, the connection) failed; the payload says why. */
  ERROR = 7,
  /**
   * A piece of the payload of the next frame of call callId from the same side: a large
   * payload travels as CHUNK frames and a final frame of its own kind holding the last piece,
   * so that frames of other calls can be sent in between. Its functionId is the
   * size of the whole payload. The transport does not join them.
   */
  CHUNK = 8,
  /** One element of the stream callId: a pipe's element, or a reverse pipe's update. */
  ELEMENT = 9,
  /** The stream callId ended normally: no more elements follow from this side. */
  END = 10,
  /** The receiver of the stream callId takes that many more elements (the payload says how many). */
  CREDIT = 11,
  /**
   * The caller cancels the call or stream callId: the producer stops, a running call is told
   * and interrupted, and no answer is sent.
   */
  CANCEL = 12,
  /**
   * Client to server, just before the CALL of callId (before any of its CHUNKs): the call's
   * deadline, as the time left in microseconds when it was sent (the payload, an int64 in the
   * runtime's encoding). A call without a deadline has no such frame.
   */
  DEADLINE = 13,
}

/**
 * One frame.
 *
 * Only kind is required: a frame without one means nothing, so its absence is a protocol
 * error. The other fields have default requiredness: writers always write them, and a reader
 * takes a missing one as its default (0, or an empty payload), so a future kind that has no
 * call, function or payload may leave them out. Fields added later must be optional.
 */
struct WireFrame {
  /** What the frame carries. */
  1: required FrameKind kind,
  /** The call or stream the frame belongs to; 0 for connection-level frames. */
  2: i64 callId = 0,
  /** The function called, on CALL frames; 0 otherwise. */
  3: i32 functionId = 0,
  /** The runtime's encoding of the argument, result or control message. */
  4: binary payload,
}
