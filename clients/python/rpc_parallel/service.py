"""Calls of a Thrift service served as a worker type, through its generated Python module.

A worker type made from an IDL ``service`` (module thrift-services) has one function per method,
whose argument is the method's generated ``<method>_args`` struct and whose result is its
``<method>_result`` struct (a ``oneway`` method: one-way, no result). This wraps a connection so
that ``client.calculate(1, work)`` sends ``calculate_args(1, work)`` and returns the result's
``success``, or raises the declared exception the result holds, as a generated Thrift client does.
Unlike a Thrift client on its own socket, the calls travel on the worker's connection.
"""

from thrift.Thrift import TApplicationException

from .client import decode_struct, encode_struct


class ServiceClient:
    """The methods of a generated service module (e.g. ``Calculator``) called on a Connection."""

    def __init__(self, connection, service_module):
        self._connection = connection
        self._module = service_module

    def __getattr__(self, name):
        args_class = getattr(self._module, name + "_args", None)
        if args_class is None:
            raise AttributeError("service %s has no method '%s'" % (self._module.__name__, name))
        result_class = getattr(self._module, name + "_result", None)
        function = self._connection.function(name)
        fields = [field for field in args_class.thrift_spec if field is not None]

        def method(*args):
            if len(args) != len(fields):
                raise TypeError("%s takes %d arguments, not %d" % (name, len(fields), len(args)))
            payload = encode_struct(args_class(**{field[2]: value for field, value in zip(fields, args)}))
            if result_class is None or function.kind == "one_way":
                self._connection.send_one_way(function.id, payload)
                return None
            result = decode_struct(result_class, self._connection.call_raw(function.id, payload))
            has_success = False
            for field in result_class.thrift_spec:
                if field is None:
                    continue
                if field[0] == 0:
                    has_success = True
                elif getattr(result, field[2], None) is not None:
                    raise getattr(result, field[2])
            if not has_success:
                return None
            if result.success is None:
                raise TApplicationException(TApplicationException.MISSING_RESULT, name + " failed: unknown result")
            return result.success

        return method
