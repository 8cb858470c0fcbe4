"""A Python 3 client of rpc-parallel workers.

Connects to a worker (started by ``Parallel.serve`` or spawned by a Java master), runs the
handshake with the worker's key (from an access file written by ``WorkerAccess.export``) or the
application's secret, and calls the worker's functions by name. See PROTOCOL.md.

Needs the standard library and Apache Thrift's Python library (Debian: ``python3-thrift``).
"""

from .access import Access, load_access
from .client import Connection, ConnectionError, RemoteError, connect, describe
from .service import ServiceClient

__all__ = ["Access", "load_access", "Connection", "ConnectionError", "RemoteError", "ServiceClient", "connect",
           "describe"]
