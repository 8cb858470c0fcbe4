"""Values in and out of the compact protocol, by their type in IDL terms.

The ``describe`` built-in gives each function's signature in the terms of the registry
fingerprint (PROTOCOL.md, "Types"): ``void``, ``bool``, ``byte``, ``i16``, ``i32``, ``i64``,
``double`` (``float`` travels as a double), ``string``, ``binary``, ``list<T>``, ``map<K,V>``,
``optional<T>`` (a struct field that may be absent), ``struct(name:T,...)`` (a record: field i is
the i-th, from 1) and ``struct NAME`` (an IDL struct: pass an instance of its generated class, or
give the class to decode it). Anything else is an application's own codec: its bytes as they are.

Python values: ``str``, ``bytes``, ``int``, ``float``, ``bool``, ``list``, ``dict`` (maps, and
``struct(...)`` by field name), ``None`` for ``void`` and absent optional fields.
"""

from thrift.Thrift import TType
from thrift.protocol import TCompactProtocol
from thrift.transport import TTransport

SCALARS = {
    "bool": TType.BOOL, "byte": TType.BYTE, "i16": TType.I16, "i32": TType.I32, "i64": TType.I64,
    "double": TType.DOUBLE, "float": TType.DOUBLE, "string": TType.STRING, "binary": TType.STRING,
}


class Type:
    """A parsed type: kind is a scalar name, "list", "map", "optional", "record", "struct" or "opaque"."""

    def __init__(self, kind, args=(), fields=(), name=None):
        self.kind = kind
        self.args = args
        self.fields = fields
        self.name = name

    @property
    def ttype(self):
        if self.kind in SCALARS:
            return SCALARS[self.kind]
        if self.kind == "optional":
            return self.args[0].ttype
        return {"list": TType.LIST, "map": TType.MAP, "record": TType.STRUCT, "struct": TType.STRUCT,
                "void": TType.STRING, "opaque": TType.STRING}[self.kind]


def parse_type(text):
    """Parses a type of the grammar above; raises ValueError naming the text."""
    parser = _Parser(text)
    parsed = parser.type()
    if parser.pos != len(text):
        raise ValueError("cannot parse type %r at %d" % (text, parser.pos))
    return parsed


def parse_signature(signature):
    """Parses "(A) -> R" into (A, R); a signature of another shape (streams) gives (None, None)."""
    depth = 0
    for index, char in enumerate(signature):
        if char in "(<":
            depth += 1
        elif char in ")>":
            depth -= 1
            if depth == 0 and char == ")" and signature[index + 1:].startswith(" -> ") and signature[0] == "(":
                try:
                    return parse_type(signature[1:index]), parse_type(signature[index + 5:])
                except ValueError:
                    return None, None
    return None, None


class _Parser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def type(self):
        for prefix, kind in (("list<", "list"), ("optional<", "optional")):
            if self.text.startswith(prefix, self.pos):
                self.pos += len(prefix)
                element = self.type()
                self.expect(">")
                return Type(kind, (element,))
        if self.text.startswith("map<", self.pos):
            self.pos += 4
            key = self.type()
            self.expect(",")
            value = self.type()
            self.expect(">")
            return Type("map", (key, value))
        if self.text.startswith("struct(", self.pos):
            self.pos += 7
            fields = []
            while not self.text.startswith(")", self.pos):
                if fields:
                    self.expect(",")
                colon = self.text.index(":", self.pos)
                name = self.text[self.pos:colon]
                self.pos = colon + 1
                fields.append((len(fields) + 1, name, self.type()))
            self.expect(")")
            return Type("record", fields=tuple(fields))
        if self.text.startswith("struct ", self.pos):
            self.pos += 7
            return Type("struct", name=self.word())
        word = self.word()
        if word in SCALARS or word == "void":
            return Type(word)
        return Type("opaque", name=word)

    def word(self):
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ",)>":
            self.pos += 1
        return self.text[start:self.pos]

    def expect(self, char):
        if not self.text.startswith(char, self.pos):
            raise ValueError("cannot parse type %r: expected %r at %d" % (self.text, char, self.pos))
        self.pos += len(char)


def encode(type_, value, structs=None):
    """The compact-protocol bytes of one value of that type (b"" for void)."""
    if type_.kind == "void":
        return b""
    if type_.kind == "opaque":
        return bytes(value)
    if value is None:
        raise ValueError("a value of type %s is required, not None" % describe(type_))
    buffer = TTransport.TMemoryBuffer()
    protocol = TCompactProtocol.TCompactProtocol(buffer)
    # A value alone, as the runtime's codecs write it: Python's compact protocol writes scalars
    # only inside a container or a struct, and writes them there as they are written alone.
    protocol.state = TCompactProtocol.CONTAINER_WRITE
    _write(protocol, type_, value)
    return buffer.getvalue()


def decode(type_, data, structs=None):
    """The value of one encoding of that type; structs maps IDL struct names to generated classes."""
    if type_.kind == "void":
        if data:
            raise ValueError("a void payload has %d bytes" % len(data))
        return None
    if type_.kind == "opaque":
        return data
    protocol = TCompactProtocol.TCompactProtocol(TTransport.TMemoryBuffer(data))
    protocol.state = TCompactProtocol.CONTAINER_READ
    return _read(protocol, type_, structs or {})


def describe(type_):
    """The type in the notation it was parsed from."""
    if type_.kind in ("list", "optional"):
        return "%s<%s>" % (type_.kind, describe(type_.args[0]))
    if type_.kind == "map":
        return "map<%s,%s>" % (describe(type_.args[0]), describe(type_.args[1]))
    if type_.kind == "record":
        return "struct(%s)" % ",".join("%s:%s" % (name, describe(t)) for _, name, t in type_.fields)
    if type_.kind == "struct":
        return "struct " + type_.name
    return type_.name if type_.kind == "opaque" else type_.kind


def _write(out, type_, value):
    if type_.kind == "optional":
        type_ = type_.args[0]
    kind = type_.kind
    if kind == "bool":
        out.writeBool(bool(value))
    elif kind == "byte":
        out.writeByte(value)
    elif kind == "i16":
        out.writeI16(value)
    elif kind == "i32":
        out.writeI32(value)
    elif kind == "i64":
        out.writeI64(value)
    elif kind in ("double", "float"):
        out.writeDouble(value)
    elif kind == "string":
        out.writeString(value)
    elif kind == "binary":
        out.writeBinary(bytes(value))
    elif kind == "list":
        out.writeListBegin(type_.args[0].ttype, len(value))
        for element in value:
            _write(out, type_.args[0], element)
        out.writeListEnd()
    elif kind == "map":
        out.writeMapBegin(type_.args[0].ttype, type_.args[1].ttype, len(value))
        for key, element in value.items():
            _write(out, type_.args[0], key)
            _write(out, type_.args[1], element)
        out.writeMapEnd()
    elif kind == "record":
        out.writeStructBegin("record")
        for field_id, name, field_type in type_.fields:
            field_value = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
            if field_value is None:
                continue
            inner = field_type.args[0] if field_type.kind == "optional" else field_type
            out.writeFieldBegin(name, inner.ttype, field_id)
            _write(out, inner, field_value)
            out.writeFieldEnd()
        out.writeFieldStop()
        out.writeStructEnd()
    elif kind == "struct":
        value.write(out)
    else:
        raise ValueError("cannot write a value of type %s" % kind)


def _read(into, type_, structs):
    if type_.kind == "optional":
        type_ = type_.args[0]
    kind = type_.kind
    if kind == "bool":
        return into.readBool()
    if kind == "byte":
        return into.readByte()
    if kind == "i16":
        return into.readI16()
    if kind == "i32":
        return into.readI32()
    if kind == "i64":
        return into.readI64()
    if kind in ("double", "float"):
        return into.readDouble()
    if kind == "string":
        return into.readString()
    if kind == "binary":
        return into.readBinary()
    if kind == "list":
        _, size = into.readListBegin()
        values = [_read(into, type_.args[0], structs) for _ in range(size)]
        into.readListEnd()
        return values
    if kind == "map":
        _, _, size = into.readMapBegin()
        values = {}
        for _ in range(size):
            key = _read(into, type_.args[0], structs)
            values[key] = _read(into, type_.args[1], structs)
        into.readMapEnd()
        return values
    if kind == "record":
        by_id = {field_id: (name, field_type) for field_id, name, field_type in type_.fields}
        values = {name: None for _, name, _ in type_.fields}
        into.readStructBegin()
        while True:
            _, ttype, field_id = into.readFieldBegin()
            if ttype == TType.STOP:
                break
            field = by_id.get(field_id)
            inner = field and (field[1].args[0] if field[1].kind == "optional" else field[1])
            if field is None or inner.ttype != ttype:
                into.skip(ttype)
            else:
                values[field[0]] = _read(into, inner, structs)
            into.readFieldEnd()
        into.readStructEnd()
        return values
    if kind == "struct":
        cls = structs.get(type_.name)
        if cls is None:
            raise ValueError("to decode a struct %s, pass its generated class: structs={%r: %s}"
                             % (type_.name, type_.name, type_.name))
        value = cls()
        value.read(into)
        return value
    raise ValueError("cannot read a value of type %s" % kind)
