"""Connections to rpc-parallel workers: transport framing, the handshake, calls and their answers.

One connection is used by one thread at a time; calls on it are answered in turn (the worker
multiplexes, this client does not). See PROTOCOL.md for every step.
"""

import hashlib
import hmac
import os
import socket
import struct

from thrift.protocol import TCompactProtocol
from thrift.transport import TTransport

from . import values
from .wire import constants, ttypes

KIND = ttypes.FrameKind
BUILTIN = ttypes.BuiltinFunction
# Frames larger than this are refused once authenticated (the worker's default maximum message
# size is far below it; a larger result comes in CHUNK frames).
MAX_FRAME_BYTES = 64 * 1024 * 1024


class ConnectionError(Exception):
    """The worker cannot be reached, did not prove its key, or refused the connection."""


class RemoteError(Exception):
    """A call failed in the worker: origin (what failed), type (the exception's type), message, stack trace."""

    def __init__(self, error):
        self.origin = error.origin
        self.type = error.type
        self.message = error.message
        self.stack_trace = error.stackTrace
        super().__init__("%s threw %s%s" % (error.origin, error.type, ": " + error.message if error.message else ""))


def encode_struct(value):
    """A generated struct's compact-protocol bytes: a payload of the wire."""
    buffer = TTransport.TMemoryBuffer()
    value.write(TCompactProtocol.TCompactProtocol(buffer))
    return buffer.getvalue()


def decode_struct(cls, data):
    """A generated struct read from compact-protocol bytes."""
    value = cls()
    value.read(TCompactProtocol.TCompactProtocol(TTransport.TMemoryBuffer(data)))
    return value


def _field(data):
    """A proof input field: its length (4 bytes, big-endian) then its bytes."""
    return struct.pack(">I", len(data)) + data


def worker_key(secret, worker_id):
    """A worker's key from the application's secret: HMAC-SHA256(secret, field(label) || field(id))."""
    return hmac.new(secret, _field(b"rpc-parallel worker key") + _field(worker_id.encode("utf-8")),
                    hashlib.sha256).digest()


def proof(key, label, role, server_id, client_nonce, server_nonce):
    """A handshake proof: HMAC-SHA256(key, field(label) || field(role) || field(id) || field(nonces...))."""
    message = b"".join(_field(part) for part in (label.encode("utf-8"), role.encode("utf-8"),
                                                  server_id.encode("utf-8"), client_nonce, server_nonce))
    return hmac.new(key, message, hashlib.sha256).digest()


def _open_socket(address, timeout):
    """A socket to a thrift://HOST:PORT (TCP) or unix:///PATH (Unix domain socket) address."""
    if address.startswith("thrift://"):
        host, _, port = address[len("thrift://"):].rpartition(":")
        return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    if address.startswith("unix://"):
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.settimeout(timeout)
        try:
            unix.connect(address[len("unix://"):])
        except OSError:
            unix.close()
            raise
        return unix
    raise ConnectionError("cannot reach %s: this client speaks the thrift:// and unix:// transports" % address)


class _Channel:
    """Frames over one TCP socket: a 4-byte big-endian length, then a compact-encoded WireFrame."""

    def __init__(self, address, timeout):
        try:
            self.socket = _open_socket(address, timeout)
        except OSError as e:
            raise ConnectionError("cannot connect to %s: %s" % (address, e)) from e
        self.limit = constants.UNAUTHENTICATED_FRAME_LIMIT

    def send(self, kind, call_id=0, function_id=0, payload=b""):
        frame = encode_struct(ttypes.WireFrame(kind=kind, callId=call_id, functionId=function_id, payload=payload))
        self.socket.sendall(struct.pack(">i", len(frame)) + frame)

    def receive(self):
        (length,) = struct.unpack(">i", self._exactly(4))
        if length < 0 or length > self.limit:
            raise ConnectionError("the worker sent a frame of %d bytes, over the limit of %d" % (length, self.limit))
        frame = decode_struct(ttypes.WireFrame, self._exactly(length))
        if frame.payload is None:
            frame.payload = b""
        return frame

    def _exactly(self, count):
        chunks = []
        while count > 0:
            chunk = self.socket.recv(count)
            if not chunk:
                raise ConnectionError("the worker closed the connection")
            chunks.append(chunk)
            count -= len(chunk)
        return b"".join(chunks)

    def close(self):
        self.socket.close()


class Connection:
    """An authenticated connection to one worker. Use connect(); close() when done (or a with block)."""

    def __init__(self, channel, access, description):
        self._channel = channel
        self.access = access
        self.description = description
        self._next_call_id = 1
        self._functions = {f.name: f for f in (description.functions if description else [])}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._channel.close()

    def call(self, name, arg=None, structs=None):
        """Calls the rpc function NAME with arg (a Python value of its argument type) and returns its result.

        Raises RemoteError when the function threw (its type and message), or the worker refused the call.
        """
        function = self.function(name)
        if function.kind != "rpc":
            raise ValueError("function '%s' is a %s; this client calls rpc functions by name (use call_raw for others)"
                             % (name, function.kind))
        arg_type, result_type = values.parse_signature(function.signature)
        if arg is None and arg_type.kind != "void":
            raise ValueError("function '%s' takes an argument of type %s: pass one" % (name, values.describe(arg_type)))
        result = self.call_raw(function.id, values.encode(arg_type, arg))
        return values.decode(result_type, result, structs)

    def function(self, name):
        """The description of function NAME (id, name, kind, signature); ValueError if there is none."""
        function = self._functions.get(name)
        if function is None:
            raise ValueError("worker type '%s' has no function '%s'; it has %s"
                             % (self.description.workerType, name, sorted(self._functions)))
        return function

    def send_one_way(self, function_id, payload):
        """Sends a CALL of a one-way function; nothing comes back."""
        call_id = self._next_call_id
        self._next_call_id += 1
        self._send_payload(KIND.CALL, call_id, function_id, payload)

    def call_raw(self, function_id, payload):
        """Sends a CALL with an encoded argument and returns the encoded result (RESULT's payload)."""
        call_id = self._next_call_id
        self._next_call_id += 1
        self._send_payload(KIND.CALL, call_id, function_id, payload)
        pieces = []
        while True:
            frame = self._channel.receive()
            if frame.callId != call_id:
                if frame.kind == KIND.ERROR and frame.callId == 0:
                    raise RemoteError(decode_struct(ttypes.RemoteError, frame.payload))
                continue  # a late frame of an earlier call
            if frame.kind == KIND.CHUNK:
                pieces.append(frame.payload)
                continue
            payload = b"".join(pieces) + frame.payload
            if frame.kind == KIND.RESULT:
                return payload
            if frame.kind == KIND.ERROR:
                raise RemoteError(decode_struct(ttypes.RemoteError, payload))
            raise ConnectionError("the worker answered call %d with %s" % (call_id, KIND._VALUES_TO_NAMES.get(frame.kind)))

    def _send_payload(self, kind, call_id, function_id, payload):
        """A frame; a payload over CHUNK_SIZE goes first in CHUNK frames (functionId: the whole size)."""
        offset = 0
        while len(payload) - offset > constants.CHUNK_SIZE:
            self._channel.send(KIND.CHUNK, call_id, len(payload), payload[offset:offset + constants.CHUNK_SIZE])
            offset += constants.CHUNK_SIZE
        self._channel.send(kind, call_id, function_id, payload[offset:])

    def close_server(self):
        """The built-in close-server: the worker accepts no new connection; open ones go on."""
        self.call_raw(BUILTIN.CLOSE_SERVER, b"")

    def shutdown(self):
        """The built-in shutdown: the worker acknowledges, then stops."""
        self.call_raw(BUILTIN.SHUTDOWN, b"")


def _handshake(access, key, fingerprint, connection_arg, control, timeout):
    channel = _Channel(access.address, timeout)
    try:
        client_nonce = os.urandom(constants.NONCE_BYTES)
        role = constants.ROLE_WORKER
        channel.send(KIND.HELLO, payload=encode_struct(ttypes.Hello(
            protocolVersion=constants.PROTOCOL_VERSION, clientNonce=client_nonce, targetId=access.worker_id,
            fingerprint=fingerprint, targetRole=role)))
        answer = channel.receive()
        if answer.kind == KIND.ERROR:
            raise ConnectionError("worker %r refused the hello: %s"
                                  % (access.name, decode_struct(ttypes.RemoteError, answer.payload).message))
        if answer.kind != KIND.CHALLENGE:
            raise ConnectionError("worker %r answered %s instead of CHALLENGE" % (access.name, answer.kind))
        challenge = decode_struct(ttypes.Challenge, answer.payload)
        server_nonce = challenge.serverNonce or b""
        expected = proof(key, "rpc-parallel server", role, access.worker_id, client_nonce, server_nonce)
        if len(server_nonce) != constants.NONCE_BYTES or not hmac.compare_digest(expected, challenge.serverProof or b""):
            raise ConnectionError("the server at %s does not know the key of worker %s" % (access.address, access.worker_id))
        channel.send(KIND.AUTH, payload=encode_struct(ttypes.Auth(
            clientProof=proof(key, "rpc-parallel client", role, access.worker_id, client_nonce, server_nonce),
            connectionArg=connection_arg, control=control, parked=False)))
        answer = channel.receive()
        if answer.kind == KIND.ERROR:
            error = decode_struct(ttypes.RemoteError, answer.payload)
            raise ConnectionError("worker %r refused the connection: %s" % (access.name, error.message))
        if answer.kind != KIND.READY:
            raise ConnectionError("worker %r answered %s instead of READY" % (access.name, answer.kind))
        channel.limit = MAX_FRAME_BYTES
        return channel
    except BaseException:
        channel.close()
        raise


def _key(access, secret):
    return worker_key(secret, access.worker_id) if secret is not None else access.key


def describe(access, secret=None, timeout=30):
    """The worker's type, functions and fingerprint (the built-in describe, on a control connection)."""
    channel = _handshake(access, _key(access, secret), "", b"", True, timeout)
    try:
        connection = Connection(channel, access, None)
        return decode_struct(ttypes.WorkerDescription, connection.call_raw(BUILTIN.DESCRIBE, b""))
    finally:
        channel.close()


def connect(access, connection_arg=None, secret=None, timeout=30):
    """Connects to the worker of an access: describes it, then opens a connection with its fingerprint.

    connection_arg is a Python value of the worker type's connection argument type. With secret
    (the application's secret), the worker's key is derived from it instead of read from access.
    """
    description = describe(access, secret, timeout)
    arg_type = values.parse_type(description.connectionArgType)
    if connection_arg is None and arg_type.kind != "void":
        raise ValueError("worker type '%s' takes a connection argument of type %s: pass one"
                         % (description.workerType, description.connectionArgType))
    arg = values.encode(arg_type, connection_arg)
    channel = _handshake(access, _key(access, secret), description.fingerprint, arg, False, timeout)
    return Connection(channel, access, description)
