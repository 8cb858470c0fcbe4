/*
 * The worker protocol of rpc-parallel: everything that crosses the wire between a master and
 * its workers (and between any two rpc-parallel processes, or a client in another language and
 * a worker). PROTOCOL.md at the root of the repository explains it step by step.
 *
 * Layers:
 *  1. Transport framing. Each WireFrame is one Thrift framed-transport frame: a 4-byte
 *     big-endian length, then the struct encoded with the Thrift compact protocol. The frame
 *     size the transport limits is that length, that is the encoded struct, payload included.
 *  2. The frame (WireFrame): a kind, a call id, a function id and an opaque payload.
 *  3. Payloads. Every payload below is ONE value encoded with the Thrift compact protocol (a
 *     struct of this file, or a scalar such as an i64), with no message header: the bytes
 *     TCompactProtocol writes for that value alone. The exceptions are named where they occur
 *     (CREDIT's fixed 12 bytes, the heartbeat's raw UTF-8 worker id, empty payloads).
 *
 * A function's argument and result are encoded by the function's codecs, also with the compact
 * protocol: a record is a struct whose component i (declaration order, from 0) is field i + 1;
 * an enum is a string (the constant's name); "void" is an empty payload.
 *
 * Evolution: new frames extend FrameKind with new values (CHUNK..CANCEL were added for
 * chunked payloads, streams and flow-control credit; DEADLINE for call deadlines) and add new
 * *optional* fields with new ids. Never renumber or reuse a value or a field id.
 * A peer that reads a kind it does not know closes the connection; a peer that reads a field
 * id it does not know skips it. An incompatible change bumps PROTOCOL_VERSION.
 *
 * The transport writes and reads this envelope by hand (WireFrames), with no Thrift library at
 * run time. The Java in dev.rpcparallel.transport.thrift.wire (test sources) and the Python in
 * clients/python/rpc_parallel/wire are generated from this file and committed: the Java is the
 * reference the tests compare the hand-written code and the runtime's messages with. Regenerate
 * both (Thrift compiler 0.21 or newer) whenever this file changes, and change WireFrames to match.
 */

namespace java dev.rpcparallel.transport.thrift.wire
namespace py rpc_parallel.wire

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

// ------------------------------------------------------------------------------ handshake

/** The version a client states in its Hello; a server speaking another refuses it after AUTH. */
const i32 PROTOCOL_VERSION = 3

/** The largest frame (length prefix excluded) a peer may send before it has authenticated. */
const i32 UNAUTHENTICATED_FRAME_LIMIT = 16384

/**
 * The largest payload one frame carries once authenticated: a larger payload travels as CHUNK
 * frames of at most this many bytes, then its own frame with the last piece. A server refuses a
 * frame longer than this plus 64 bytes (its envelope).
 */
const i32 CHUNK_SIZE = 262144

/** The length in bytes of each nonce of the handshake. */
const i32 NONCE_BYTES = 32

/** Hello.targetRole of a worker: a server of a worker type's functions. */
const string ROLE_WORKER = "WORKER"

/** Hello.targetRole of a master's registration server (spawned workers register there). */
const string ROLE_MASTER = "MASTER"

/**
 * The payload of HELLO (callId 0, functionId 0): client to server, first frame of a connection.
 * The server refuses a hello naming another identity (targetRole, targetId) than its own with an
 * ERROR frame, before it proves anything.
 */
struct Hello {
  /** PROTOCOL_VERSION. */
  1: i32 protocolVersion,
  /** NONCE_BYTES random bytes. */
  2: binary clientNonce,
  /** The id of the server the client means to reach: a WorkerRef's id, or a master's id. */
  3: string targetId,
  /**
   * The client's registry fingerprint (see PROTOCOL.md, "Fingerprint"); compared after AUTH,
   * except on a control connection to a worker.
   */
  4: string fingerprint,
  /** ROLE_WORKER or ROLE_MASTER. */
  5: string targetRole,
}

/**
 * The payload of CHALLENGE: server to client. serverProof is
 * HMAC-SHA256(key, field("rpc-parallel server") || field(role) || field(serverId)
 *             || field(clientNonce) || field(serverNonce)),
 * where field(x) is x's length as a 4-byte big-endian integer followed by x's bytes (strings as
 * UTF-8), and key is the server's key (PROTOCOL.md, "Keys").
 */
struct Challenge {
  /** NONCE_BYTES random bytes. */
  1: binary serverNonce,
  /** The server's proof of the key. */
  2: binary serverProof,
}

/**
 * The payload of AUTH: client to server. clientProof is the same HMAC as the server's with the
 * label "rpc-parallel client". The server answers READY (empty payload) or ERROR (a RemoteError).
 */
struct Auth {
  /** The client's proof of the key. */
  1: binary clientProof,
  /** The connection argument, encoded by the worker type's connection codec. */
  2: binary connectionArg,
  /**
   * A control connection: built-in functions only, no connection state; to a worker, the
   * fingerprint is not compared.
   */
  3: bool control,
  /**
   * A master's parked link to an idle warm worker: authenticated now; a second AUTH frame (its
   * clientProof empty) brings the connection argument later. Other clients send false.
   */
  4: bool parked,
}

// ------------------------------------------------------------------------------ errors

/** RemoteError.origin of a refusal by the runtime itself (bad handshake, unknown function...). */
const string ORIGIN_PROTOCOL = "protocol"

/** RemoteError.origin of a stream that went past one of its memory bounds. */
const string ORIGIN_LIMIT = "limit"

/**
 * The payload of every ERROR frame: why a call, a stream, the handshake or (with callId 0) the
 * connection failed.
 */
struct RemoteError {
  /**
   * What failed: "function 'NAME'", "worker-state init", "connection-state init",
   * ORIGIN_PROTOCOL or ORIGIN_LIMIT.
   */
  1: string origin,
  /**
   * The exception's type: its Java class name for an exception thrown by a function, or
   * "protocol" / "limit". (A Thrift service's declared exception is no RemoteError: it travels
   * in the method's result struct, METHOD_result, in a RESULT frame.)
   */
  2: string type,
  /** The exception's message; absent when it had none. */
  3: string message,
  /** The exception's printed stack trace ("" for refusals). */
  4: string stackTrace,
  /** With a fingerprint mismatch: the server's registry description; else absent. */
  5: string registryDescription,
}

// ------------------------------------------------------------------------------ registration

/**
 * The argument of the built-in REGISTER: a spawned worker tells its master's registration server
 * where it listens (address), or why its worker-state init failed (initError).
 */
struct Registration {
  1: string workerId,
  2: string address,
  3: RemoteError initError,
}

/** The argument of the built-in REPORT_FAILURE: an exception that reached no caller. */
struct FailureReport {
  1: string workerId,
  2: RemoteError error,
}

// ------------------------------------------------------------------------------ streams

/**
 * The payload of a CREDIT frame is NOT a Thrift value: it is 12 bytes, a big-endian i32 (the
 * elements the consumer has consumed since its last credit) then a big-endian i64 (their encoded
 * bytes). This struct names the two numbers; it never travels compact-encoded.
 */
struct Credit {
  1: i32 elements,
  2: i64 bytes,
}

/** The number of elements a producer may have sent and not yet given back as credit. */
const i32 STREAM_WINDOW_ELEMENTS = 1024

/** An element of the LOGS built-in's stream (after its first, empty element). */
struct LogEvent {
  1: i64 epochMillis,
  /** ERROR, WARN, INFO, DEBUG or TRACE. */
  2: string level,
  3: string logger,
  4: string thread,
  5: string message,
  /** The printed stack trace of the exception logged with the event; absent when none. */
  6: string thrown,
}

// ------------------------------------------------------------------------------ identifiers

/**
 * Function ids every server answers (WireFrame.functionId of a CALL). A worker type's own
 * functions are numbered from 1, in the order its plugin declares them; worker types are
 * numbered from 1 in the order of the worker listing. Both numbers are covered by the
 * fingerprint, and DESCRIBE tells a client in another language which id a function name has.
 */
enum BuiltinFunction {
  /** Acknowledges (empty RESULT), then shuts the worker down. */
  SHUTDOWN = -1,
  /** A spawned worker registers with its master (argument: Registration). Masters only. */
  REGISTER = -2,
  /**
   * Worker to master: "I am alive" (argument: the worker id's raw UTF-8 bytes, not a Thrift
   * string; or empty), answered with an empty RESULT.
   */
  HEARTBEAT = -3,
  /** A spawned worker reports an exception no caller could receive (argument: FailureReport). */
  REPORT_FAILURE = -4,
  /** Acknowledges (empty RESULT), then stops accepting new connections; open ones keep working. */
  CLOSE_SERVER = -5,
  /**
   * A stream of the process's log events from now on: ELEMENT frames, the first one empty (the
   * subscription is in place), then one LogEvent each, flow-controlled by CREDIT.
   */
  LOGS = -6,
  /** The worker's type and functions (result: WorkerDescription); allowed on control connections. */
  DESCRIBE = -7,
}

/** One function of a worker type, as the DESCRIBE built-in lists it. */
struct FunctionDescription {
  /** The function id a CALL names. */
  1: i32 id,
  /** The function's name, unique in its worker type. */
  2: string name,
  /** rpc, pipe, direct_pipe, one_way, reverse_pipe or state. */
  3: string kind,
  /** Its types in IDL terms, as in the fingerprint: "(struct(a:i64,b:string)) -> i64". */
  4: string signature,
}

/** The result of the DESCRIBE built-in. */
struct WorkerDescription {
  /** The worker type's name. */
  1: string workerType,
  /** The worker type's id (its line in the worker listing, from 1). */
  2: i32 workerTypeId,
  /** The registry fingerprint a client must send in its Hello to call these functions. */
  3: string fingerprint,
  /** The functions, by id. */
  4: list<FunctionDescription> functions,
  /** The type of the connection argument an AUTH carries, in IDL terms ("void": empty). */
  5: string connectionArgType,
}

/**
 * The built-ins as a service, for their signatures: each method is called with a CALL frame
 * whose functionId is the BuiltinFunction of the same name, its argument (if any) as the
 * payload, answered by RESULT (or ERROR) on the same callId. This is NOT Thrift's own message
 * format: no TMessage header travels; use the ids above.
 */
service Builtins {
  /** SHUTDOWN (-1). */
  void shutdown(),
  /** REGISTER (-2); masters only. */
  void registerWorker(1: Registration registration),
  /** HEARTBEAT (-3); masters only; the payload is the raw UTF-8 worker id. */
  void heartbeat(1: binary workerIdUtf8),
  /** REPORT_FAILURE (-4); masters only. */
  void reportFailure(1: FailureReport report),
  /** CLOSE_SERVER (-5). */
  void closeServer(),
  /** LOGS (-6): answered by a stream of LogEvent elements, not a RESULT. */
  void logs(),
  /** DESCRIBE (-7). */
  WorkerDescription describe(),
}
