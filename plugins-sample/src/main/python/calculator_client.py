"""Calls the calculator sample's worker from Python 3, through the rpc-parallel Python client.

    PYTHONPATH=clients/python:plugins-sample/src/main/python \\
        python3 plugins-sample/src/main/python/calculator_client.py ACCESS_FILE

ACCESS_FILE is a calculator worker's access, written by WorkerAccess.export in the Java master.
The code in rpc_parallel_sample/calculator is generated from calculator.thrift by the Thrift
compiler (0.25.0, --gen py:dynamic); it needs Apache Thrift's Python library (python3-thrift).
"""

import sys

from rpc_parallel import ServiceClient, connect, load_access
from rpc_parallel_sample.calculator import Calculator
from rpc_parallel_sample.calculator.ttypes import InvalidOperation, Operation, Work


def main(access_file):
    with connect(load_access(access_file)) as connection:
        calculator = ServiceClient(connection, Calculator)
        print("python: add(1, 2) = %d" % calculator.add(1, 2))
        print("python: calculate(6 * 7) = %d" % calculator.calculate(1, Work(num1=6, num2=7, op=Operation.MULTIPLY)))
        try:
            calculator.calculate(2, Work(num1=1, num2=0, op=Operation.DIVIDE))
            print("python: calculate(1 / 0) did not fail")
            return 1
        except InvalidOperation as e:
            print("python: declared exception: calculate(1 / 0) threw InvalidOperation(whatOp=%d, why=\"%s\")"
                  % (e.whatOp, e.why))
        calculator.note("hello from Python")
        print("python: calculations() = %d" % calculator.calculations())
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
