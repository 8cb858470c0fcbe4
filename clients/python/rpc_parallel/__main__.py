"""python3 -m rpc_parallel --access FILE (describe | call FUNCTION [JSON-ARGUMENT])

Prints the answer as JSON. Exit status: 0 done, 1 cannot connect, 2 bad usage, 3 the call threw
(its origin, type and message on stderr).
"""

import argparse
import base64
import json
import sys

from . import ConnectionError, RemoteError, connect, describe, load_access


def _json(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError("not JSON: %r" % (value,))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m rpc_parallel", description=__doc__.splitlines()[0])
    parser.add_argument("--access", required=True, help="a worker access file (WorkerAccess.export)")
    parser.add_argument("--connection-arg", default="null", help="the connection argument, as JSON")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("describe", help="the worker's type, functions and fingerprint")
    call = commands.add_parser("call", help="call an rpc function by name")
    call.add_argument("function")
    call.add_argument("argument", nargs="?", default="null", help="the argument, as JSON, or @FILE holding it")
    args = parser.parse_args(argv)
    try:
        access = load_access(args.access)
        if args.command == "describe":
            d = describe(access)
            print(json.dumps({"workerType": d.workerType, "workerTypeId": d.workerTypeId, "fingerprint": d.fingerprint,
                              "connectionArgType": d.connectionArgType,
                              "functions": [{"id": f.id, "name": f.name, "kind": f.kind, "signature": f.signature}
                                            for f in d.functions]}))
            return 0
        with connect(access, json.loads(args.connection_arg)) as connection:
            argument = args.argument
            if argument.startswith("@"):
                with open(argument[1:], encoding="utf-8") as f:
                    argument = f.read()
            print(json.dumps(connection.call(args.function, json.loads(argument)), default=_json))
        return 0
    except RemoteError as e:
        print("remote error: origin=%s type=%s message=%s" % (e.origin, e.type, e.message), file=sys.stderr)
        return 3
    except (ConnectionError, OSError, ValueError) as e:
        print("rpc_parallel: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
